"""Operator commands: `flask --app app gallery warm TAGKEY...`, `... gallery check`, and for reported
media `... gallery hidden` (list) and `... gallery restore MEDIA_ID...`."""
import sys
import time

import click
import redis
from flask import current_app
from flask.cli import AppGroup

from .extensions import get_redis, get_registry
from .media import hiding
from .media.capabilities import SORTS
from .media.models import NotFound, SourceError, UpstreamError

gallery = AppGroup("gallery", help="Operate the gallery: warm its cache, check its configuration.")


def _keys(tag_keys, keys_file):
    keys = list(tag_keys)
    if keys_file:
        keys += [line.strip() for line in keys_file if line.strip() and not line.lstrip().startswith("#")]
    return list(dict.fromkeys(keys))  # once each, in order


def _walk(source, key, sort, limit):
    """Follow a product's pages for one sort to the end; return how many there were. A provider
    failing on the way (a partial page) is the upstream failing."""
    pages, state = 0, None
    while True:
        page = source.product_media(key, sort, limit, {}, state)
        if page.partial:
            raise UpstreamError("unavailable", f"{', '.join(page.partial)} failed")
        pages, state = pages + 1, page.next_state
        if state is None:
            return pages


@gallery.command()
@click.argument("tag_keys", nargs=-1)
@click.option("--file", "keys_file", type=click.File(), help="A file of tag keys, one per line (# comments).")
@click.option("--sort", "sorts", multiple=True, type=click.Choice(SORTS),
              help="Only these sorts (default: all the provider supports).")
@click.option("--provider", default=None, help="The provider whose galleries to warm (default: every one, "
                                                "as the mixed listings read them).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 100),
              help="Page size, as the widget asks for it.")
def warm(tag_keys, keys_file, sorts, provider, limit):
    """Pre-fetch every page of each product's gallery, for each sort, into the shared cache."""
    registry = get_registry()
    if provider is not None and provider not in registry.names:
        raise click.UsageError(f"--provider: the configured providers are {', '.join(registry.names)}.")
    sources = [registry.get(provider)] if provider else list(registry)
    supported = [s for s in SORTS if any(s in source.capabilities.sorts.get("product", ()) for source in sources)]
    unsupported = [sort for sort in sorts if sort not in supported]
    if unsupported:
        raise click.UsageError(f"--sort: {', '.join(s.name for s in sources)} do not sort products by "
                               f"{', '.join(unsupported)}.")
    keys, sorts = _keys(tag_keys, keys_file), sorts or supported
    if not keys:
        raise click.UsageError("Give tag keys as arguments or with --file.")
    # Through their federation: each provider's own pages, as a mixed listing of this limit reads them.
    source, problems, pages = registry.federated(sources, registry.mix), [], 0
    with click.progressbar(length=len(keys) * len(sorts), label="Warming", file=sys.stderr) as bar:
        for done, key in enumerate(keys, 1):
            try:
                source.product(key)
                for sort in sorts:
                    pages += _walk(source, key, sort, limit)
                    bar.update(1)
            except NotFound:
                problems.append(f"{key}: no such product, or it is inactive")
            except UpstreamError as exc:
                problems.append(f"{key}: the upstream failed ({exc.kind}), try again later")
            except SourceError as exc:
                problems.append(f"{key}: {type(exc).__name__}")
            bar.update(done * len(sorts) - bar.pos)  # skip what a failed product left undone
    click.echo(f"Warmed {pages} pages of {len(keys)} products, {len(problems)} problems.")
    for problem in problems:
        click.echo(f"  {problem}", err=True)
    if problems:
        sys.exit(1)


def _check_redis():
    try:
        get_redis().ping()
        click.echo("ok    Redis answers")
        return []
    except redis.RedisError as exc:
        return [f"Redis does not answer ({type(exc).__name__}): the service runs uncached. Check REDIS_URL."]


@gallery.command()
def check():
    """Verify each provider's credentials and connectivity, and Redis; print what is wrong in plain words."""
    config = current_app.config
    mode = "sandbox mode (no credentials of any provider)" if config["SANDBOX_MODE"] else "production mode"
    registry = get_registry()
    click.echo(f"info  {mode}, providers {', '.join(registry.names)}")
    problems = []
    for source in registry:  # each through its own transport, past the cache
        for item in source.probe().checks:
            if item.ok:
                click.echo(f"ok    {source.name}: {item.message}")
            else:
                problems.append(f"{source.name}: {item.message}")
    problems += _check_redis()
    for problem in problems:
        click.echo(f"FAIL  {problem}", err=True)
    sys.exit(1 if problems else 0)


@gallery.command()
def hidden():
    """List the media hidden by shoppers' reports: id, hours left, reason."""
    entries = hiding.hidden_list(get_redis())
    for media_id, until, reason in entries:
        click.echo(f"{media_id}\t{(until - time.time()) / 3600:.1f} h left\t{reason}")
    click.echo(f"{len(entries)} media hidden.", err=True)


@gallery.command()
@click.argument("media_ids", nargs=-1, required=True)
def restore(media_ids):
    """Show hidden media again, in every worker and instance (the upstream's own moderation is unaffected)."""
    unknown = [m for m in media_ids if not hiding.restore(get_redis(), m)]
    click.echo(f"Restored {len(media_ids) - len(unknown)} media.")
    for media_id in unknown:
        click.echo(f"  {media_id}: was not hidden", err=True)
    if unknown:
        sys.exit(1)
