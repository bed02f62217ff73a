"""The embeddable carousel: its loader, its versioned assets, the instance settings it can start from,
and the sandbox demo page. The element itself is static/carousel.js and static/carousel.css; its upload
form, loaded on demand, static/upload.js and static/upload.css."""
from .views import bp

__all__ = ["bp"]
