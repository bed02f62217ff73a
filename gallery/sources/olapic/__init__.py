"""The Olapic media source: an HTTP client with a shared Redis cache, and the source built on it."""
from ...upstream.client import OlapicClient, Upstream
from .catalogue import OlapicSource

__all__ = ["OlapicClient", "OlapicSource", "Upstream"]
