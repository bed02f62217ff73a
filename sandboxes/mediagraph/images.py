"""Preview files: product photos of an anvil, drawn deterministically per asset (no printed ids), or
derived from the bytes a contributor uploaded. Rendered lazily, kept in a small LRU."""
import io
import random

from PIL import Image, ImageDraw, ImageOps

from ..common.lru import Lru
from ..common.media import PLACEHOLDER_MP4, sniff

# Mediagraph's preview sizes are undocumented: the longest side of each, never upscaled (sandbox choice).
BOXES = {"thumb": 150, "grid": 320, "small": 640, "permalink": 1200, "full": 2048}
_CACHE_SIZE = 256

__all__ = ["BOXES", "FileCache", "PLACEHOLDER_MP4", "fitted", "sniff", "upload_size"]


def fitted(width: int, height: int, name: str) -> tuple[int, int]:
    scale = min(BOXES[name] / max(width, height), 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def upload_size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return ImageOps.exif_transpose(img).size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


class FileCache:
    """Encoded previews of one sandbox state, rendered on first request."""

    def __init__(self):
        self._lru = Lru(_CACHE_SIZE)

    def get(self, asset, name: str) -> bytes:
        return self._lru.get((asset.guid, name), lambda: _render(asset, name))


def _render(asset, name: str) -> bytes:
    if asset.data is not None and asset.data_kind != "mp4":
        with Image.open(io.BytesIO(asset.data)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
            picture = img.resize(fitted(img.width, img.height, name))
    else:
        picture = _anvil(asset, *fitted(*asset.draw_size, name))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=82)
    return out.getvalue()


def _anvil(asset, w: int, h: int) -> Image.Image:
    """A studio shot: a backdrop gradient, a floor shadow and an anvil, framed by the asset's seed."""
    rng = random.Random(asset.guid)
    top = tuple(rng.randint(170, 245) for _ in range(3))
    bottom = tuple(max(0, c - rng.randint(40, 90)) for c in top)
    mask = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top), mask)
    draw = ImageDraw.Draw(img)
    cx, base, s = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.72, 0.82), min(w, h) * rng.uniform(0.35, 0.5)
    metal = tuple(rng.randint(40, 90) for _ in range(3))
    draw.ellipse((cx - s, base - s * 0.08, cx + s, base + s * 0.08), fill=tuple(c // 2 for c in bottom))
    # Body, waist, foot and horn, in units of s so every size shows the same picture.
    draw.rectangle((cx - s * 0.45, base - s * 0.25, cx + s * 0.45, base), fill=metal)
    draw.rectangle((cx - s * 0.2, base - s * 0.55, cx + s * 0.2, base - s * 0.25), fill=metal)
    draw.polygon([(cx - s * 0.7, base - s * 0.85), (cx + s * 0.55, base - s * 0.85),
                  (cx + s * 0.55, base - s * 0.55), (cx - s * 0.45, base - s * 0.55)], fill=metal)
    draw.polygon([(cx + s * 0.55, base - s * 0.85), (cx + s * 1.05, base - s * 0.78),
                  (cx + s * 0.55, base - s * 0.6)], fill=metal)
    shine = tuple(min(255, c + 70) for c in metal)
    draw.line((cx - s * 0.65, base - s * 0.82, cx + s * 0.5, base - s * 0.82), fill=shine, width=max(1, round(s / 40)))
    if asset.type == "Video":  # a play button, so posters read as videos
        r = min(w, h) * 0.12
        draw.polygon([(w / 2 - r * 0.6, h / 2 - r), (w / 2 - r * 0.6, h / 2 + r), (w / 2 + r, h / 2)],
                     fill=(255, 255, 255))
    return img
