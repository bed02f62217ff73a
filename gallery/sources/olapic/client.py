"""The Olapic client: the generic UpstreamClient with Olapic's transport, version and wrapping."""
import re

from ...upstream.client import UpstreamClient
from .transport import OlapicTransport

API_VERSION = "v2.2"
# Olapic's own API hosts besides the configured one: its answers link the shards z1…z4 of its CDN
# host, and its forms point at rest.photorank.me. Links there are followed by path and query on
# the configured base URL; links on any other host are refused.
OLAPIC_API_HOSTS = re.compile(r"(?:z[0-9]?)?photorankapi-a\.akamaihd\.net|rest\.photorank\.me")


class OlapicClient(UpstreamClient):
    def __init__(self, *, api_url, api_key, redis_client, pool_size=16, **options):
        super().__init__(
            transport=OlapicTransport(api_url, api_key, pool_size), api_url=api_url, redis_client=redis_client,
            # Always wrapped, so that an error keeps Olapic's JSON envelope and its own code.
            default_params={"version": API_VERSION, "wrap_responses": "1"}, secret_params=("auth_token",),
            linked_hosts=OLAPIC_API_HOSTS, trailing_slash_absent=True,  # Olapic links both spellings
            **options,
        )

    @classmethod
    def from_config(cls, config, redis_client, admit_miss=None):
        return cls(
            api_url=config["OLAPIC_API_URL"],
            api_key=config["OLAPIC_API_KEY"],
            redis_client=redis_client,
            connect_timeout=config["UPSTREAM_CONNECT_TIMEOUT"],
            read_timeout=config["UPSTREAM_READ_TIMEOUT"],
            stale_if_error=config["STALE_IF_ERROR"],
            stale_while_revalidate=config["STALE_WHILE_REVALIDATE"],
            name="olapic",  # its circuit breaker, shared by every process
            max_in_flight=config["UPSTREAM_MAX_IN_FLIGHT"],
            breaker_threshold=config["UPSTREAM_BREAKER_THRESHOLD"],
            breaker_open_seconds=config["UPSTREAM_BREAKER_OPEN_SECONDS"],
            admit_miss=admit_miss,
        )
