"""Real JPEG renditions, drawn deterministically per medium or derived from the uploaded file.

square is 90x90 cropped; thumbnail, mobile and normal fit inside 150/320/640 keeping the ratio (never
upscaled); original has the medium's original_image_width x original_image_height.
"""
import functools
import io
import random
import threading
from collections import OrderedDict

from PIL import Image, ImageDraw, ImageOps

BOXES = {"thumbnail": 150, "mobile": 320, "normal": 640}
SQUARE = 90
_CACHE_SIZE = 512

# A bare MP4 header: seeded videos have no footage, but their video_url answers with a valid container.
PLACEHOLDER_MP4 = (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
                   b"\x00\x00\x00\x08free\x00\x00\x00\x08mdat")


def sniff(data: bytes) -> str | None:
    """The kind of an uploaded file by its magic bytes; None if it is neither an image nor a video."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        return "mp4"
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


class RenditionCache:
    """LRU of encoded renditions; one per sandbox state, so a reset never serves a stale upload."""

    def __init__(self, size: int = _CACHE_SIZE):
        self._items: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, medium, rendition: str) -> bytes:
        key = (medium.key, rendition)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        data = render(medium, rendition)
        with self._lock:
            self._items[key] = data
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return data


def rendition_size(width: int, height: int, rendition: str) -> tuple[int, int]:
    if rendition == "original":
        return width, height
    if rendition == "square":
        return SQUARE, SQUARE
    scale = min(BOXES[rendition] / width, BOXES[rendition] / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def render(medium, rendition: str) -> bytes:
    if medium.upload is not None and medium.upload_type != "mp4":
        if rendition == "original" and medium.upload_type == "jpeg":
            return medium.upload
        picture = _from_upload(medium, rendition)
    else:
        picture = _drawn(medium, rendition)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def _from_upload(medium, rendition: str) -> Image.Image:
    with Image.open(io.BytesIO(medium.upload)) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        if rendition == "square":
            return ImageOps.fit(img, (SQUARE, SQUARE))
        return img.resize(rendition_size(img.width, img.height, rendition))


def _drawn(medium, rendition: str) -> Image.Image:
    if rendition != "square":
        return _scene(medium, *rendition_size(medium.width, medium.height, rendition))
    # Draw the scene just large enough to cover the square, then crop the centre, as a real crop would.
    scale = max(SQUARE / medium.width, SQUARE / medium.height)
    w, h = max(SQUARE, round(medium.width * scale)), max(SQUARE, round(medium.height * scale))
    left, top = (w - SQUARE) // 2, (h - SQUARE) // 2
    return _scene(medium, w, h).crop((left, top, left + SQUARE, top + SQUARE))


def _scene(medium, w: int, h: int) -> Image.Image:
    """A gradient with a few shapes, all placed in relative coordinates so every size shows one picture."""
    rng = random.Random(medium.id)
    top, bottom = _colour(rng), _colour(rng)
    mask = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), mask)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 6)):
        x0, y0 = rng.uniform(-0.1, 0.8) * w, rng.uniform(-0.1, 0.8) * h
        x1, y1 = x0 + rng.uniform(0.1, 0.5) * w, y0 + rng.uniform(0.1, 0.5) * h
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x0, y0, x1, y1), fill=_colour(rng))
    if medium.type == "VIDEO":  # a play button, so posters read as videos
        r, cx, cy = min(w, h) * 0.15, w / 2, h / 2
        draw.polygon([(cx - r * 0.6, cy - r), (cx - r * 0.6, cy + r), (cx + r, cy)], fill=(255, 255, 255))
    if min(w, h) >= 120:
        draw.text((8, h - 20), medium.id, fill=(255, 255, 255))
    return img


@functools.lru_cache(maxsize=256)
def avatar(user_id: str) -> bytes:
    """A 150x150 disc on a soft background, coloured by the user id (avatars of users without one)."""
    rng = random.Random(user_id)
    img = Image.new("RGB", (150, 150), _colour(rng))
    ImageDraw.Draw(img).ellipse((25, 25, 125, 125), fill=_colour(rng))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)
