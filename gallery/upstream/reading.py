"""A tolerant reader's small helpers, for any source's normalize.py: upstream JSON drifts from its
documents (numbers as strings, null or empty values, relative or odd URLs), and these read it
without ever raising."""


def positive_int(value):
    """A positive integer from a number or numeric text (2400, "2400", 2400.0); None otherwise."""
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number > 0 else None


def http_url(value):
    """An absolute http(s) URL, else None."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


def text(value):
    """Non-blank text, else None."""
    return value if isinstance(value, str) and value.strip() else None


def fit(width, height, box):
    """{"width", "height"} of a width x height picture fitted in a `box` px square, never upscaled;
    None for both when the box or the size is unknown."""
    if not box or not width or not height or width <= 0 or height <= 0:
        return {"width": None, "height": None}
    scale = min(box / width, box / height, 1.0)
    return {"width": max(1, round(width * scale)), "height": max(1, round(height * scale))}
