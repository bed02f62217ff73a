"""The Acquia DAM client: the generic UpstreamClient with the seat's OAuth2 transport and a freshness
that never outlives the thumbnail URLs it holds.

The API sends no Cache-Control, so answers are fresh for ACQUIA_DAM_EXPIRE_AFTER. Every read asks for
thumbnail URLs living ACQUIA_DAM_THUMBNAIL_TTL, of which the last ACQUIA_DAM_URL_MARGIN seconds are
left to the pages that load them: what remains ("usable") bounds the freshness plus the stale windows
(stale-if-error, stale-while-revalidate) of every cached answer, outage or not: the client ages each
answer by its fetch (urls_valid_for), caps its Freshness (usable_for, so our own Cache-Control's stale
windows stay inside too) and never serves one whose URLs are past it.
"""
from ...upstream.client import UpstreamClient
from ...upstream.tokens import TokenStore
from . import settings
from .oauth import OAuthKeeper
from .transport import AcquiaDamTransport


def usable_seconds(config):
    """Seconds after an answer that its thumbnail URLs may still be handed out (None: no expiry)."""
    ttl = settings.THUMBNAIL_TTLS[config["ACQUIA_DAM_THUMBNAIL_TTL"]]
    if ttl is None:
        return None
    margin = settings.number(config.get("ACQUIA_DAM_URL_MARGIN"), min(300, ttl // 4))
    return max(1, ttl - margin)


class AcquiaDamClient(UpstreamClient):
    def __init__(self, *, api_url, client_id, client_secret, username, password, redis_client, cache_redis=None,
                 pool_size=16, connect_timeout=1.0, read_timeout=2.5, **options):
        # The tokens live in the main Redis, never in an evictable cache (CACHE_REDIS_URL).
        self.keeper = OAuthKeeper(api_url, client_id, client_secret, username, password, redis_client,
                                  (connect_timeout, read_timeout))
        self.tokens = TokenStore(redis_client, "acquia_dam", fetch=self.keeper,
                                 wait=2 * (connect_timeout + read_timeout) + 1)
        super().__init__(
            transport=AcquiaDamTransport(api_url, self.tokens, self.keeper, secrets=(client_secret, password),
                                         pool_size=pool_size),
            api_url=api_url, redis_client=cache_redis or redis_client,
            connect_timeout=connect_timeout, read_timeout=read_timeout, **options)

    @classmethod
    def from_config(cls, config, redis_client, cache_redis=None, admit_miss=None):
        expire_after = settings.number(config["ACQUIA_DAM_EXPIRE_AFTER"], 300)
        stale_if_error = settings.number(config["STALE_IF_ERROR"])
        swr = settings.number(config["STALE_WHILE_REVALIDATE"])
        usable = usable_seconds(config)
        if usable is not None:  # fresh, then stale: never past the URLs' usable life
            expire_after = min(expire_after, usable)
            stale_if_error, swr = min(stale_if_error, usable - expire_after), min(swr, usable - expire_after)
        return cls(
            api_url=config["ACQUIA_DAM_API_URL"], client_id=config["ACQUIA_DAM_CLIENT_ID"],
            client_secret=config["ACQUIA_DAM_CLIENT_SECRET"], username=config["ACQUIA_DAM_USERNAME"],
            password=config["ACQUIA_DAM_PASSWORD"], redis_client=redis_client, cache_redis=cache_redis,
            admit_miss=admit_miss, name="acquia_dam", expire_after=expire_after,
            connect_timeout=config["UPSTREAM_CONNECT_TIMEOUT"], read_timeout=config["UPSTREAM_READ_TIMEOUT"],
            stale_if_error=stale_if_error, stale_while_revalidate=swr, urls_valid_for=usable,
            max_in_flight=config["UPSTREAM_MAX_IN_FLIGHT"], breaker_threshold=config["UPSTREAM_BREAKER_THRESHOLD"],
            breaker_open_seconds=config["UPSTREAM_BREAKER_OPEN_SECONDS"])

    def close(self):
        super().close()
        self.keeper.close()
