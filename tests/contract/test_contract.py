"""The same assertions against the sandbox and against recorded real-shaped answers: the root and
/customers/{id} wrapped or not, stream search and bytag, media lists whose links are on shard hosts
and end in a slash, null lists, numbers as strings, a stream whose base_image is null."""
from .conftest import hrefs, local


def walk(client, path, limit):
    ids, query = [], {"limit": limit}
    for _ in range(100):
        response = client.get(path, query_string=query)
        assert response.status_code == 200, response.json
        ids += [m["id"] for m in response.json["media"]]
        if response.json["next"] is None:
            return ids
        query["cursor"] = response.json["next"]
    raise AssertionError("the walk did not end")


def test_ready(client):
    body = client.get("/readyz").json
    assert (body["upstream"], body["status"]) == ("ok", "ok"), body


def test_brand_media_of_the_discovered_customer(client):
    """The customer id from the root (wrapped), then /customers/{id} (wrapped or not) and its listing."""
    response = client.get("/api/v1/media")
    assert response.status_code == 200, response.json
    ids = [m["id"] for m in response.json["media"]]
    assert ids and len(ids) == len(set(ids))


def test_product_by_stream_search(client, upstream):
    response = client.get(f"/api/v1/products/{upstream.product}")
    assert response.status_code == 200, response.json
    product = response.json["product"]
    assert (product["id"], product["tag_key"]) == (upstream.stream_id, upstream.product)
    assert product["image"], "no image: base_image, else cover_media"


def test_a_product_s_pages_follow_shard_links_with_trailing_slashes(client, upstream):
    # limit 2 ends our pages inside upstream pages: the cursor holds the upstream's own link.
    ids = walk(client, f"/api/v1/products/{upstream.product}/media", limit=2)
    assert len(ids) == len(set(ids)) == upstream.product_media
    assert walk(client, f"/api/v1/products/{upstream.product}/media", limit=100) == ids


def test_an_empty_gallery_is_null_upstream_and_empty_here(client, upstream):
    response = client.get(f"/api/v1/products/{upstream.empty_product}/media")
    assert response.status_code == 200, response.json
    assert response.json == {"media": [], "next": None, "partial": []}


def test_numbers_as_strings_are_numbers(client, upstream):
    medium = client.get(f"/api/v1/media/{upstream.medium}").json["media"]
    assert (medium["width"], medium["height"]) == upstream.size
    square = next(r for r in medium["renditions"] if r["name"] == "square")
    assert (square["width"], square["height"]) == (90, 90)
    assert all(isinstance(r["width"], int) for r in medium["renditions"])


def test_bytag_through_the_proxy(client, upstream):
    for path in (f"/olapic/streams/bytag/{upstream.product}/",
                 f"/olapic/customers/{upstream.customer_id}/streams/bytag/{upstream.product}"):
        response = client.get(path)
        assert response.status_code == 200, response.json
        assert str(response.json["data"]["id"]) == upstream.stream_id
        assert all(local(h) for h in hrefs(response.json))


def test_a_medium_s_streams_are_a_list_without_pages(client, upstream):
    response = client.get(f"/olapic/media/{upstream.medium}/streams/")
    assert response.status_code == 200, response.json
    data = response.json["data"]
    assert data["_links"] == []
    assert upstream.medium_stream in {str(s["id"]) for s in data["_embedded"]["stream"]}
