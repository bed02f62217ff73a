"""clean_file: accepted images come out rotated, re-encoded and bare; hostile files are refused."""
import io
import random
import struct
import zlib

import pytest
from PIL import Image, JpegImagePlugin
from PIL.PngImagePlugin import PngInfo
from flask import Flask, request
from werkzeug.datastructures import FileStorage

from gallery.errors import register_error_handlers
from gallery.uploads import CleanedImage, FileRejected, clean_file
from gallery.uploads.files import CHUNK, OUTPUT_MAX_PIXELS, clean_bytes

from . import corpus
from .corpus import AMPLIFYING, BLUE, HOSTILE, RED


def upload(data, filename="photo.jpg", content_type="image/jpeg", **limits):
    """What the endpoint will pass: werkzeug's FileStorage, with whatever name and type the client chose."""
    return clean_file(FileStorage(io.BytesIO(data), filename=filename, content_type=content_type), **limits)


def rejected(data, **kwargs):
    with pytest.raises(FileRejected) as caught:
        upload(data, **kwargs)
    assert caught.value.field == "file"
    return caught.value.status, caught.value.code


def opened(cleaned_or_bytes):
    data = getattr(cleaned_or_bytes, "data", cleaned_or_bytes)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def jpeg_markers(data):
    """Marker bytes of the segments before the image data (APPn, COM, DQT, SOF, ...)."""
    markers, i = [], 2
    while data[i + 1] != 0xDA:
        markers.append(data[i + 1])
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return markers


def png_chunks(data):
    chunks, i = [], 8
    while i < len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        chunks.append(data[i + 4:i + 8])
        i += 12 + length
    return chunks


def assert_bare_jpeg(data):
    markers = jpeg_markers(data)
    metadata = [hex(m) for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE]  # APP1 to APP15, COM
    assert not metadata
    assert b"Exif" not in data and b"xmpmeta" not in data and b"ICC_PROFILE" not in data
    assert not opened(data).getexif()


# Accepted images


def test_jpeg_is_rotated_stripped_and_its_gps_returned():
    data = corpus.jpeg(exif=corpus.exif(orientation=6), comment=corpus.SCRIPT, xmp=corpus.XMP,
                       icc_profile=corpus.srgb_profile())
    assert b"Exif" in data and b"xmpmeta" in data and corpus.SCRIPT in data  # the input does carry them

    cleaned = upload(data)

    assert isinstance(cleaned, CleanedImage)
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.gps == pytest.approx(corpus.SYDNEY, abs=1e-6)
    assert_bare_jpeg(cleaned.data)
    assert corpus.SCRIPT not in cleaned.data
    image = opened(cleaned)
    assert image.format == "JPEG" and "icc_profile" not in image.info and "comment" not in image.info
    # Orientation 6 means "turn 90 degrees clockwise to display": the stored left (red) ends on top.
    assert image.size == (cleaned.width, cleaned.height) == (20, 40)
    assert near(image.getpixel((10, 5)), RED) and near(image.getpixel((10, 35)), BLUE)


@pytest.mark.parametrize("orientation, top_left, size", [
    (1, RED, (40, 20)), (2, BLUE, (40, 20)), (3, BLUE, (40, 20)), (4, RED, (40, 20)),
    (5, RED, (20, 40)), (7, BLUE, (20, 40)), (8, BLUE, (20, 40)),
])
def test_other_orientations_are_applied(orientation, top_left, size):
    image = opened(upload(corpus.jpeg(exif=corpus.exif(orientation=orientation, gps=False))))
    assert image.size == size
    assert near(image.getpixel((2, 2)), top_left)


def test_no_gps_without_gps_exif():
    assert upload(corpus.jpeg()).gps is None
    assert upload(corpus.jpeg(exif=corpus.exif(gps=False))).gps is None


def test_malformed_gps_is_dropped_not_fatal():
    exif = corpus.exif(gps=False)
    exif[0x8825] = {1: "N", 2: (1, 2)}  # latitude with two parts instead of three, no longitude
    cleaned = upload(corpus.jpeg(exif=exif))
    assert cleaned.gps is None
    assert_bare_jpeg(cleaned.data)


