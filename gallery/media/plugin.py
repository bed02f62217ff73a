"""How a source plugs in: its declaration, listed once in gallery/sources/__init__.py.

The composition root (gallery/__init__.py, gallery/settings.py, gallery/embedded.py) reads these
declarations; nothing else in the service names a source.
"""
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional


@dataclass(frozen=True)
class Sandbox:
    """The source's offline sandbox, started by `make run` / `python app.py` in sandbox mode."""

    module: str  # python -m <module> --port N
    port_offset: int  # it listens on PORT + port_offset (Olapic 1, Mediagraph 2, Acquia DAM 3, MomaPIX 4)
    url_setting: str  # the setting that points the source at it, e.g. OLAPIC_API_URL


@dataclass(frozen=True)
class Plugin:
    name: str
    # The environment variables that configure it: it is configured when all are set. With no
    # credentials of any source, the service is in sandbox mode and every source with a sandbox runs.
    credentials: tuple
    # settings(environ, sandbox_url) -> its config section: sandbox_url is its sandbox's address in
    # sandbox mode, else None. Every key starts with the source's own prefix (OLAPIC_...).
    settings: Callable[[Mapping, Optional[str]], dict]
    # build(config, redis_client, cache_redis, admit_miss) -> gallery.media.ports.Source
    # (cache_redis: for upstream answers, may evict; admit_miss: the web layer's limit on misses)
    build: Callable
    sandbox: Optional[Sandbox] = None
    docs: Mapping[str, str] = field(default_factory=dict)
