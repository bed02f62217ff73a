"""Operator commands: `flask --app app gallery warm TAGKEY...`, `... gallery check`, and for reported
media `... gallery hidden` (list) and `... gallery restore MEDIA_ID...`."""
import sys
import time

import click
import redis
import requests
from flask import current_app
from flask.cli import AppGroup

from . import reports
from .extensions import get_olapic, get_redis, get_source
from .olapic import OlapicSource, normalize
from .sources.base import SORTS, NotFound, SourceError, UpstreamError

gallery = AppGroup("gallery", help="Operate the gallery: warm its cache, check its configuration.")


def _keys(tag_keys, keys_file):
    keys = list(tag_keys)
    if keys_file:
        keys += [line.strip() for line in keys_file if line.strip() and not line.lstrip().startswith("#")]
    return list(dict.fromkeys(keys))  # once each, in order


def _walk(source, key, sort, limit):
    """Follow a product's pages for one sort to the end; return how many there were."""
    pages, state = 0, None
    while True:
        page = source.product_media(key, sort, limit, {}, state)
        pages, state = pages + 1, page.next_state
        if state is None:
            return pages


@gallery.command()
@click.argument("tag_keys", nargs=-1)
@click.option("--file", "keys_file", type=click.File(), help="A file of tag keys, one per line (# comments).")
@click.option("--sort", "sorts", multiple=True, type=click.Choice(SORTS), help="Only these sorts (default: all).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 100),
              help="Page size, as the widget asks for it.")
def warm(tag_keys, keys_file, sorts, limit):
    """Pre-fetch every page of each product's gallery, for each sort, into the shared cache."""
    keys, sorts = _keys(tag_keys, keys_file), sorts or SORTS
    if not keys:
        raise click.UsageError("Give tag keys as arguments or with --file.")
    source, problems, pages = get_source(), [], 0
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


def _check_upstream(config):
    """What is wrong with the key, the customer or the connection, in plain words ([] when nothing)."""
    base = config["OLAPIC_API_URL"]
    params = {"version": "v2.2", "auth_token": config["OLAPIC_API_KEY"]}
    timeout = (config["UPSTREAM_CONNECT_TIMEOUT"], config["UPSTREAM_READ_TIMEOUT"])
    # Uncached on purpose: a check must talk to the upstream, not to what we remember of it.
    try:
        root = requests.get(base + "/", params=params, timeout=timeout)
    except requests.Timeout:
        return [f"The Olapic API at {base} did not answer within {timeout[0]} + {timeout[1]} s."]
    except requests.RequestException as exc:  # never print exc: its text quotes the URL with the key
        return [f"Cannot reach the Olapic API at {base} ({type(exc).__name__})."]
    if root.status_code == 401:
        return ["The Olapic API refused the key (401 Invalid Credentials): check OLAPIC_API_KEY."]
    if root.status_code != 200:
        return [f"The Olapic API at {base} answered HTTP {root.status_code}: it is failing, try again later."]
    try:
        found = normalize.customer(root.json().get("data"))
    except (ValueError, AttributeError):
        found = None
    if found is None:
        return [f"The Olapic API at {base} answered no customer: is OLAPIC_API_URL an Olapic API?"]
    click.echo(f"ok    upstream reachable, the key belongs to customer {found['id']}")
    # The rest as the service reads it: the customer it will use, and a media listing followed to its page.
    state, detail = OlapicSource(get_olapic(), config["OLAPIC_CUSTOMER_ID"], memo_size=0).readiness()
    if state != "ok":
        return [detail if state == "wrong_customer" else f"The Olapic API at {base} is not usable ({state}): {detail}"]
    click.echo(f"ok    customer {detail}'s media listing is readable")
    return []


def _check_redis():
    try:
        get_redis().ping()
        click.echo("ok    Redis answers")
        return []
    except redis.RedisError as exc:
        return [f"Redis does not answer ({type(exc).__name__}): the service runs uncached. Check REDIS_URL."]


@gallery.command()
def check():
    """Verify the key, the customer and connectivity; print what is wrong in plain words."""
    config = current_app.config
    mode = "sandbox mode (no OLAPIC_API_KEY)" if config["SANDBOX_MODE"] else "production mode"
    click.echo(f"info  {mode}, upstream {config['OLAPIC_API_URL']}")
    problems = _check_upstream(config) + _check_redis()
    for problem in problems:
        click.echo(f"FAIL  {problem}", err=True)
    sys.exit(1 if problems else 0)


@gallery.command()
def hidden():
    """List the media hidden by shoppers' reports: id, hours left, reason."""
    entries = reports.hidden_list(get_redis())
    for media_id, until, reason in entries:
        click.echo(f"{media_id}\t{(until - time.time()) / 3600:.1f} h left\t{reason}")
    click.echo(f"{len(entries)} media hidden.", err=True)


@gallery.command()
@click.argument("media_ids", nargs=-1, required=True)
def restore(media_ids):
    """Show hidden media again, in every worker and instance (Olapic's own moderation is unaffected)."""
    unknown = [m for m in media_ids if not reports.restore(get_redis(), m)]
    click.echo(f"Restored {len(media_ids) - len(unknown)} media.")
    for media_id in unknown:
        click.echo(f"  {media_id}: was not hidden", err=True)
    if unknown:
        sys.exit(1)
