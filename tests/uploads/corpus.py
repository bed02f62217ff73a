"""Builders for the test images, good and hostile: every file is generated here, none is committed."""
import functools
import io
import random
import struct
import zipfile
import zlib

from PIL import ExifTags, Image, ImageCms, TiffImagePlugin

RED, BLUE = (255, 0, 0), (0, 0, 255)


def two_halves(size=(40, 20), mode="RGB"):
    """Left half red, right half blue: shows which way an image was turned."""
    image = Image.new(mode, size, RED)
    image.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return image


def encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(image=None, **options):
    return encode(image or two_halves(), "JPEG", **options)


def png(image=None, **options):
    return encode(image or two_halves(), "PNG", **options)


def webp(image=None, **options):
    return encode(image or two_halves(), "WEBP", **options)


def exif(orientation=None, gps=True):
    """EXIF with an orientation, a camera make and, by default, a GPS position near Sydney."""
    r = TiffImagePlugin.IFDRational
    data = Image.Exif()
    data[ExifTags.Base.Make] = "TestCam"
    if orientation:
        data[ExifTags.Base.Orientation] = orientation
    if gps:
        data[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "S",
            ExifTags.GPS.GPSLatitude: (r(33), r(51), r(3547, 100)),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (r(151), r(12), r(4080, 100)),
        }
    return data


def srgb_profile():
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def swapped_profile():
    """sRGB with its red and blue primaries swapped: red pixels in it display as blue."""
    icc = bytearray(srgb_profile())
    count = struct.unpack(">I", icc[128:132])[0]
    entries = {bytes(icc[132 + 12 * i:136 + 12 * i]): 136 + 12 * i for i in range(count)}  # -> offset, size
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    icc[red:red + 8], icc[blue:blue + 8] = icc[blue:blue + 8], icc[red:red + 8]
    return bytes(icc)


SYDNEY = (-33.859853, 151.211333)  # the position in exif() in decimal degrees

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="33,51.5S"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"


def png_chunk(chunk_type, payload):
    crc = zlib.crc32(chunk_type + payload)
    return struct.pack(">I", len(payload)) + chunk_type + payload + struct.pack(">I", crc)


def png_raw(width, height, idat, bit_depth=8, colour_type=0):
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    chunks = png_chunk(b"IHDR", header) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def noise_idat(width, height, seed=1):
    """Compressed rows of random grey pixels (random so that cutting the stream loses pixels)."""
    rng = random.Random(seed)
    return zlib.compress(b"".join(b"\0" + rng.randbytes(width) for _ in range(height)))


