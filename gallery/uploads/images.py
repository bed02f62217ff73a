"""The Pillow side of cleaning an upload (files.py says what is accepted and how it comes out).

Imported by the cleaning processes (cleaning.py) only: a web worker never loads Pillow.
"""
import io
import math
import struct

from PIL import ExifTags, Image, ImageCms, JpegImagePlugin

from .files import MAX_BYTES, MAX_PIXELS, OUTPUT_MAX_PIXELS, CleanedImage, FileRejected

JPEG_QUALITY = 90  # JPEGs made from WebP (a JPEG keeps its own quantization)
WEBP_QUALITY = 85
FIT_ATTEMPTS = 4  # encodings tried to come under max_bytes (each scaled down a little more)

# Modes PNG stores as they are; anything else (palette, CMYK, ...) is converted to RGB(A).
_PNG_MODES = ("1", "L", "LA", "I", "I;16", "RGB", "RGBA")
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# How to turn an image for each EXIF orientation (ImageOps.exif_transpose would also rewrite the EXIF,
# which we drop, and fails on some malformed EXIF that we can otherwise ignore).
_ORIENTATIONS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
# What Pillow raises on malformed input, beyond its own DecompressionBombError.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error)


def clean_bytes(data, *, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS):
    """Return a CleanedImage for the file `data` (at most max_bytes long), or raise FileRejected."""
    if not data:
        raise FileRejected(400, "invalid_file", "The file is empty.")
    kind = _sniff(data)
    if kind is None:
        raise FileRejected(415, "unsupported_file_type", "Only JPEG, PNG and WebP photos are accepted.")
    end = _END[kind](data)
    if end is None:
        raise FileRejected(400, "corrupt_file", "The image is truncated or damaged.")
    if data[end:].strip(b"\0"):
        raise FileRejected(
            400, "invalid_file",
            "The file carries extra data after the image (a motion photo, for example). "
            "Save it as a still photo and try again.",
        )
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.width * image.height > max_pixels:  # from the header, before any decoding
                raise _too_large(max_pixels)
            lossless = kind == "PNG" or (kind == "WEBP" and _webp_lossless(data))
            return _reencode(image, kind, lossless, max_bytes)
    except Image.DecompressionBombError:
        raise _too_large(max_pixels) from None
    except MemoryError:  # past the memory limit of a cleaning process (cleaning.py)
        raise FileRejected(400, "image_too_large", "The image needs too much memory to process.") from None
    except _DECODE_ERRORS:
        raise FileRejected(400, "corrupt_file", "The image is truncated or damaged.") from None


def _too_large(max_pixels):
    return FileRejected(400, "image_too_large", f"The image has more than {max_pixels:,} pixels.")


def _sniff(data):
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _jpeg_end(data):
    """Offset just past the EOI marker, walking segments so that markers inside EXIF thumbnails
    or entropy-coded data are not mistaken for the end; None if the stream stops first."""
    i = 2
    while i + 1 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
        elif marker == 0xD9:
            return i + 2
        elif 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            i += 2
        else:
            length = int.from_bytes(data[i + 2:i + 4], "big")
            if length < 2:
                return None
            i += 2 + length
            if marker == 0xDA:  # start of scan: skip entropy-coded data up to the next real marker
                while (i := data.find(b"\xff", i)) != -1 and i + 1 < len(data):
                    following = data[i + 1]
                    if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte, restart
                        i += 2
                    elif following == 0xFF:
                        i += 1
                    else:
                        break
                else:
                    return None
    return None


def _png_end(data):
    """Offset just past the IEND chunk, or None if the chunks run past the data."""
    i = 8
    while i + 12 <= len(data):
        length = int.from_bytes(data[i:i + 4], "big")
        chunk_type = data[i + 4:i + 8]
        i += 12 + length
        if chunk_type == b"IEND":
            return i if i <= len(data) else None
    return None


def _webp_end(data):
    """The RIFF header's own length (chunks are padded to even sizes), or None if data is short."""
    end = 8 + int.from_bytes(data[4:8], "little")
    return end if end <= len(data) else None


