"""Replays, through the /olapic proxy, of the request sequences public Olapic clients make (Olapic's
carousel tutorial and DevKit, product-page tools, jQuery carousels), against both upstream rows."""
import pytest

from .conftest import local

CLIENT_QUERY = {"auth_token": "the-client-s-own-key", "version": "v2.2"}


def ok(client, path, query=None, **kwargs):
    response = client.get(path, query_string=query, **kwargs)
    assert response.status_code == 200, (path, response.json)
    assert response.json["metadata"]["code"] == 200
    assert "auth_token" not in response.get_data(as_text=True)
    return response.json["data"]


@pytest.mark.parametrize("query, headers", [
    (CLIENT_QUERY, None),
    ({"auth_token": "k", "version": "2.2"}, None),  # as Olapic's tutorial writes it
    ({"auth_token": "k"}, None),  # no version at all
    ({"auth_token": "k"}, {"Accept": "application/vnd.olapic.v2.1+json"}),
])
def test_root_then_the_customer_s_photorank_media(client, upstream, query, headers):
    """GET /?auth_token&version → data._embedded.customer.id and
    data._embedded.customer._embedded["media:photorank"]._links.self.href → its media."""
    root = ok(client, "/olapic", query, headers=headers)  # "/olapic?…", no slash, no redirect
    customer = root["_embedded"]["customer"]
    assert str(customer["id"]) == upstream.customer_id
    href = customer["_embedded"]["media:photorank"]["_links"]["self"]["href"]
    page = ok(client, local(href), headers=headers)
    assert page["_embedded"]["media"]


def test_bytag_with_a_slash_then_stream_media_then_a_medium_s_streams(client, upstream):
    """GET /customers/{id}/streams/bytag/{tag}/ → the stream's media:recent → /media/{id}/streams/."""
    stream = ok(client, f"/olapic/customers/{upstream.customer_id}/streams/bytag/{upstream.product}/", CLIENT_QUERY)
    href = stream["_embedded"]["media:recent"]["_links"]["self"]["href"]
    seen = []
    while href:
        page = ok(client, local(href))
        seen += [str(m["id"]) for m in page["_embedded"]["media"] or []]
        href = page["_links"]["next"]["href"]
    assert len(seen) == len(set(seen)) == upstream.product_media
    streams = ok(client, f"/olapic/media/{seen[0]}/streams/", CLIENT_QUERY)
    assert upstream.stream_id in {str(s["id"]) for s in streams["_embedded"]["stream"]}


def test_the_report_form_post(client, upstream):
    """A medium's _forms.report, POSTed as clients do: email, reason, send; auth_token, wrap_responses, version."""
    stream = ok(client, f"/olapic/streams/bytag/{upstream.product}", CLIENT_QUERY)
    page = ok(client, local(stream["_embedded"]["media:recent"]["_links"]["self"]["href"]))
    medium = page["_embedded"]["media"][0]
    form = medium["_forms"]["report"]
    fields = {f["name"]: f["value"] for f in form["fields"]}
    fields.update(email="shopper@example.com", reason="Not a photo of this product")
    response = client.post(local(form["action"]["href"]), data=fields,
                           query_string={**CLIENT_QUERY, "wrap_responses": "1"})
    assert response.status_code == 201, response.json
    assert response.json["metadata"]["code"] == 201
    # Our own flow: hidden at once from our gallery.
    gallery = client.get(f"/api/v1/products/{upstream.product}/media?limit=100").json["media"]
    assert str(medium["id"]) not in [m["id"] for m in gallery]
