"""Thumbnails and downloads: drawn (or derived from the uploaded file) JPEGs behind expiring signed URLs.

Thumbnail URLs have the document's shapes (`/s/100th_sm_<key>.jpg`, and for some assets the 550 one as
`/image_dir/album<folder>/md_<key>.jpg`), signed with `Expires` and `Signature` unless the requested
thumbnail_ttl is 'no-expiration'. Past `Expires`, or with a forged signature, they answer 403.
"""
import functools
import hashlib
import hmac
import io
import random

from PIL import Image, ImageDraw, ImageOps

_SECRET = b"acquia-dam-sandbox-url-signing"


def sign(path: str, expires: int | None, extra: str = "") -> str:
    message = f"{path}\n{expires}\n{extra}".encode()
    return hmac.new(_SECRET, message, hashlib.sha1).hexdigest()


def valid(path: str, expires: str | None, signature: str | None, now: float, extra: str = "",
          unsigned_ok: bool = False) -> bool:
    """A signed URL's check; an unsigned URL passes only where one was handed out ('no-expiration')."""
    if expires is None and signature is None:
        return unsigned_ok
    if expires is None or signature is None or not expires.isdigit():
        return False
    return hmac.compare_digest(sign(path, int(expires), extra), signature) and now <= int(expires)


def fit(width: int, height: int, box: int) -> tuple[int, int]:
    """Fit inside a box x box square, keeping the ratio, never upscaling."""
    scale = min(box / width, box / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def jpeg(asset, box: int | None) -> bytes:
    """The asset's picture fitting inside `box` (None: full size)."""
    if asset.upload is not None and asset.upload_type and asset.upload_type.startswith("image/"):
        return _from_upload(asset.upload, box)
    w, h = (asset.width, asset.height) if asset.width else asset.pixels
    if box is not None:
        w, h = fit(w, h, box)
    return _drawn(asset.id, asset.kind, w, h)


def _from_upload(data: bytes, box: int | None) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
            if box is not None:
                img = img.resize(fit(img.width, img.height, box))
            return _encode(img)
    except (OSError, ValueError, Image.DecompressionBombError):
        return _drawn("broken", "other", box or 100, box or 100)


@functools.lru_cache(maxsize=512)
def _drawn(seed: str, kind: str, w: int, h: int) -> bytes:
    """A studio shot of an anvil-ish product on a gradient, all in relative coordinates (every size shows
    the same picture); videos get a play button, documents a page."""
    rng = random.Random(seed)
    top, bottom = _colour(rng, 150, 255), _colour(rng, 60, 160)
    img = Image.composite(Image.new("RGB", (w, h), bottom), Image.new("RGB", (w, h), top),
                          Image.linear_gradient("L").resize((w, h)))
    draw = ImageDraw.Draw(img)
    metal = _colour(rng, 20, 90)
    if kind in ("document", "presentation", "other"):
        draw.rectangle((w * 0.25, h * 0.1, w * 0.75, h * 0.9), fill=(250, 250, 250))
        for i in range(6):
            y = h * (0.2 + i * 0.1)
            draw.line((w * 0.32, y, w * 0.68, y), fill=metal, width=max(1, h // 60))
        return _encode(img)
    cx, s = w * rng.uniform(0.4, 0.6), min(w, h) * rng.uniform(0.7, 0.9)
    base = h * 0.8
    draw.ellipse((cx - s * 0.6, base - s * 0.04, cx + s * 0.6, base + s * 0.06), fill=(40, 40, 40))  # shadow
    draw.polygon([(cx - s * 0.25, base), (cx + s * 0.25, base), (cx + s * 0.12, base - s * 0.25),
                  (cx - s * 0.12, base - s * 0.25)], fill=metal)  # foot
    draw.polygon([(cx - s * 0.5, base - s * 0.25), (cx + s * 0.35, base - s * 0.25),
                  (cx + s * 0.55, base - s * 0.45), (cx - s * 0.5, base - s * 0.45)], fill=metal)  # face and horn
    draw.rectangle((cx - s * 0.5, base - s * 0.5, cx + s * 0.3, base - s * 0.45), fill=_colour(rng, 120, 200))
    if kind == "audiovideo":
        r, px, py = min(w, h) * 0.15, w / 2, h / 2
        draw.polygon([(px - r * 0.6, py - r), (px - r * 0.6, py + r), (px + r, py)], fill=(255, 255, 255))
    return _encode(img)


def _encode(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def _colour(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    return rng.randint(low, high), rng.randint(low, high), rng.randint(low, high)
