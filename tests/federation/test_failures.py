"""A federated walk while one provider fails, its token runs out, media are reported, or the cursor is
tampered with: no gap, no duplicate, and the page says what is missing."""
import threading

import pytest
import requests

from tests.federation.conftest import ANVIL, NAMES, SHARED, walk
from tests.support import sandboxes
from tests.support.app import rebuild_sources
from tests.support.processes import wait_for

PATH = f"/api/v1/products/{SHARED}/media"


def ids(media):
    return [m["id"] for m in media]


def cold(app):
    """Nothing cached anywhere (no stale answer to serve): Redis emptied, new source objects."""
    app.extensions["redis"].flushdb()
    app.extensions["rendered_answers"].forget()
    rebuild_sources(app)


def recovered(app, url):
    """The provider answers again, and its failure records ran out (Redis expires them)."""
    sandboxes.clear_faults(url)
    r = app.extensions["redis"]
    for key in r.scan_iter("gallery:failing:*"):
        r.delete(key)


# Each provider's own order, interleaved: every page draws on every provider (under `recent` a page
# may hold only the provider with the newest media).
QUERY = {"limit": 50, "sort": "media_position"}


def reference(client):
    media, _ = walk(client, PATH, **QUERY)
    return ids(media)


def test_one_provider_down_then_back_no_gap_no_duplicate(app, client, urls):
    expected = reference(client)
    cold(app)
    first = client.get(PATH, query_string=QUERY).json
    assert first["partial"] == [] and {m["provider"] for m in first["media"]} == set(NAMES)
    cold(app)
    sandboxes.fault(urls["momapix"], path_prefix="/rest", status=503)
    down = client.get(PATH, query_string={**QUERY, "cursor": first["next"]})
    assert down.status_code == 200 and down.json["partial"] == ["momapix"]
    assert len(down.json["media"]) == 50 and {m["provider"] for m in down.json["media"]} == set(NAMES) - {"momapix"}
    max_age = int(down.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 5
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "gallery_federated_partial_total" in metrics
    again = client.get(PATH, query_string={**QUERY, "cursor": first["next"]})  # a partial page is not memoised
    assert again.json["partial"] == ["momapix"]
    recovered(app, urls["momapix"])
    rest, pages = walk(client, PATH, **QUERY, cursor=down.json["next"])
    assert all(page["partial"] == [] for page in pages)
    walked = ids(first["media"]) + ids(down.json["media"]) + ids(rest)
    assert len(walked) == len(set(walked)) and sorted(walked) == sorted(expected)


def test_every_provider_failing_is_the_usual_error(app, client, urls):
    for url in urls.values():
        sandboxes.fault(url, path_prefix="/", status=503, headers={"Retry-After": "7"})
    answer = client.get(PATH)
    assert answer.status_code == 503 and answer.json["error"]["code"] == "upstream_unavailable"
    assert answer.headers["Retry-After"] and answer.headers["Cache-Control"] == "no-store"


def test_a_session_expiring_mid_walk_is_renewed_and_the_walk_goes_on(client, urls):
    first = client.get(PATH, query_string={"limit": 100}).json
    requests.post(urls["momapix"] + "/_sandbox/sessions/expire", timeout=10)
    rest, pages = walk(client, PATH, limit=100, cursor=first["next"])
    walked = ids(first["media"]) + ids(rest)
    assert len(walked) == len(set(walked)) == 520 * len(NAMES)
    assert all(page["partial"] == [] for page in pages)
    sessions = requests.get(urls["momapix"] + "/_sandbox/sessions", timeout=10).json()["sessions"]
    assert [s["end_reason"] for s in sessions] == ["expired", None]


def test_reported_media_leave_the_mixed_listing_at_once(client, urls):
    path = f"/api/v1/products/{ANVIL}/media?limit=100"
    media = client.get(path).json["media"]
    reported = [next(m["id"] for m in media if m["provider"] == name) for name in NAMES]
    client.application.config["REPORT_HIDES_PER_CLIENT"] = f"{len(NAMES)} per day"  # one reporter, one each
    for media_id in reported:
        answer = client.post(f"/api/v1/media/{media_id}/reports", data={"email": "jane@example.com", "reason": "spam"})
        assert answer.status_code == 201, answer.json
    after = ids(client.get(path).json["media"])
    assert after == [i for i in ids(media) if i not in reported]
    olapic_reports = sandboxes.requests_log(urls["olapic"], f"/media/{reported[0]}/reports")
    assert len(olapic_reports) == 1  # the report went to the medium's own provider
    walked, _ = walk(client, f"/api/v1/products/{ANVIL}/media", limit=3)  # hidden all along a walk
    assert sorted(ids(walked)) == sorted(after)


def test_a_tampered_or_reused_cursor_is_refused(client):
    first = client.get(PATH, query_string={"limit": 10})
    cursor = first.json["next"]
    flipped = cursor[:20] + ("A" if cursor[20] != "A" else "B") + cursor[21:]
    elsewhere = [
        (PATH, {"limit": 10, "cursor": flipped}),
        (PATH, {"limit": 11, "cursor": cursor}),
        (PATH, {"limit": 10, "sort": "media_position", "cursor": cursor}),
        (PATH, {"limit": 10, "mix": "sequence", "cursor": cursor}),
        (PATH, {"limit": 10, "providers": "olapic", "cursor": cursor}),
        (PATH, {"limit": 10, "providers": ",".join(reversed(NAMES)), "cursor": cursor}),
        (f"/api/v1/products/{ANVIL}/media", {"limit": 10, "cursor": cursor}),
        ("/api/v1/media", {"limit": 10, "cursor": cursor}),
    ]
    for path, query in elsewhere:
        answer = client.get(path, query_string=query)
        assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_cursor", (query, answer.json)
    assert client.get(PATH, query_string={"limit": 10, "cursor": cursor}).status_code == 200


def test_a_cursor_of_one_provider_from_before_federation_continues(app, client):
    """Minted by the service before federation: Olapic's own state, its provider named (or not)."""
    from gallery.api import cursor

    query = {"sort": "recent", "filters": {}, "limit": 50}
    own = app.extensions["registry"].get("olapic").catalogue.product_media(SHARED, "recent", 50, {})
    with app.app_context():
        bound_to = cursor.binding("product", SHARED, query)
        named, bare = cursor.dump(own.next_state, bound_to, "olapic"), cursor.dump(own.next_state, bound_to, None)
        foreign = cursor.dump({"lb": "1", "n": 1, "size": 50, "skip": 0}, bound_to, "nosuch")
    for old in (named, bare):
        rest, _ = walk(client, PATH, limit=50, cursor=old)
        walked = ids(own.items) + ids(rest)
        assert len(walked) == len(set(walked)) == 520 * len(NAMES)
    answer = client.get(PATH, query_string={"limit": 50, "cursor": foreign})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_cursor"


def test_a_burst_while_a_provider_is_down_costs_one_render_shared_with_its_waiters(app, urls):
    """Identical requests at once while a provider fails: one thread makes the partial page, the
    others take its answer; it is not memoised, so a later request makes it anew."""
    from concurrent.futures import ThreadPoolExecutor

    from gallery.media import observe

    assert app.test_client().get(f"/api/v1/products/{ANVIL}").status_code == 200
    answers = app.extensions["rendered_answers"]
    wait_for(lambda: answers._watcher.listening, "the memo listening")  # else its answers are no one's
    cold(app)
    sandboxes.fault(urls["momapix"], path_prefix="/rest", status=503)
    sandboxes.fault(urls["olapic"], path_prefix="/", latency=1.0, count=1)  # the render takes a while
    before = {name: observe.counters[name] for name in ("federated_partial_total", "answer_memo_shared_total")}
    start = threading.Barrier(6)

    def ask(_):
        client = app.test_client()
        start.wait()
        return client.get(PATH, query_string=QUERY)

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(ask, range(6)))
    assert [a.status_code for a in answers] == [200] * 6 and len({a.get_data() for a in answers}) == 1
    assert answers[0].json["partial"] == ["momapix"]
    assert all(int(a.headers["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 5 for a in answers)
    assert {name: observe.counters[name] - n for name, n in before.items()} == {
        "federated_partial_total": 1, "answer_memo_shared_total": 5}
    assert app.test_client().get(PATH, query_string=QUERY).json["partial"] == ["momapix"]
    assert observe.counters["federated_partial_total"] - before["federated_partial_total"] == 2


@pytest.mark.parametrize("how", [{"sort": "recent"}, {"sort": "media_position"}, {"mix": "sequence"},
                                 {"providers": "momapix,olapic"}])
def test_when_only_a_failing_provider_has_media_left_the_walk_fails_instead_of_serving_empty_pages(
        app, client, urls, how):
    """No endless run of empty pages each with a cursor: once the others are done, the usual error,
    and the same cursor goes on when the provider answers again."""
    anvil = f"/api/v1/products/{ANVIL}/media"
    expected, _ = walk(client, anvil, limit=2, **how)
    cold(app)
    sandboxes.fault(urls["momapix"], path_prefix="/rest", status=503, headers={"Retry-After": "7"})
    served, cursor = [], None
    while True:
        answer = client.get(anvil, query_string={"limit": 2, **how, **({"cursor": cursor} if cursor else {})})
        if answer.status_code != 200:
            break
        assert answer.json["media"] and answer.json["partial"] in ([], ["momapix"]) and answer.json["next"]
        served += answer.json["media"]
        cursor = answer.json["next"]
        assert len(served) < 200, "the walk does not end"
    assert answer.status_code == 503 and answer.json["error"]["code"] == "upstream_unavailable"
    assert answer.headers["Retry-After"] == "7" and answer.headers["Cache-Control"] == "no-store"
    assert sorted(ids(served)) == sorted(m["id"] for m in expected if m["provider"] != "momapix")
    recovered(app, urls["momapix"])
    rest, pages = walk(client, anvil, limit=2, **how, cursor=cursor)  # the same cursor goes on once it answers
    assert all(page["partial"] == [] for page in pages)
    assert sorted(ids(served + rest)) == sorted(ids(expected)) and len(ids(served + rest)) == len(ids(expected))
