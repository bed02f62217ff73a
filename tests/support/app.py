"""The service under test: create_app against sandboxes, on an emptied Redis database."""
from . import sandboxes


def make_app(redis_url, *sandbox_urls, sandbox_mode=True, flush=True, **overrides):
    """The service configured for each sandbox in `sandbox_urls` (by the credentials its catalogue
    lists) and for no other source, in sandbox mode unless told otherwise; `overrides` win over
    everything."""
    from gallery import create_app, sources

    config = {"TESTING": True, "SANDBOX_MODE": sandbox_mode, "REDIS_URL": redis_url}
    for url in sandbox_urls:
        config.update(sandboxes.credentials(url))
    for plugin in sources.PLUGINS:  # a source whose sandbox is not given is not configured
        if not any(name in config for name in plugin.credentials):
            config.update(dict.fromkeys(plugin.credentials, ""))
    app = create_app({**config, **overrides})
    if flush:
        app.extensions["redis"].flushdb()
    return app


def rebuild_sources(app):
    """New source objects for `app`, as a new process would have: empty memos and pools."""
    from gallery import misses, sources

    app.extensions["registry"] = sources.build_registry(app.config, app.extensions["redis"],
                                                        app.extensions["cache_redis"], admit_miss=misses.admit)
