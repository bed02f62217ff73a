"""REDIS_URL as a cloud's Redis gives it, `rediss://` (TLS), against a real TLS redis-server with a
self-signed certificate: the cache, the rate limits (flask-limiter's own client), the upload queue and
the delivery worker all reach it, and the certificate is verified."""
import os
from urllib.parse import quote

import pytest

from tests.support import sandboxes
from tests.support.processes import start_python, stop, wait_for
from tests.support.redis_servers import Server, self_signed_certificate
from tests.uploads.conftest import PRODUCT, make_app, pending_uploads, photo, submit


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("redis-tls")
    server = Server(directory, tls=self_signed_certificate(directory))
    yield server
    server.stop()


def tls_url(server, **query):
    options = "&".join(f"{k}={quote(v)}" for k, v in query.items())
    return f"rediss://127.0.0.1:{server.port}/0" + (f"?{options}" if options else "")


def test_the_cache_limits_queue_and_worker_all_speak_tls(tls_server, sandbox):
    url = tls_url(tls_server, ssl_ca_certs=tls_server.tls[0])
    app = make_app(sandbox, url, UPLOAD_LIMITS_PER_EMAIL="2 per hour")
    client = app.test_client()
    assert client.get("/readyz").json["redis"] == "ok"
    assert client.get(f"/api/v1/products/{PRODUCT}/media").status_code == 200
    keys = tls_server.client().keys("*")
    assert keys, "nothing cached in the TLS Redis"

    first = submit(client, data=photo(quality=90))
    assert first.status_code == 202, first.json
    assert submit(client, data=photo(quality=80)).status_code == 202
    limited = submit(client, data=photo(quality=70))  # the limiter's own client counts in the TLS Redis
    assert limited.status_code == 429, limited.json

    worker = start_python("-m", "gallery.worker", env={**os.environ, **sandboxes.credentials(sandbox), "REDIS_URL": url})
    try:
        upload_id = first.json["upload"]["id"]
        wait_for(lambda: client.get(f"/api/v1/uploads/{upload_id}").json["upload"]["status"] == "submitted",
                 "the upload delivered by the worker", bound=30)
        wait_for(lambda: len(pending_uploads(sandbox)) == 2, "both uploads in the sandbox's review", bound=30)
    finally:
        stop(worker)


def test_a_certificate_that_is_not_trusted_is_refused(tls_server, sandbox, redis_url):
    app = make_app(sandbox, redis_url, REDIS_URL=tls_url(tls_server), flush=False)  # no CA: the system's
    ready = app.test_client().get("/readyz")
    assert ready.json["redis"] == "down"
