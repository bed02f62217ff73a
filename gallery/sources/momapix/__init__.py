"""The MomaPIX media source (provider `momapix`, ids `mpx-<id>`): a product is the service account's
lightbox whose description is the tag key; its media are the lightbox's published photos and videos.

settings.py is its settings section; session.py keeps the one shared session token (the trap: a new
session ends the current one); transport.py holds the Apikey and the token; client.py is the generic
upstream client with MomaPIX's freshness; catalogue.py finds lightboxes and pages their items;
normalize.py maps items to our shapes; submissions.py uploads into the private section; health.py probes.
"""
import dataclasses

from ...media.capabilities import Capabilities
from ...media.plugin import Plugin, Sandbox
from ...media.ports import Source
from . import settings
from .catalogue import MomapixCatalogue
from .client import MomapixClient
from .health import MomapixProbe
from .submissions import MomapixSubmissions

NAME = "momapix"


_SORTS = ("recent", "media_position")
CAPABILITIES = Capabilities(
    sorts={"product": _SORTS, "category": _SORTS}, filters=(), uploads=True, reports=False, id_prefix="mpx-",
    notes={"recent": "sort=date: the items' subject date, newest first (a day, no time)",
           "media_position": "the lightbox's own order, as the curator added the items",
           "category": "a category is a lightbox too, described by the category key"},
)


def build(config, redis_client, cache_redis=None, admit_miss=None):
    client = MomapixClient.from_config(config, redis_client, cache_redis, admit_miss)
    boxes = {"thumb": config["MOMAPIX_THUMB_BOX"], "preview": config["MOMAPIX_PREVIEW_BOX"]}
    catalogue = MomapixCatalogue(client, config["MOMAPIX_PRODUCT_LOOKUP"], config["MOMAPIX_LIGHTBOX_FIELD"], boxes,
                                 config["MOMAPIX_PAGE_SIZE"], config["MOMAPIX_URLS_VALID_FOR"])
    fields = {"reference": config["MOMAPIX_REFERENCE_FIELD"], "product": config["MOMAPIX_PRODUCT_FIELD"],
              "byline": config["MOMAPIX_BYLINE_FIELD"]}
    return Source(
        name=NAME, capabilities=dataclasses.replace(CAPABILITIES, urls_valid_for=config["MOMAPIX_URLS_VALID_FOR"]),
        catalogue=catalogue,
        probe=MomapixProbe(client, config["MOMAPIX_API_URL"]),
        submissions=MomapixSubmissions(client, catalogue, fields, config["UPLOAD_READ_TIMEOUT"]),
        secrets=(config["MOMAPIX_API_KEY"], config["MOMAPIX_PASSWORD"]),
        close=client.close,
    )


PLUGIN = Plugin(
    name=NAME, credentials=("MOMAPIX_API_URL", "MOMAPIX_API_KEY", "MOMAPIX_USERNAME", "MOMAPIX_PASSWORD"),
    settings=settings.from_env, build=build,
    sandbox=Sandbox(module="sandboxes.momapix", port_offset=4, url_setting="MOMAPIX_API_URL"),
)

__all__ = ["CAPABILITIES", "PLUGIN", "MomapixCatalogue", "MomapixClient", "build"]
