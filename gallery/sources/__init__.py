"""Media sources, one folder each. A new source adds its folder and one line to PLUGINS.

Only the composition root (gallery/__init__.py, settings.py, embedded.py, worker.py) imports this
package; the web layer asks the registry (gallery/media/registry.py) for sources.
"""
from ..media.capabilities import KINDS
from ..media.federation import parse_mix
from ..media.registry import Registry, wrap
from .acquia_dam import PLUGIN as ACQUIA_DAM
from .mediagraph import PLUGIN as MEDIAGRAPH
from .momapix import PLUGIN as MOMAPIX
from .olapic import PLUGIN as OLAPIC

PLUGINS = (OLAPIC, MEDIAGRAPH, ACQUIA_DAM, MOMAPIX)  # the order of sources when GALLERY_PROVIDERS leaves it open


def configured(config):
    """The plug-ins whose credentials are all set in `config` (in sandbox mode: those with a sandbox)."""
    return [plugin for plugin in PLUGINS if all(config.get(name) for name in plugin.credentials)]


def ordered(config):
    """The configured plug-ins, GALLERY_PROVIDERS first and in its order. ValueError for a name in
    GALLERY_PROVIDERS that is unknown or not configured."""
    ready = {plugin.name: plugin for plugin in configured(config)}
    known = {plugin.name: plugin for plugin in PLUGINS}
    first = []
    for name in config.get("GALLERY_PROVIDERS") or ():
        if name not in known:
            raise ValueError(f"GALLERY_PROVIDERS names {name!r}: the providers are {', '.join(known)}")
        if name not in ready:
            raise ValueError(f"GALLERY_PROVIDERS names {name}, which is not configured: set "
                             + ", ".join(known[name].credentials))
        first.append(ready.pop(name))
    return first + list(ready.values())


def upload_provider(config, plugins, sources):
    """UPLOAD_PROVIDER, or the configured source that takes uploads (Olapic when several), or None."""
    name = config.get("UPLOAD_PROVIDER") or ""
    if name:
        if name not in sources:
            raise ValueError(f"UPLOAD_PROVIDER {name} is not a configured provider")
        return name
    takers = [p.name for p in plugins if sources[p.name].capabilities.uploads]
    if OLAPIC.name in takers:
        return OLAPIC.name
    return takers[0] if takers else None


def build_registry(config, redis_client, cache_redis=None, admit_miss=None):
    """`cache_redis`: where upstream answers are cached (CACHE_REDIS_URL), apart from upload records,
    the queue and limits in `redis_client`. `admit_miss()`: the per-client limit on cache misses."""
    plugins = ordered(config)
    if not plugins:
        raise ValueError("No media source is configured: set the credentials of one (e.g. OLAPIC_API_KEY), "
                         "or none at all for sandbox mode.")
    kinds = _kinds(config, plugins)
    try:
        mix = parse_mix(config.get("GALLERY_MIX") or "interleave")
    except ValueError as exc:
        raise ValueError(f"GALLERY_MIX: {exc}") from None
    sources = {plugin.name: plugin.build(config, redis_client, cache_redis, admit_miss) for plugin in plugins}
    uploads = upload_provider(config, plugins, sources)
    credit = config.get("BRAND_CREDIT") or None
    return Registry([wrap(sources[p.name], redis_client, kind=kinds.get(p.name), brand_credit=credit) for p in plugins],
                    uploads, mix)


def _kinds(config, plugins):
    """GALLERY_KINDS ({provider: kind}): each provider's media kind, where it differs from the one
    the source declares. ValueError for an unknown provider or kind."""
    kinds = dict(config.get("GALLERY_KINDS") or {})
    known = {plugin.name for plugin in PLUGINS}
    for name, kind in kinds.items():
        if name not in known or kind not in KINDS:
            raise ValueError(f"GALLERY_KINDS: {name}:{kind} is not provider:kind with a kind of {', '.join(KINDS)} "
                             f"(providers: {', '.join(sorted(known))})")
    return kinds
