"""The Mediagraph media source (provider `mediagraph`, ids `mg-<id>`): a product is the collection
named by its tag key under a parent collection; its media are that collection's publishable assets.

settings.py is its settings section; transport.py holds the personal access token and the
OrganizationId (and cleans what comes back); client.py is the generic upstream client with
Mediagraph's freshness; catalogue.py finds collections and pages their assets; normalize.py maps
assets to our shapes; submissions.py is the contribution upload flow; webhooks.py the receiver that
invalidates a product's gallery; health.py probes.
"""
import dataclasses

from ...media.capabilities import Capabilities
from ...media.plugin import Plugin, Sandbox
from ...media.ports import Source
from . import settings, webhooks
from .catalogue import MediagraphCatalogue
from .client import MediagraphClient
from .health import MediagraphProbe
from .submissions import MediagraphSubmissions

NAME = "mediagraph"

_SORTS = ("recent", "rated", "media_position")
CAPABILITIES = Capabilities(
    sorts={"product": _SORTS, "category": _SORTS}, filters=(), uploads=True, reports=False, id_prefix="mg-",
    notes={"recent": "sort=created_at, newest first",
           "rated": "sort=rating: the assets' star rating (0-5), highest first; unrated last",
           "media_position": "sort=custom: the collection's manual order",
           "category": "a category is a collection too, named by the key, under MEDIAGRAPH_CATEGORIES_PARENT_ID"},
)


def build(config, redis_client, cache_redis=None, admit_miss=None):
    config = settings.section(config)
    client = MediagraphClient.from_config(config, cache_redis or redis_client, admit_miss)
    ttl = config["MEDIAGRAPH_URL_TTL"] or None
    catalogue = MediagraphCatalogue(
        client, redis_client,
        parents={"product": config["MEDIAGRAPH_PRODUCTS_PARENT_ID"],
                 "category": config["MEDIAGRAPH_CATEGORIES_PARENT_ID"]},
        mapping=config["MEDIAGRAPH_COLLECTIONS"],
        boxes={"thumb": config["MEDIAGRAPH_THUMB_BOX"], "grid": config["MEDIAGRAPH_GRID_BOX"]},
        page_size=config["MEDIAGRAPH_PAGE_SIZE"])
    contribution = config["MEDIAGRAPH_CONTRIBUTION_ID"]
    submissions = MediagraphSubmissions(client, catalogue, contribution, config["UPSTREAM_CONNECT_TIMEOUT"],
                                        config["UPLOAD_READ_TIMEOUT"], config["MEDIAGRAPH_REPORT_COMMENTS"],
                                        settings.upload_hosts(config))
    secret = config["MEDIAGRAPH_WEBHOOK_SECRET"]

    def close():
        client.close()
        submissions.close()

    return Source(
        name=NAME,
        capabilities=dataclasses.replace(CAPABILITIES, uploads=bool(contribution), urls_valid_for=ttl),
        catalogue=catalogue,
        probe=MediagraphProbe(client, config["MEDIAGRAPH_API_URL"], config["MEDIAGRAPH_PRODUCTS_PARENT_ID"],
                              contribution),
        submissions=submissions,
        blueprints=(webhooks.blueprint(secret, catalogue, redis_client),) if secret else (),
        secrets=tuple(s for s in (config["MEDIAGRAPH_TOKEN"], secret) if s),
        close=close,
    )


PLUGIN = Plugin(
    name=NAME, credentials=("MEDIAGRAPH_API_URL", "MEDIAGRAPH_TOKEN", "MEDIAGRAPH_ORGANIZATION_ID"),
    settings=settings.from_env, build=build,
    sandbox=Sandbox(module="sandboxes.mediagraph", port_offset=2, url_setting="MEDIAGRAPH_API_URL"),
)

__all__ = ["CAPABILITIES", "PLUGIN", "MediagraphCatalogue", "MediagraphClient", "build"]
