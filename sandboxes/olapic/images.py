"""Real JPEG renditions, drawn deterministically per medium or derived from the uploaded file.

square is 90x90 cropped; thumbnail, mobile and normal fit inside 150/320/640 keeping the ratio (never
upscaled); original has the medium's original_image_width x original_image_height.
"""
import functools
import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from ..common.lru import Lru
from ..common.media import PLACEHOLDER_MP4, sniff

__all__ = ["BOXES", "PLACEHOLDER_MP4", "RenditionCache", "avatar", "image_size", "render", "sniff"]

BOXES = {"thumbnail": 150, "mobile": 320, "normal": 640}
SQUARE = 90
_CACHE_SIZE = 512


def image_size(data: bytes) -> tuple[int, int] | None:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


class RenditionCache:
    """LRU of encoded renditions. Those of uploads are kept per sandbox state, so a reset never serves a
    stale upload; drawn ones depend on nothing but the medium's id and size, so every state shares them
    (a reset does not draw the seeded catalogue again)."""

    def __init__(self, size: int = _CACHE_SIZE):
        self._uploads = Lru(size)

    def get(self, medium, rendition: str) -> bytes:
        if medium.upload is not None and medium.upload_type != "mp4":
            return self._uploads.get((medium.key, rendition), lambda: render(medium, rendition))
        return _DRAWN.get((medium.id, medium.width, medium.height, rendition), lambda: render(medium, rendition))


_DRAWN = Lru(_CACHE_SIZE)


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


# The product: the Acme anvil's outline (horn to the left), in a 440 x 230 box, quadratic curves sampled.
def _curve(p0, c, p1, steps=8):
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1]) for t in (i / steps for i in range(1, steps + 1))]


ANVIL = [(0, 0), *_curve((0, 0), (90, 30), (130, 30)), (370, 30), (440, 0), (440, 70), (360, 80),
         *_curve((360, 80), (310, 95), (300, 130)), (300, 170), (340, 180), (340, 230), (120, 230), (120, 180),
         (160, 170), (160, 130), *_curve((160, 130), (150, 95), (100, 85)), *_curve((100, 85), (50, 75), (0, 0))]
FACE = [(0, 0), *_curve((0, 0), (90, 30), (130, 30)), (370, 30), (440, 0), (440, 15), (370, 42), (130, 42),
        *_curve((130, 42), (90, 42), (20, 18))]
ANVIL_W, ANVIL_H = 440, 230
FINISHES = [(38, 38, 42), (43, 47, 58), (150, 32, 28), (36, 64, 120), (120, 122, 128), (70, 58, 48)]
# Scenes: (top of the backdrop, bottom of it, the floor, where the floor starts as a share of the height)
SCENES = [
    ((250, 200, 150), (240, 150, 90), (214, 170, 120), 0.62),   # desert at sunset
    ((150, 200, 240), (210, 230, 245), (196, 168, 126), 0.66),  # desert at noon
    ((120, 88, 64), (92, 66, 48), (140, 100, 66), 0.6),         # workshop, a wooden bench
    ((236, 233, 228), (214, 210, 204), (226, 222, 216), 0.64),  # studio, a seamless backdrop
    ((60, 72, 96), (40, 46, 62), (70, 74, 82), 0.63),           # night in the garage
    ((180, 214, 170), (120, 170, 110), (96, 140, 80), 0.6),     # in the garden
    ((238, 214, 220), (220, 186, 196), (232, 220, 208), 0.65),  # a pastel studio
]


def _shade(colour, k):
    return tuple(max(0, min(255, round(c * k))) for c in colour)


def _scene(medium, w: int, h: int) -> Image.Image:
    """A photo of the anvil: a scene, a light and a finish chosen by the medium's id, everything placed in
    relative coordinates so that every rendition shows one picture (and the square crop keeps the anvil)."""
    rng = random.Random(medium.id)
    top, bottom, floor, horizon = rng.choice(SCENES)
    light = rng.uniform(0.8, 1.15)
    warm = rng.uniform(-12, 12)
    tint = lambda c: _shade((c[0] + warm, c[1], c[2] - warm), light)  # noqa: E731
    mask = Image.linear_gradient("L").resize((w, h))
    img = Image.composite(Image.new("RGB", (w, h), tint(bottom)), Image.new("RGB", (w, h), tint(top)), mask)
    draw = ImageDraw.Draw(img)
    y0 = round(h * horizon)
    draw.rectangle((0, y0, w, h), fill=tint(floor))
    draw.rectangle((0, y0, w, y0 + max(1, h // 120)), fill=_shade(tint(floor), 0.85))
    # Something behind: a window's glow, a cactus, or a shelf, for depth.
    prop = rng.randrange(3)
    if prop == 0:
        x = rng.uniform(0.05, 0.7) * w
        draw.rectangle((x, h * 0.12, x + w * 0.22, h * 0.42), fill=_shade(tint(top), 1.18))
    elif prop == 1:
        x, green = rng.uniform(0.05, 0.85) * w, tint((70, 120, 70))
        draw.rounded_rectangle((x, h * 0.3, x + w * 0.05, y0 + h * 0.02), radius=w * 0.025, fill=green)
        draw.rounded_rectangle((x - w * 0.04, h * 0.4, x + w * 0.005, h * 0.44), radius=w * 0.02, fill=green)
    else:
        draw.rectangle((0, h * 0.3, w, h * 0.33), fill=_shade(tint(bottom), 0.7))
    img = img.filter(ImageFilter.GaussianBlur(max(w, h) / 250))  # the backdrop a little out of focus
    # The anvil, in the middle third, sometimes mirrored, sitting on the floor with its shadow.
    scale = min(w * rng.uniform(0.5, 0.7) / ANVIL_W, h * 0.55 / ANVIL_H)
    mirror = rng.random() < 0.4
    ax = w / 2 + rng.uniform(-0.06, 0.06) * w - ANVIL_W * scale / 2
    ay = y0 + (h - y0) * rng.uniform(0.35, 0.7) - ANVIL_H * scale

    def place(points):
        return [(ax + (ANVIL_W - x if mirror else x) * scale, ay + y * scale) for x, y in points]

    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).ellipse((ax - 0.05 * ANVIL_W * scale, ay + 215 * scale, ax + 1.05 * ANVIL_W * scale,
                                    ay + 250 * scale), fill=130)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(2, scale * 10)))
    img.paste((0, 0, 0), mask=shadow)
    # The metal: lit from one side (a horizontal gradient), its top face catching the light.
    finish = _shade(rng.choice(FINISHES), light)
    body = Image.new("L", (w, h), 0)
    ImageDraw.Draw(body).polygon(place(ANVIL), fill=255)
    side = Image.linear_gradient("L").rotate(90 if rng.random() < 0.5 else -90).resize((w, h))
    lit = Image.composite(Image.new("RGB", (w, h), _shade(finish, 1.45)), Image.new("RGB", (w, h), _shade(finish, 0.7)), side)
    img.paste(lit, mask=body)
    draw = ImageDraw.Draw(img)
    draw.polygon(place(FACE), fill=_shade(finish, 1.9) if sum(finish) > 90 else (104, 104, 112))
    draw.polygon(place([(120, 196), (340, 196), (340, 204), (120, 204)]), fill=_shade(finish, 0.6))
    # Grain, as a camera's sensor would add.
    noise = Image.effect_noise((max(1, w // 2), max(1, h // 2)), 40).resize((w, h))
    return Image.blend(img, Image.merge("RGB", (noise, noise, noise)), 0.05)


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
