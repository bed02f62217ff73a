"""The Olapic media source: an HTTP client with a shared Redis cache, and the source built on it."""
from .client import OlapicClient, Upstream
from .source import OlapicSource

__all__ = ["OlapicClient", "OlapicSource", "Upstream"]