def _webp_lossless(data):
    """Whether a WebP's (first) image is VP8L, lossless, rather than VP8, lossy."""
    i = 12
    while i + 8 <= len(data):
        fourcc, size = data[i:i + 4], int.from_bytes(data[i + 4:i + 8], "little")
        if fourcc in (b"VP8L", b"VP8 "):
            return fourcc == b"VP8L"
        if fourcc == b"ANMF":  # an animation frame: 16 bytes of frame header, then its own chunks
            i += 8 + 16
            continue
        i += 8 + size + (size & 1)
    return False


_END = {"JPEG": _jpeg_end, "PNG": _png_end, "WEBP": _webp_end}


def _reencode(image, kind, lossless, max_bytes):
    exif = image.getexif()
    gps = _gps(exif)
    jpeg_options = _jpeg_options(image) if kind == "JPEG" else {"quality": JPEG_QUALITY}
    if image.width * image.height > OUTPUT_MAX_PIXELS:
        image.thumbnail(_fit(image.size, OUTPUT_MAX_PIXELS))  # a JPEG is decoded at a reduced scale
    else:
        image.load()
    if (orientation := _ORIENTATIONS.get(exif.get(ExifTags.Base.Orientation))) is not None:
        image = image.transpose(orientation)  # FLIP_LEFT_RIGHT is 0
    image = _to_srgb(image)
    if image.mode not in _PNG_MODES:  # palette, CMYK, ...
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")  # WebP often carries an alpha channel that is fully opaque
    if kind == "PNG" or image.mode not in ("L", "RGB"):
        fmt, options = ("PNG", {}) if lossless else ("WEBP", {"quality": WEBP_QUALITY})
    else:
        fmt, options = "JPEG", {**jpeg_options, "optimize": True}
    image.info = {}  # Pillow copies e.g. JPEG comments and PNG ICC profiles from here when saving
    image, data = _encode_within(image, fmt, options, max_bytes)
    return CleanedImage(data, f"image/{fmt.lower()}", image.width, image.height, gps)


def _fit(size, pixels):
    """The largest (width, height) of the same shape with at most `pixels` pixels."""
    scale = math.sqrt(pixels / (size[0] * size[1]))
    return max(1, math.floor(size[0] * scale)), max(1, math.floor(size[1] * scale))


def _jpeg_options(image):
    """Encode a JPEG as its camera did: same quantization tables, same chroma subsampling."""
    sampling = JpegImagePlugin.get_sampling(image)
    tables = getattr(image, "quantization", None)
    if not tables or sampling == -1 or image.mode not in ("L", "RGB"):
        return {"quality": JPEG_QUALITY}
    return {"qtables": [tables[i] for i in sorted(tables)], "subsampling": sampling}


def _encode_within(image, fmt, options, max_bytes):
    """(image, bytes) encoded in `fmt`, scaled down until the bytes are at most `max_bytes`."""
    for _ in range(FIT_ATTEMPTS):
        out = io.BytesIO()
        image.save(out, fmt, **options)
        if out.tell() <= max_bytes:
            return image, out.getvalue()
        # Bytes grow about with the pixel count; aim 10 % under, so that one more try usually does.
        pixels = image.width * image.height * max_bytes / out.tell() * 0.9
        image = image.resize(_fit(image.size, pixels), Image.Resampling.LANCZOS)
    raise FileRejected(400, "image_too_large", "The image cannot be made small enough to keep.")


def _to_srgb(image):
    """Apply an embedded ICC profile to the pixels, since the profile itself is dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, profile, _SRGB, outputMode="RGBA" if image.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile is dropped, and the pixels kept as they are


def _gps(exif):
    """(latitude, longitude) from the EXIF GPS block, or None when absent or malformed."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps[ExifTags.GPS.GPSLatitudeRef], "S")
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps[ExifTags.GPS.GPSLongitudeRef], "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, struct.error, OSError):
        return None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:  # also False for NaN (a 0 denominator)
        return round(latitude, 6), round(longitude, 6)
    return None


def _degrees(dms, ref, negative):
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip("\0 ").upper() == negative else value