def test_png_text_chunks_exif_and_icc_are_stripped():
    info = PngInfo()
    info.add_text("Comment", corpus.SCRIPT.decode())
    info.add_text("Software", "x" * 500, zip=True)
    info.add_itxt("XML:com.adobe.xmp", corpus.XMP.decode())
    info.add(b"prVt", b"private chunk")
    data = corpus.png(pnginfo=info, exif=corpus.exif(orientation=6), icc_profile=corpus.srgb_profile())
    assert {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP", b"prVt"} <= set(png_chunks(data))

    cleaned = upload(data, filename="x.png", content_type="image/png")

    assert cleaned.content_type == "image/png"
    assert set(png_chunks(cleaned.data)) == {b"IHDR", b"IDAT", b"IEND"}
    assert cleaned.gps == pytest.approx(corpus.SYDNEY, abs=1e-6)
    image = opened(cleaned)
    assert image.size == (20, 40) and not image.getexif() and not image.text
    assert near(image.getpixel((10, 5)), RED, 0)


def test_png_transparency_survives():
    image = corpus.two_halves(mode="RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))
    out = opened(upload(corpus.png(image)))
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0 and out.getpixel((5, 5)) == (*RED, 255)

    palette = corpus.two_halves().convert("P")
    palette.info["transparency"] = palette.getpixel((0, 0))  # red is transparent
    out = opened(upload(corpus.png(palette)))
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0 and out.getpixel((30, 5)) == (*BLUE, 255)


def test_sixteen_bit_grey_png_keeps_its_depth():
    image = Image.new("I;16", (8, 8), 30000)
    out = opened(upload(corpus.png(image)))
    assert out.mode.startswith("I") and out.getpixel((0, 0)) == 30000


def test_webp_becomes_a_bare_jpeg():
    data = corpus.webp(exif=corpus.exif(orientation=6), xmp=corpus.XMP, quality=95)
    cleaned = upload(data, filename="x.webp", content_type="image/webp")
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.gps == pytest.approx(corpus.SYDNEY, abs=1e-6)
    assert_bare_jpeg(cleaned.data)
    image = opened(cleaned)
    assert image.size == (20, 40) and near(image.getpixel((10, 5)), RED)


def test_lossy_webp_with_transparency_stays_a_lossy_webp():
    image = corpus.two_halves(mode="RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 8, 8))
    cleaned = upload(corpus.webp(image, quality=80, exif=corpus.exif()))
    assert cleaned.content_type == "image/webp"
    assert b"EXIF" not in cleaned.data and b"Exif" not in cleaned.data
    out = opened(cleaned)
    assert out.mode == "RGBA" and out.getpixel((2, 2))[3] == 0 and near(out.getpixel((30, 15)), BLUE)


def test_webp_with_transparency_becomes_png():
    image = corpus.two_halves(mode="RGBA")
    image.putpixel((0, 0), (0, 0, 0, 0))
    cleaned = upload(corpus.webp(image, lossless=True))
    assert cleaned.content_type == "image/png"
    assert opened(cleaned).getpixel((0, 0))[3] == 0


@pytest.mark.parametrize("encode", [corpus.jpeg, corpus.png])
def test_colour_profile_is_applied_to_the_pixels_then_dropped(encode):
    image = opened(upload(encode(Image.new("RGB", (8, 8), RED), icc_profile=corpus.swapped_profile())))
    assert "icc_profile" not in image.info
    assert near(image.getpixel((4, 4)), BLUE)


def test_unusable_colour_profile_is_dropped():
    image = opened(upload(corpus.jpeg(icc_profile=b"not a profile" * 20)))
    assert "icc_profile" not in image.info and near(image.getpixel((5, 5)), RED)


def test_cmyk_and_greyscale_jpegs():
    cmyk = opened(upload(corpus.jpeg(corpus.two_halves().convert("CMYK"))))
    assert cmyk.mode == "RGB" and near(cmyk.getpixel((5, 5)), RED)
    grey = opened(upload(corpus.jpeg(corpus.two_halves().convert("L"))))
    assert grey.mode == "L"


@pytest.mark.parametrize("options", [
    {"progressive": True}, {"restart_marker_blocks": 1}, {"optimize": True}, {"quality": 10},
], ids=str)
def test_jpeg_variants_are_read_to_their_end(options):
    assert upload(corpus.jpeg(corpus.two_halves((64, 48)), **options)).width == 64


def test_end_markers_inside_exif_do_not_end_the_jpeg():
    # An embedded thumbnail or maker note may hold its own EOI; only the segment walk finds the real one.
    exif = corpus.exif(gps=False)
    exif[0x927C] = b"\xff\xd8\xff\xd9" + corpus.HTML  # MakerNote
    cleaned = upload(corpus.jpeg(exif=exif))
    assert corpus.SCRIPT not in cleaned.data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animations_keep_their_first_frame(fmt):
    frames = [corpus.two_halves(), Image.new("RGB", (40, 20), (0, 255, 0))]
    data = corpus.encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    image = opened(upload(data))
    assert getattr(image, "n_frames", 1) == 1 and near(image.getpixel((2, 2)), RED)


def test_nul_padding_after_the_image_is_tolerated():
    assert upload(corpus.jpeg() + bytes(64)).width == 40


def test_html_inside_a_comment_is_removed_by_reencoding():
    cleaned = upload(corpus.jpeg(comment=corpus.HTML))
    assert b"<html" not in cleaned.data and b"script" not in cleaned.data


# Bounded output: what cleaning produces, not only what it accepts


def test_a_phone_photo_keeps_its_size_and_quality():
    data = corpus.phone_photo()
    source = Image.open(io.BytesIO(data))
    cleaned = upload(data)
    image = opened(cleaned)
    assert image.size == (3024, 4032)  # upright, never scaled
    assert image.quantization == source.quantization  # the camera's own quality
    assert JpegImagePlugin.get_sampling(image) == JpegImagePlugin.get_sampling(source) == 2  # 4:2:0
    assert 0.8 < len(cleaned.data) / len(data) < 1.1
    assert_bare_jpeg(cleaned.data)


@pytest.mark.parametrize("name", AMPLIFYING)
def test_cleaning_never_produces_more_than_the_input_limit(name):
    make, limit = AMPLIFYING[name]
    data = make()
    source = Image.open(io.BytesIO(data))
    assert len(data) <= limit  # accepted as it is
    cleaned = upload(data, max_bytes=limit)
    assert len(cleaned.data) <= limit
    image = opened(cleaned)
    assert abs(image.width / image.height - source.width / source.height) < 0.01  # scaled, never cropped
    if source.mode == "RGBA":
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_a_huge_image_is_scaled_down_as_it_is_decoded():
    data = corpus.jpeg(corpus.grainy((6000, 4000)), quality=60)
    cleaned = upload(data)
    assert 0.99 * OUTPUT_MAX_PIXELS < cleaned.width * cleaned.height <= OUTPUT_MAX_PIXELS
    assert (cleaned.width, cleaned.height) == opened(cleaned).size and cleaned.width / cleaned.height == 1.5


def test_an_image_that_cannot_be_made_small_enough_is_refused():
    data = corpus.webp(corpus.cut_out(corpus.grainy((400, 400))), lossless=True)
    with pytest.raises(FileRejected) as caught:
        clean_bytes(data, max_bytes=50)  # below what even a 1-pixel image encodes to
    assert (caught.value.status, caught.value.code) == (400, "image_too_large")


# Refused files


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused(name):
    data, status, code = HOSTILE[name]
    assert rejected(data, filename="photo.jpg", content_type="image/jpeg") == (status, code)


def test_rejection_is_answered_as_a_json_error():
    app = Flask(__name__)
    register_error_handlers(app)

    @app.post("/upload")
    def upload_view():
        clean_file(request.files.get("file"))

    form = {"file": (io.BytesIO(corpus.SVG), "cat.jpg", "image/jpeg")}
    response = app.test_client().post("/upload", data=form)
    assert response.status_code == 415
    assert response.get_json() == {"error": {
        "code": "unsupported_file_type",
        "message": "Only JPEG, PNG and WebP photos are accepted.",
        "field": "file",
    }}


def test_no_file_part():
    with pytest.raises(FileRejected) as caught:
        clean_file(None)
    assert (caught.value.status, caught.value.code, caught.value.field) == (400, "missing_field", "file")


def test_pixel_limit_is_checked_before_decoding():
    data = corpus.png(Image.new("L", (2000, 2000)))
    assert rejected(data, max_pixels=3_999_999) == (400, "image_too_large")
    assert upload(data, max_pixels=4_000_000).width == 2000


def test_the_png_bomb_is_real():
    data = corpus.png_bomb()
    assert len(data) < 500_000
    inflater, inflated = zlib.decompressobj(), 0
    pending = data[8 + 25 + 8:-4 - 12]  # the IDAT payload, between IHDR and the IDAT CRC + IEND
    while pending:
        inflated += len(inflater.decompress(pending, 1 << 24))
        pending = inflater.unconsumed_tail
    assert inflater.eof and inflated == 50_000 * (1 + 50_000 // 8)  # checksum verified, every row there


def test_pillow_bomb_check_is_a_second_line():
    # With our limit out of the way, Pillow's DecompressionBombError still refuses 2.5 gigapixels.
    assert rejected(corpus.png_bomb(), max_pixels=10**12) == (400, "image_too_large")


class EndlessStream:
    """An upload that never ends, counting what was read; fails the test instead of hanging."""

    def __init__(self, prefix):
        self.prefix, self.bytes_read = prefix, 0

    def read(self, size=-1):
        assert 0 < size and self.bytes_read < 100 * 1024 * 1024, "clean_file kept reading"
        chunk = (self.prefix[self.bytes_read:] + bytes(size))[:size]
        self.bytes_read += len(chunk)
        return chunk


def test_oversize_stops_reading_at_the_limit():
    stream = EndlessStream(corpus.jpeg())
    with pytest.raises(FileRejected) as caught:
        clean_file(stream, max_bytes=1_000_000)
    assert (caught.value.status, caught.value.code) == (413, "file_too_large")
    assert 1_000_000 < stream.bytes_read <= 1_000_000 + CHUNK


def test_byte_limit_is_inclusive():
    data = corpus.jpeg()
    assert upload(data, max_bytes=len(data)).width == 40
    assert rejected(data, max_bytes=len(data) - 1) == (413, "file_too_large")


DAMAGEABLE = {
    "jpeg": lambda: corpus.jpeg(corpus.two_halves((32, 24)), exif=corpus.exif(orientation=6)),
    "progressive jpeg with a profile": lambda: corpus.jpeg(
        corpus.two_halves((64, 48)), progressive=True, icc_profile=corpus.swapped_profile()),
    "png": lambda: corpus.png(corpus.two_halves((32, 24)), exif=corpus.exif(orientation=6)),
    "palette png": lambda: corpus.png(corpus.two_halves().convert("P")),
    "webp": lambda: corpus.webp(corpus.two_halves((32, 24)), exif=corpus.exif(orientation=6)),
    "lossless webp": lambda: corpus.webp(corpus.two_halves((32, 24)), lossless=True, exif=corpus.exif()),
}


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the damaged EXIF it skips
@pytest.mark.parametrize("kind", DAMAGEABLE)
def test_damaged_files_never_escape_as_other_errors(kind):
    good = DAMAGEABLE[kind]()
    rng = random.Random(kind)
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        try:
            cleaned = upload(bytes(data))
        except FileRejected as exc:
            assert exc.status in (400, 415)
        else:
            assert b"Exif" not in cleaned.data
