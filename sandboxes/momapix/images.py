"""Rendition files, drawn deterministically with PIL (an anvil on a backdrop) or derived from an upload.

thumb_m and thumb_l fit inside the configured boxes (default 150 and 640 px), keeping the ratio and
never upscaling; the original (one-time downloads only) has the item's own size, capped for speed.
"""
import io
import random
import threading
from collections import OrderedDict

from PIL import Image, ImageDraw, ImageOps

DEFAULT_BOXES = {"thumb_m": 150, "thumb_l": 640}
SIZELESS = (1600, 1200)  # what is drawn for an item that carries no xsize/ysize
ORIGINAL_CAP = 2000  # originals are drawn at most this large (the item's xsize/ysize still say the truth)
# A bare MP4 header: seeded videos have no footage, but url_stream_m answers with a valid container.
PLACEHOLDER_MP4 = (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
                   b"\x00\x00\x00\x08free\x00\x00\x00\x08mdat")


def sniff(data: bytes) -> tuple[str, str, str] | None:
    """(archive, mime type, extension) of an uploaded file by its magic bytes, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "photo", "image/jpeg", "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo", "image/png", "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "photo", "image/gif", "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "photo", "image/webp", "webp"
    if data[4:8] == b"ftyp":
        return "video", "video/mp4", "mp4"
    return None


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
    """LRU of encoded files, one per sandbox state (a reset forgets uploads)."""

    def __init__(self, boxes: dict, size: int = 256):
        self.boxes = boxes
        self._items: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, item, name: str) -> bytes:
        key = (item.key, name)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        data = self._render(item, name)
        with self._lock:
            self._items[key] = data
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return data

    def _render(self, item, name: str) -> bytes:
        if name == "original" and item.upload is not None:
            return item.upload
        box = self.boxes.get(name, ORIGINAL_CAP)
        if item.upload is not None and item.archive == "photo":
            with Image.open(io.BytesIO(item.upload)) as img:
                img = ImageOps.exif_transpose(img).convert("RGB")
                picture = img.resize(fit(img.width, img.height, box))
        else:
            picture = _drawn(item, *fit(item.xsize, item.ysize, box))
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=85)
        return out.getvalue()


def _drawn(item, w: int, h: int) -> Image.Image:
    """A backdrop gradient, a floor, and an anvil silhouette, placed in relative coordinates."""
    rng = random.Random(item.key)
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
    if item.archive == "video":  # a play button, so posters read as videos
        r = min(w, h) * 0.12
        draw.polygon([(w / 2 - r * 0.6, h / 2 - r), (w / 2 - r * 0.6, h / 2 + r), (w / 2 + r, h / 2)],
                     fill=(255, 255, 255))
    elif item.archive in ("audio", "text"):  # a note or a page, so a leaked one is obvious
        draw.rectangle((w * 0.05, h * 0.05, w * 0.25, h * 0.3), fill=(255, 255, 255))
    return img


def _colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return rng.randint(low, high), rng.randint(low, high), rng.randint(low, high)
