"""The Acquia DAM media source (provider `acquia_dam`, ids `ad-<id>`): Acquia DAM Classic, formerly
Webdam, through its REST API v2 (apiv2.webdamdb.com), not the newer Widen-based Acquia DAM API. A
product is the folder whose `clientfolderid` is the tag key; its media are the folder's active images
and videos.

settings.py is its settings section; oauth.py keeps the seat's OAuth2 tokens (password grant, refresh
tokens, shared in Redis); transport.py holds them; client.py is the generic upstream client with a
freshness bounded by the thumbnail URLs' life; catalogue.py finds folders and pages their assets;
normalize.py maps assets to our shapes; submissions.py does the three-step upload into the review
folder; changes.py reads the change feed (/notifications); health.py probes.
"""
import dataclasses

from ...media.capabilities import Capabilities
from ...media.plugin import Plugin, Sandbox
from ...upstream import hosts
from ...media.ports import Source
from . import settings
from .catalogue import AcquiaDamCatalogue
from .changes import ChangeFeed
from .client import AcquiaDamClient, usable_seconds
from .health import AcquiaDamProbe
from .submissions import AcquiaDamSubmissions

NAME = "acquia_dam"

_SORTS = ("recent",)
CAPABILITIES = Capabilities(
    sorts={"product": _SORTS, "category": _SORTS}, filters=(), uploads=True, reports=False, id_prefix="ad-",
    notes={"recent": "datecreated, descending (sent as sortdir=desc: the API's default is ascending)",
           "category": "a category is a folder too, whose clientfolderid is the category key"},
)


def build(config, redis_client, cache_redis=None, admit_miss=None):
    client = AcquiaDamClient.from_config(config, redis_client, cache_redis, admit_miss)
    usable = usable_seconds(config)
    review = str(config["ACQUIA_DAM_REVIEW_FOLDER"] or "")
    upgrade = settings.flag(config["ACQUIA_DAM_UPGRADE_HTTP"])
    catalogue = AcquiaDamCatalogue(client, config["ACQUIA_DAM_THUMBNAIL_TTL"], upgrade, review)
    # Always built: reports need it even where uploads are off (no review folder).
    submissions = AcquiaDamSubmissions(
        client, catalogue, review, config["ACQUIA_DAM_UPLOAD_PREFIX"], hosts.patterns(config["ACQUIA_DAM_UPLOAD_HOSTS"]),
        config["ACQUIA_DAM_PRODUCT_FIELD"], upgrade, config["UPLOAD_READ_TIMEOUT"],
        (config["UPSTREAM_CONNECT_TIMEOUT"], config["UPLOAD_READ_TIMEOUT"]))
    interval = settings.number(config["ACQUIA_DAM_CHANGES_SECONDS"], 60)
    feed = ChangeFeed(client, catalogue, redis_client, interval) if interval > 0 else None
    return Source(
        name=NAME,
        capabilities=dataclasses.replace(CAPABILITIES, urls_valid_for=usable, uploads=bool(review)),
        catalogue=catalogue,
        probe=AcquiaDamProbe(client, config["ACQUIA_DAM_API_URL"]),
        submissions=submissions,
        changes=feed,
        secrets=(config["ACQUIA_DAM_CLIENT_SECRET"], config["ACQUIA_DAM_PASSWORD"]),
        close=lambda: (client.close(), submissions.close()),
    )


PLUGIN = Plugin(
    name=NAME,
    credentials=("ACQUIA_DAM_CLIENT_ID", "ACQUIA_DAM_CLIENT_SECRET", "ACQUIA_DAM_USERNAME", "ACQUIA_DAM_PASSWORD"),
    settings=settings.from_env, build=build,
    sandbox=Sandbox(module="sandboxes.acquia_dam", port_offset=3, url_setting="ACQUIA_DAM_API_URL"),
)

__all__ = ["CAPABILITIES", "PLUGIN", "AcquiaDamCatalogue", "AcquiaDamClient", "build"]
