"""The MomaPIX client: the generic UpstreamClient with MomaPIX's transport and freshness.

MomaPIX sends no Cache-Control, so answers are fresh for MOMAPIX_CACHE_SECONDS (never revalidated
with an ETag it never sent), capped by how long its image URLs stay valid when they expire.
"""
from ...upstream.client import UpstreamClient
from ...upstream.tokens import TokenStore
from .session import SessionKeeper
from .transport import MomapixTransport


class MomapixClient(UpstreamClient):
    def __init__(self, *, api_url, api_key, username, password, redis_client, cache_redis=None, expire_after=300,
                 urls_valid_for=None, pool_size=16, connect_timeout=1.0, read_timeout=2.5, **options):
        # The one session token lives in the main Redis, never in an evictable cache (CACHE_REDIS_URL):
        # losing it would open a new session, which ends the current one for every worker.
        self.keeper = SessionKeeper(api_url, api_key, username, password, redis_client,
                                    (connect_timeout, read_timeout))
        self.tokens = TokenStore(redis_client, "momapix", fetch=self.keeper,
                                 wait=2 * (connect_timeout + read_timeout) + 1)
        if urls_valid_for:
            expire_after = min(expire_after, urls_valid_for)
        super().__init__(
            transport=MomapixTransport(api_url, api_key, self.tokens, secrets=(password,), pool_size=pool_size),
            api_url=api_url, redis_client=cache_redis or redis_client, expire_after=expire_after,
            connect_timeout=connect_timeout, read_timeout=read_timeout, **options)

    @classmethod
    def from_config(cls, config, redis_client, cache_redis=None, admit_miss=None):
        urls = config["MOMAPIX_URLS_VALID_FOR"]
        stale_cap = urls if urls else config["STALE_IF_ERROR"]
        return cls(
            api_url=config["MOMAPIX_API_URL"], api_key=config["MOMAPIX_API_KEY"],
            username=config["MOMAPIX_USERNAME"], password=config["MOMAPIX_PASSWORD"],
            redis_client=redis_client, cache_redis=cache_redis, admit_miss=admit_miss,
            name="momapix",  # its circuit breaker, shared by every process
            max_in_flight=config["UPSTREAM_MAX_IN_FLIGHT"], breaker_threshold=config["UPSTREAM_BREAKER_THRESHOLD"],
            breaker_open_seconds=config["UPSTREAM_BREAKER_OPEN_SECONDS"],
            expire_after=config["MOMAPIX_CACHE_SECONDS"], urls_valid_for=urls,
            connect_timeout=config["UPSTREAM_CONNECT_TIMEOUT"], read_timeout=config["UPSTREAM_READ_TIMEOUT"],
            # Never serve an answer stale past the life of the image URLs it holds.
            stale_if_error=min(config["STALE_IF_ERROR"], stale_cap),
            stale_while_revalidate=min(config["STALE_WHILE_REVALIDATE"], stale_cap),
        )

    def close(self):
        super().close()
        self.keeper.close()
