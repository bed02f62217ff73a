"""The contract every source passes against its sandbox, through /api/v1 (rows: conftest.py)."""
import time

import pytest

from tests.support import sandboxes
from tests.support.app import make_app, rebuild_sources

BIG = 101  # a product with more media than one page of ours and than one upstream page


def _products(catalogue, at_least=1):
    return sorted((k for k, v in catalogue["products"].items() if v["media"] >= at_least),
                  key=lambda k: catalogue["products"][k]["media"])


def _walk(client, path, limit, **params):
    ids, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, query_string=query)
        assert response.status_code == 200, response.json
        ids += [m["id"] for m in response.json["media"]]
        cursor, pages = response.json["next"], pages + 1
        if cursor is None:
            return ids, pages
        assert pages < 100, "a walk that never ends"


def test_product_lookup_and_not_found(row, row_client, row_catalogue):
    key = _products(row_catalogue)[0]
    answer = row_client.get(f"/api/v1/products/{key}", query_string={"providers": row.provider})
    assert answer.status_code == 200
    assert answer.json["product"]["tag_key"] == key
    missing = row_client.get("/api/v1/products/no-such-product-anywhere")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "product_not_found"


def test_walking_all_pages_yields_each_medium_once(row, row_client, row_catalogue):
    for key in _products(row_catalogue)[-2:]:  # the two biggest galleries
        ids, pages = _walk(row_client, f"/api/v1/products/{key}/media", 20, providers=row.provider)
        assert len(ids) == len(set(ids)) == row_catalogue["products"][key]["media"], key
        assert pages == max(1, -(-len(ids) // 20))
        assert not set(ids) & {row.id_prefix + str(h) for h in row_catalogue["hidden_media"]}


def test_every_medium_names_its_provider_and_carries_its_prefix(row, row_client, row_catalogue):
    key = _products(row_catalogue)[-1]
    media = row_client.get(f"/api/v1/products/{key}/media").json["media"]
    assert media and all(m["provider"] == row.provider and m["id"].startswith(row.id_prefix) for m in media)
    one = row_client.get(f"/api/v1/media/{media[0]['id']}")
    assert one.status_code == 200 and one.json["media"]["id"] == media[0]["id"]


def test_limit_spans_upstream_pages(row_client, row_catalogue):
    key = _products(row_catalogue, BIG)[0]
    answer = row_client.get(f"/api/v1/products/{key}/media", query_string={"limit": 100})
    assert len(answer.json["media"]) == 100 and answer.json["next"]


def test_cursors_are_bound_to_their_request(row, row_client, row_catalogue):
    key, other = _products(row_catalogue, 30)[-2:]
    first = row_client.get(f"/api/v1/products/{key}/media", query_string={"limit": 10}).json
    cursor = first["next"]
    for path, query in [(f"/api/v1/products/{other}/media", {"limit": 10}),
                        (f"/api/v1/products/{key}/media", {"limit": 11}),
                        (f"/api/v1/products/{key}/media", {"limit": 10, "sort": "rated"})]:
        answer = row_client.get(path, query_string={**query, "cursor": cursor})
        if answer.status_code == 400 and answer.json["error"]["field"] == "sort":
            continue  # a sort this provider lacks is refused before the cursor is read
        assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_cursor", (path, query)
    again = row_client.get(f"/api/v1/products/{key}/media", query_string={"limit": 10, "cursor": cursor})
    assert again.status_code == 200 and {m["id"] for m in again.json["media"]}.isdisjoint(
        m["id"] for m in first["media"])


def test_freshness_and_stale_if_error(row, row_short_sandbox_url, redis_url):
    sandboxes.reset(row_short_sandbox_url)
    app = make_app(redis_url, row_short_sandbox_url, STALE_WHILE_REVALIDATE=0)
    client = app.test_client()
    key = _products(sandboxes.catalogue(row_short_sandbox_url))[-1]
    fresh = client.get(f"/api/v1/products/{key}/media")
    assert fresh.status_code == 200
    assert 0 < fresh.cache_control.max_age <= 2
    time.sleep(2.5)  # every answer expired; now the upstream fails
    sandboxes.fault(row_short_sandbox_url, path_prefix="/", status=503)
    rebuild_sources(app)
    app.extensions["rendered_answers"].forget()
    stale = client.get(f"/api/v1/products/{key}/media")
    assert stale.status_code == 200 and stale.json["media"] == fresh.json["media"]
    assert stale.cache_control.max_age == 0


def test_reported_media_are_hidden(row, row_client, row_catalogue):
    key = _products(row_catalogue)[-1]
    media = row_client.get(f"/api/v1/products/{key}/media").json["media"]
    reported = media[0]["id"]
    answer = row_client.post(f"/api/v1/media/{reported}/reports",
                             json={"email": "shopper@example.com", "reason": "Not my anvil"})
    assert answer.status_code == 201, answer.json
    assert reported not in [m["id"] for m in row_client.get(f"/api/v1/products/{key}/media").json["media"]]
    assert row_client.get(f"/api/v1/media/{reported}").status_code == 404


def test_unknown_providers_and_unsupported_sorts_are_400(row, row_client, row_catalogue):
    key = _products(row_catalogue)[-1]
    unknown = row_client.get(f"/api/v1/products/{key}/media", query_string={"providers": "nosuch"})
    assert unknown.status_code == 400 and unknown.json["error"]["field"] == "providers"
    assert unknown.json["error"]["code"] == "invalid_parameter"
    for sort in ("recent", "shuffled", "photorank", "rated", "media_position"):
        answer = row_client.get(f"/api/v1/categories/{key}/media", query_string={"sort": sort})
        assert answer.status_code in (200, 404) or (
            answer.status_code == 400 and answer.json["error"]["field"] == "sort"), (sort, answer.json)


@pytest.mark.parametrize("path", ["/api/v1/products/{key}", "/api/v1/products/{key}/media",
                                  "/api/v1/media", "/readyz", "/metrics"])
def test_credentials_never_leak(row, row_app, row_client, row_catalogue, row_sandbox, secret, path, caplog):
    caplog.set_level("DEBUG")
    key = _products(row_catalogue)[-1]
    response = row_client.get(path.format(key=key), query_string={"limit": 100})
    page = response.json.get("next") if response.is_json and isinstance(response.json, dict) else None
    if page:
        row_client.get(path.format(key=key), query_string={"limit": 100, "cursor": page})
    secrets_ = [row_catalogue["credentials"][name] for name in row.secret_settings]
    assert secret in secrets_
    r = row_app.extensions["redis"]
    stored = b"".join(k + (r.dump(k) or b"") for k in r.scan_iter())
    for value in secrets_:
        assert value not in response.get_data(as_text=True)
        assert value not in str(response.headers)
        assert value.encode() not in stored
        assert value not in caplog.text
