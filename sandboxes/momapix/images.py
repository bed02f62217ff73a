"""Rendition files, drawn deterministically with PIL (an anvil on a backdrop) or derived from an upload.

thumb_m and thumb_l fit inside the configured boxes (default 150 and 640 px), keeping the ratio and
never upscaling; the original (one-time downloads only) has the item's own size, capped for speed.
"""
import functools
import io
import random

from PIL import Image, ImageDraw, ImageOps

from ..common import media

DEFAULT_BOXES = {"thumb_m": 150, "thumb_l": 640}
SIZELESS = (1600, 1200)  # what is drawn for an item that carries no xsize/ysize
ORIGINAL_CAP = 2000  # originals are drawn at most this large (the item's xsize/ysize still say the truth)
# (archive, mime type, extension) of each kind of upload.
_KINDS = {"jpeg": ("photo", "image/jpeg", "jpg"), "png": ("photo", "image/png", "png"),
          "gif": ("photo", "image/gif", "gif"), "webp": ("photo", "image/webp", "webp"),
          "mp4": ("video", "video/mp4", "mp4")}


def sniff(data: bytes) -> tuple[str, str, str] | None:
    """(archive, mime type, extension) of an uploaded file by its magic bytes, or None."""
    return _KINDS.get(media.sniff(data))


def pixel_size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def fit(width: int | None, height: int | None, box: int) -> tuple[int, int]:
    width, height = (width, height) if width and height else SIZELESS
    scale = min(box / width, box / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


class Renditions:
    """Encoded files of the configured boxes. Drawn files are cached (seeded items never change; an
    upload's key is new each time); uploads are derived on request."""

    def __init__(self, boxes: dict):
        self.boxes = boxes

    def get(self, item, name: str) -> bytes:
        box = self.boxes.get(name, ORIGINAL_CAP)
        if item.upload is None or item.archive != "photo":  # seeded, or a video's poster
            return _drawn_jpeg(item.key, item.archive, *fit(item.xsize, item.ysize, box))
        if name == "original":
            return item.upload
        with Image.open(io.BytesIO(item.upload)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
            return _jpeg(img.resize(fit(img.width, img.height, box)))


@functools.lru_cache(maxsize=256)
def _drawn_jpeg(key: str, archive: str, w: int, h: int) -> bytes:
    return _jpeg(_drawn(key, archive, w, h))


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def _drawn(key: str, archive: str, w: int, h: int) -> Image.Image:
    """A backdrop, a floor, and an anvil silhouette, placed in relative coordinates."""
    rng = random.Random(key)
    sky, floor, metal = _colour(rng, 120, 255), _colour(rng, 60, 160), _colour(rng, 20, 80)
    img = Image.new("RGB", (w, h), sky)
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, h * 0.72, w, h), fill=floor)
    cx, base, s = w * rng.uniform(0.35, 0.65), h * 0.74, min(w, h) * rng.uniform(0.25, 0.4)
    draw.polygon([(cx - s * 0.55, base), (cx + s * 0.55, base), (cx + s * 0.3, base - s * 0.25),
                  (cx - s * 0.3, base - s * 0.25)], fill=metal)  # foot
    draw.rectangle((cx - s * 0.2, base - s * 0.55, cx + s * 0.2, base - s * 0.25), fill=metal)  # waist
    draw.polygon([(cx - s * 0.6, base - s * 0.55), (cx + s * 0.5, base - s * 0.55), (cx + s * 0.5, base - s * 0.8),
                  (cx - s * 0.9, base - s * 0.8), (cx - s * 1.1, base - s * 0.72)], fill=metal)  # face and horn
    if archive == "video":  # a play button, so posters read as videos
        r = min(w, h) * 0.12
        draw.polygon([(w / 2 - r * 0.6, h / 2 - r), (w / 2 - r * 0.6, h / 2 + r), (w / 2 + r, h / 2)],
                     fill=(255, 255, 255))
    elif archive in ("audio", "text"):  # a note or a page, so a leaked one is obvious
        draw.rectangle((w * 0.05, h * 0.05, w * 0.25, h * 0.3), fill=(255, 255, 255))
    return img


def _colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return rng.randint(low, high), rng.randint(low, high), rng.randint(low, high)