def png_bomb(width=50_000, height=50_000):
    """A real 1-bit PNG of `width` x `height` black pixels: a few hundred KB that inflate to ~300 MB
    of rows, and 2.5 gigapixels once decoded. Built in milliseconds: after a sync flush, deflate
    encodes each further block of zeros identically, so the second block's output is repeated."""
    rows_per_block = 10
    assert height % rows_per_block == 0
    block = bytes((1 + (width + 7) // 8) * rows_per_block)  # rows of a filter byte + packed bits
    compressor = zlib.compressobj(9)
    first = compressor.compress(block) + compressor.flush(zlib.Z_SYNC_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_SYNC_FLUSH)
    total = len(block) * (height // rows_per_block)
    adler = (total % 65521) << 16 | 1  # Adler-32 of `total` zero bytes
    idat = first + repeated * (height // rows_per_block - 1) + b"\x03\x00" + struct.pack(">I", adler)
    return png_raw(width, height, idat, bit_depth=1)


def zip_archive():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", HTML)
        archive.writestr("Evil.class", b"\xca\xfe\xba\xbe")
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def truncated(data):
    return data[: len(data) // 2]


# Hostile files and how clean_file answers them: name -> (data, status, code).
HOSTILE = {
    "zero bytes": (b"", 400, "invalid_file"),
    "truncated jpeg": (truncated(jpeg(two_halves((200, 200)))), 400, "corrupt_file"),
    "jpeg without its end marker": (jpeg()[:-2], 400, "corrupt_file"),
    "truncated png": (truncated(png(two_halves((200, 200)))), 400, "corrupt_file"),
    "png with garbage data": (png_raw(10, 10, b"not zlib at all"), 400, "corrupt_file"),
    "png whose compressed data stops early": (
        png_raw(64, 64, noise_idat(64, 64)[:2000]), 400, "corrupt_file"),
    "truncated webp": (truncated(webp(two_halves((200, 200)))), 400, "corrupt_file"),
    "png bomb": (png_bomb(), 400, "image_too_large"),
    "svg with script": (SVG, 415, "unsupported_file_type"),
    "html renamed .jpg": (HTML, 415, "unsupported_file_type"),
    "html after a bom and spaces": (b"\xef\xbb\xbf  " + HTML, 415, "unsupported_file_type"),
    "html behind jpeg magic bytes": (b"\xff\xd8\xff\xe0" + HTML, 400, "corrupt_file"),
    "jpeg + html": (jpeg() + HTML, 400, "invalid_file"),
    "jpeg + zip": (jpeg() + zip_archive(), 400, "invalid_file"),
    "jpeg + second jpeg (motion photo like)": (jpeg() + jpeg(), 400, "invalid_file"),
    "multi-picture jpeg (mpo)": (encode(two_halves(), "MPO", save_all=True,
                                        append_images=[two_halves()]), 400, "invalid_file"),
    "png + zip": (png() + zip_archive(), 400, "invalid_file"),
    "webp + html": (webp() + HTML, 400, "invalid_file"),
    "gifar": (encode(two_halves(), "GIF") + zip_archive(), 415, "unsupported_file_type"),
    "gif": (encode(two_halves(), "GIF"), 415, "unsupported_file_type"),
    "bmp": (encode(two_halves(), "BMP"), 415, "unsupported_file_type"),
    "tiff": (encode(two_halves(), "TIFF"), 415, "unsupported_file_type"),
    "zip": (zip_archive(), 415, "unsupported_file_type"),
    "pdf": (b"%PDF-1.4\n" + HTML, 415, "unsupported_file_type"),
}


# -- amplification: small files whose cleaning would cost or produce far more than they weigh -------

def grainy(size, seed=1):
    """A photo-like RGB image: smooth blobs with a fine grain, which lossy codecs shrink ~50-fold and
    lossless ones cannot."""
    from PIL import ImageChops

    width, height = size
    rng = random.Random(seed)
    blobs = Image.frombytes("L", (width // 100 + 2, height // 100 + 2),
                            rng.randbytes((width // 100 + 2) * (height // 100 + 2))).resize(size, Image.BICUBIC)
    grain = Image.frombytes("L", size, rng.randbytes(width * height)).point(lambda v: v // 16)
    return Image.merge("RGB", (ImageChops.add(blobs, grain), blobs.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                               blobs.transpose(Image.Transpose.FLIP_TOP_BOTTOM)))


def cut_out(image):
    """`image` with real transparency: an opaque ellipse on a transparent background."""
    from PIL import ImageDraw

    mask = Image.new("L", image.size, 0)
    width, height = image.size
    ImageDraw.Draw(mask).ellipse((width // 10, height // 10, width * 9 // 10, height * 9 // 10), fill=255)
    image = image.convert("RGBA")
    image.putalpha(mask)
    return image


@functools.lru_cache(maxsize=1)
def transparent_webp_49mp():
    """The attack run's file: a 7000 x 7000 lossy WebP with transparency, under 1 MB, that decoded and
    re-encoded as a PNG was 28 MB (above the 20 MB input limit) and cost 21 s of CPU and 810 MB."""
    return webp(cut_out(grainy((7000, 7000))), quality=50, method=0)


def phone_photo():
    """What a phone takes: 12 MP (4032 x 3024), quality 92, 4:2:0, EXIF with an orientation."""
    return jpeg(grainy((4032, 3024), seed=2), quality=92, subsampling=2, exif=exif(orientation=6))


# Files that cleaning used to turn into more than the input limit: name -> (builder, input limit).
# (Bytes in -> bytes out before the fix: 31 KB -> 1.4 MB PNG, 27 KB -> 199 KB, 39 KB -> 57 KB, 449 KB -> 864 KB.)
AMPLIFYING = {
    "transparent lossy webp": (lambda: webp(cut_out(grainy((1500, 1500))), quality=50), 200_000),
    "opaque lossy webp": (lambda: webp(grainy((1500, 1500)), quality=20), 150_000),
    "jpeg at quality 5": (lambda: jpeg(grainy((1500, 1500)), quality=5), 45_000),
    "png of 256 colours": (lambda: png(grainy((1500, 1500)).quantize(256)), 600_000),
}
