"""Validate an uploaded image and re-encode it without any metadata.

The type comes from the bytes alone: a file's name and declared Content-Type are not even parameters.
Accepted: JPEG, PNG and WebP. Every accepted file is fully decoded and re-encoded, so nothing but its
pixels survives: EXIF (GPS included), XMP, ICC profiles, comments, text chunks. Output format:

- JPEG in, JPEG out, with the input's own quantization tables and chroma subsampling: a phone photo
  keeps its quality, and comes out about the size it went in;
- PNG in, PNG out (keeps transparency and 16-bit grey);
- WebP in: JPEG out, or, when it has real transparency, PNG for a lossless WebP and a lossy WebP for
  a lossy one (a lossy photo with an alpha channel would grow some 40-fold as a PNG);
- an animated PNG or WebP becomes a still image of its first frame.

What cleaning produces is bounded as well as what it accepts, since the cleaned bytes are kept (in
Redis, for up to UPLOAD_TTL) and their making costs a web worker memory and CPU:
- an image above OUTPUT_MAX_PIXELS (16.7 MP; a 12 MP phone photo is below) is scaled down to it as it
  is decoded (a JPEG is decoded at 1/2, 1/4 or 1/8 scale, the others reduced right after), so every
  later step works on at most that many pixels;
- the output is at most `max_bytes`, the input limit: when an encoding comes out bigger, the image is
  scaled down to fit and encoded again.
One clean thus holds at most the decoded input (max_pixels x 4 bytes) and a 16.7 MP working copy;
how many run at once in a process is capped by the caller (views.py, UPLOAD_CLEAN_CONCURRENCY).

Pixels are first rotated by the EXIF orientation and converted to sRGB when an ICC profile is
embedded, so the image looks as it did without that metadata.

Polyglots: any data after the image's own end (JPEG EOI, PNG IEND, the WebP RIFF size) is refused, NUL
padding aside, because a JPEG + ZIP or JPEG + HTML file is also a valid archive or page. Data hidden
inside the image's structure (comments, text chunks, EXIF) is harmless once re-encoded.
Phone "motion photos" append a video after the JPEG end, and are refused with a message saying so.

Errors (FileRejected, an ApiError with field "file"):

| status | code | when |
|---|---|---|
| 400 | `missing_field` | no file part at all |
| 400 | `invalid_file` | zero bytes, or data after the image's end (polyglot) |
| 400 | `corrupt_file` | truncated or undecodable image |
| 400 | `image_too_large` | width x height above `max_pixels` (decompression bomb) |
| 413 | `file_too_large` | more than `max_bytes`; reading stops there |
| 415 | `unsupported_file_type` | not JPEG, PNG or WebP by content (SVG, HTML, GIF, BMP, TIFF, ...) |
"""
from dataclasses import dataclass

from ..errors import ApiError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50 MP photo decodes to ~150 MB of RGB
OUTPUT_MAX_PIXELS = 4096 * 4096  # what every step after decoding works on, at most
CHUNK = 64 * 1024


class FileRejected(ApiError):
    def __init__(self, status, code, message):
        super().__init__(status, code, message, field="file")

    def __reduce__(self):  # raised in a cleaning process, re-raised in the web worker
        return FileRejected, (self.status, self.code, self.message)


@dataclass(frozen=True)
class CleanedImage:
    data: bytes
    content_type: str  # image/jpeg, image/png or image/webp
    width: int
    height: int
    gps: tuple[float, float] | None  # (latitude, longitude) in decimal degrees, from the EXIF


def clean_file(stream, *, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS):
    """Return a CleanedImage for the binary file-like `stream`, or raise FileRejected."""
    return clean_bytes(read_file(stream, max_bytes), max_bytes=max_bytes, max_pixels=max_pixels)


def read_file(stream, max_bytes=MAX_BYTES):
    """The bytes of the upload `stream`, read no further than `max_bytes`; or raise FileRejected."""
    if stream is None:
        raise FileRejected(400, "missing_field", "Choose a photo to upload.")
    data = bytearray()
    while chunk := stream.read(CHUNK):
        data += chunk
        if len(data) > max_bytes:
            raise FileRejected(413, "file_too_large", f"The file is larger than {max_bytes:,} bytes.")
    return bytes(data)


def clean_bytes(data, *, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS):
    """Return a CleanedImage for the file `data` (at most max_bytes long), or raise FileRejected."""
    # Pillow is imported where images are cleaned (cleaning.py's processes preload it), not by every web worker.
    from . import images

    return images.clean_bytes(data, max_bytes=max_bytes, max_pixels=max_pixels)
