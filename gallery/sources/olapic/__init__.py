"""The Olapic media source (provider `olapic`, bare ids): streams found by tag key, media pages of
HAL links, five sorts, uploads through stashes, reports, widget presets and the /olapic/ proxy.

transport.py holds the key; client.py is the generic upstream client with Olapic's parameters;
catalogue.py walks HAL links; normalize.py maps Olapic JSON to our shapes; submissions.py uploads and
reports; presets.py reads widget instances; health.py probes; proxy.py is the /olapic/ blueprint.
"""
from ...media.capabilities import Capabilities
from ...media.plugin import Plugin, Sandbox
from ...media.ports import Source
from . import proxy, settings
from .catalogue import OlapicCatalogue
from .client import OlapicClient
from .health import OlapicProbe
from .presets import OlapicPresets
from .submissions import OlapicSubmissions

NAME = "olapic"
_ALL = ("recent", "shuffled", "photorank", "rated")
CAPABILITIES = Capabilities(
    sorts={"product": _ALL + ("media_position",), "category": _ALL, "brand": _ALL},
    filters=("rights_given", "include_tagged_galleries", "include_inactive_galleries",
             "filter_media_without_products"),
    uploads=True, reports=True, presets=True, id_prefix="", kind="ugc",
)


def build(config, redis_client, cache_redis=None, admit_miss=None):
    """The Olapic Source for `config`: one client (connection pool, cache session, refresh pool) per process.

    Its answers are cached in `cache_redis` (CACHE_REDIS_URL; `redis_client` by default), upload
    records kept in `redis_client`; `admit_miss` is the web layer's per-client limit on misses."""
    client = OlapicClient.from_config(config, cache_redis or redis_client, admit_miss=admit_miss)
    catalogue = OlapicCatalogue(client, config["OLAPIC_CUSTOMER_ID"])
    return Source(
        name=NAME, capabilities=CAPABILITIES, catalogue=catalogue,
        probe=OlapicProbe(client, config["OLAPIC_API_URL"], config["OLAPIC_CUSTOMER_ID"]),
        submissions=OlapicSubmissions(client, catalogue, redis_client, config["UPLOAD_READ_TIMEOUT"]),
        presets=OlapicPresets(client),
        blueprints=(proxy.blueprint(client),),
        secrets=(config["OLAPIC_API_KEY"],),
        close=client.close,
    )


PLUGIN = Plugin(
    name=NAME, credentials=("OLAPIC_API_KEY",), settings=settings.from_env, build=build,
    sandbox=Sandbox(module="sandboxes.olapic", port_offset=1, url_setting="OLAPIC_API_URL"),
)

__all__ = ["CAPABILITIES", "PLUGIN", "OlapicCatalogue", "OlapicClient", "build"]
