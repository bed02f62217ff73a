"""The Mediagraph client: the generic UpstreamClient with Mediagraph's transport and freshness.

Mediagraph's answers carry no usable Cache-Control (the transport drops Rails' max-age=0), so they
are fresh for MEDIAGRAPH_CACHE_SECONDS, and never served, fresh or stale, past the validity of their
image URLs (MEDIAGRAPH_URL_TTL after the fetch: the client's urls_valid_for, which also bounds the
Freshness, hence our own Cache-Control). Its stale windows are kept inside what the URLs outlive
that freshness too.
"""
from ...upstream.client import UpstreamClient
from .transport import MediagraphTransport


def windows(config):
    """(expire_after, stale_if_error, stale_while_revalidate) for this installation."""
    expire_after, ttl = config["MEDIAGRAPH_CACHE_SECONDS"], config["MEDIAGRAPH_URL_TTL"]
    if not ttl:
        return expire_after, config["STALE_IF_ERROR"], config["STALE_WHILE_REVALIDATE"]
    expire_after = min(expire_after, ttl)
    left = ttl - expire_after  # what the URLs of an answer outlive its freshness
    return expire_after, min(config["STALE_IF_ERROR"], left), min(config["STALE_WHILE_REVALIDATE"], left)


class MediagraphClient(UpstreamClient):
    @classmethod
    def from_config(cls, config, cache_redis, admit_miss=None):
        expire_after, stale_if_error, swr = windows(config)
        return cls(
            transport=MediagraphTransport(config["MEDIAGRAPH_API_URL"], config["MEDIAGRAPH_TOKEN"],
                                          config["MEDIAGRAPH_ORGANIZATION_ID"]),
            api_url=config["MEDIAGRAPH_API_URL"], redis_client=cache_redis, admit_miss=admit_miss,
            name="mediagraph",  # its circuit breaker, shared by every process
            max_in_flight=config["UPSTREAM_MAX_IN_FLIGHT"], breaker_threshold=config["UPSTREAM_BREAKER_THRESHOLD"],
            breaker_open_seconds=config["UPSTREAM_BREAKER_OPEN_SECONDS"],
            expire_after=expire_after, stale_if_error=stale_if_error, stale_while_revalidate=swr,
            urls_valid_for=config["MEDIAGRAPH_URL_TTL"] or None,  # answers age by their fetch: never an expired URL
            connect_timeout=config["UPSTREAM_CONNECT_TIMEOUT"], read_timeout=config["UPSTREAM_READ_TIMEOUT"],
        )

    @property
    def transport(self):
        return self._transport
