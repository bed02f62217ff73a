"""The Olapic client: the generic UpstreamClient with Olapic's transport, version and wrapping."""
from ...upstream.client import UpstreamClient
from .transport import OlapicTransport

API_VERSION = "v2.2"


class OlapicClient(UpstreamClient):
    def __init__(self, *, api_url, api_key, redis_client, pool_size=16, **options):
        super().__init__(
            transport=OlapicTransport(api_url, api_key, pool_size), api_url=api_url, redis_client=redis_client,
            # Always wrapped, so that an error keeps Olapic's JSON envelope and its own code.
            default_params={"version": API_VERSION, "wrap_responses": "1"}, secret_params=("auth_token",),
            **options,
        )

    @classmethod
    def from_config(cls, config, redis_client):
        return cls(
            api_url=config["OLAPIC_API_URL"],
            api_key=config["OLAPIC_API_KEY"],
            redis_client=redis_client,
            connect_timeout=config["UPSTREAM_CONNECT_TIMEOUT"],
            read_timeout=config["UPSTREAM_READ_TIMEOUT"],
            stale_if_error=config["STALE_IF_ERROR"],
            stale_while_revalidate=config["STALE_WHILE_REVALIDATE"],
        )
