"""The per-process memo of rendered /api/v1 answers (gallery/api/memo.py): a hit asks nothing of the
source, expiry follows the upstream's max-age, stale answers and errors are never kept, and reported
media disappear from memoised answers at once, in this process and in the others (gallery/media/hiding.py).
"""
import io
import json
import subprocess
import sys
import time

import pytest
import redis

from gallery.media import changes, hiding as reports, observe
from tests.conftest import make_app, wait_for
from tests.core.conftest import inject_fault, sandbox_requests

PAGE = "/api/v1/products/acme-anvil-50lb/media?limit=50"
EXPIRY = 2.2  # a little more than the short sandbox's max-age


def counted(*names):
    return {name: observe.counters[name] for name in names}


def delta(before):
    return {name: observe.counters[name] - value for name, value in before.items()}


def listening(app):
    """True once the app's process hears hide() messages, so its answers may be memoised."""
    answers = app.extensions["rendered_answers"]
    return answers._watcher is not None and answers._watcher.listening


def memoised(app, path=PAGE):
    """Ask for `path` until it is memoised (the first request starts the listener); return its body."""
    client = app.test_client()
    first = client.get(path)
    assert first.status_code == 200
    wait_for(lambda: listening(app), "listening")
    client.get(path)  # rendered while listening: kept
    before = counted("answer_memo_hits_total")
    again = client.get(path)
    assert delta(before) == {"answer_memo_hits_total": 1}
    return again.get_json()


def ids(response):
    return [m["id"] for m in response.get_json()["media"]]


def test_a_hit_asks_nothing_of_the_source(app, sandbox):
    body = memoised(app)
    client = app.test_client()
    upstream_before = len(sandbox_requests(sandbox))
    before = counted("answer_memo_hits_total", "cache_hit_total", "upstream_requests_total",
                     "report_filter_unavailable_total")
    app.extensions["redis"].flushdb()  # nothing the source or the cache layer had is left in Redis
    for _ in range(5):
        response = client.get(PAGE)
        assert response.status_code == 200 and response.get_json() == body
    # One "hit" per request, our own: the source's memo (another hit) and Redis were never asked.
    assert delta(before) == {"answer_memo_hits_total": 5, "cache_hit_total": 5, "upstream_requests_total": 0,
                             "report_filter_unavailable_total": 0}
    assert len(sandbox_requests(sandbox)) == upstream_before


def test_hits_keep_the_caching_headers_and_answer_304(app):
    memoised(app)
    client = app.test_client()
    fresh = client.get(PAGE)
    max_age = int(fresh.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 600  # the sandbox's max-age, counted down
    assert f"stale-while-revalidate={app.config['STALE_WHILE_REVALIDATE']}" in fresh.headers["Cache-Control"]
    etag = fresh.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert fresh.headers["Content-Type"] == "application/json"

    before = counted("answer_memo_hits_total")
    not_modified = client.get(PAGE, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Cache-Control"].startswith("public, max-age=")
    changed = client.get(PAGE, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.headers["ETag"] == etag
    assert delta(before) == {"answer_memo_hits_total": 2}


def test_each_path_and_query_has_its_own_answer(app):
    memoised(app)
    client = app.test_client()
    assert len(ids(client.get(PAGE))) > 2
    for _ in range(2):  # rendered, then memoised apart from PAGE
        assert len(ids(client.get(PAGE.replace("limit=50", "limit=2")))) == 2
    assert client.get(PAGE.replace("acme-anvil-50lb", "test-50-media")).get_json()["media"][0]["id"] not in ids(
        client.get(PAGE))


def test_answers_expire_with_the_upstream_max_age(short_sandbox, redis_url):
    app = make_app(short_sandbox, redis_url)
    memoised(app)
    client = app.test_client()
    max_age = int(client.get(PAGE).headers["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 2
    upstream_before = len(sandbox_requests(short_sandbox))
    time.sleep(EXPIRY)
    before = counted("answer_memo_hits_total")
    assert client.get(PAGE).status_code == 200
    assert delta(before) == {"answer_memo_hits_total": 0}
    wait_for(lambda: len(sandbox_requests(short_sandbox)) > upstream_before, "asked upstream again")


def test_stale_answers_and_errors_are_never_kept(short_sandbox, redis_url):
    app = make_app(short_sandbox, redis_url, STALE_WHILE_REVALIDATE=0)
    body = memoised(app)
    client = app.test_client()
    time.sleep(EXPIRY)
    inject_fault(short_sandbox, path_prefix="/", status=503)
    before = counted("answer_memo_hits_total", "cache_stale_total")
    for _ in range(3):
        stale = client.get(PAGE)
        assert stale.status_code == 200 and stale.get_json() == body
        assert "max-age=0," in stale.headers["Cache-Control"]
    counts = delta(before)
    assert counts["answer_memo_hits_total"] == 0 and counts["cache_stale_total"] >= 3

    before = counted("answer_memo_hits_total")
    for _ in range(3):
        assert client.get("/api/v1/products/no-such-product/media").status_code in (404, 503)
        assert client.get("/api/v1/products/acme-anvil-50lb/media?limit=500").status_code == 400
    assert delta(before) == {"answer_memo_hits_total": 0}


def test_a_reported_medium_disappears_at_once_from_memoised_answers(sandbox, redis_url):
    first, second = make_app(sandbox, redis_url), make_app(sandbox, redis_url)
    listed = memoised(first)["media"]
    assert memoised(second)["media"] == listed
    reported = listed[0]["id"]
    assert first.test_client().get(f"/api/v1/media/{reported}").status_code == 200
    memoised(first, f"/api/v1/media/{reported}")

    answer = first.test_client().post(f"/api/v1/media/{reported}/reports",
                                      data={"email": "shopper@example.com", "reason": "Not my anvil."})
    assert answer.status_code == 201
    for app in (first, second):  # the reporting app at once; the other as soon as the message lands
        client = app.test_client()
        wait_for(lambda client=client: reported not in ids(client.get(PAGE)), "hidden")
        assert ids(client.get(PAGE)) == [m["id"] for m in listed if m["id"] != reported]
    assert first.test_client().get(f"/api/v1/media/{reported}").status_code == 404


def test_a_report_made_by_another_process_reaches_this_one(app, redis_url):
    listed = memoised(app)["media"]
    reported = listed[-1]["id"]
    # Another process, as another gunicorn worker or instance: only Redis is shared with this one.
    hide = "import sys, redis; from gallery.media import hiding as reports; reports.hide(redis.Redis.from_url(sys.argv[1]), sys.argv[2], 60)"
    subprocess.run([sys.executable, "-c", hide, redis_url, reported], check=True, timeout=60)
    client = app.test_client()
    wait_for(lambda: reported not in ids(client.get(PAGE)), "hidden")
    assert ids(client.get(PAGE)) == [m["id"] for m in listed[:-1]]


def test_the_listener_comes_back_after_a_redis_restart(sandbox, redis_server):
    app = make_app(sandbox, redis_server.url)
    memoised(app)
    client = app.test_client()

    redis_server.stop()
    wait_for(lambda: not listening(app), "deaf to a stopped Redis")
    before = counted("answer_memo_hits_total")
    for _ in range(3):  # served all the same (from the upstream), but not memoised: reports could be missed
        assert client.get(PAGE).status_code == 200
    assert delta(before) == {"answer_memo_hits_total": 0}

    redis_server.start()  # an empty Redis, as after a restart without persistence
    wait_for(lambda: listening(app), "listening again")
    listed = memoised(app)["media"]
    # And messages are heard again: a report from another process reaches the memo.
    redis.Redis.from_url(redis_server.url).publish(changes.CHANNEL, listed[0]["id"])
    wait_for(lambda: not app.extensions["rendered_answers"]._entries, "forgotten")


def test_the_listener_forgets_on_every_message(app, redis_url):
    memoised(app)
    answers = app.extensions["rendered_answers"]
    assert answers._entries
    redis.Redis.from_url(redis_url).publish(changes.CHANNEL, "123")
    wait_for(lambda: not answers._entries, "forgotten")


@pytest.mark.parametrize("path", ["/api/v1/products/acme-anvil-50lb", "/api/v1/media?limit=3",
                                  "/api/v1/media/3042079992"])
def test_every_read_endpoint_is_memoised(app, path):
    body = memoised(app, path)
    assert body == app.test_client().get(path).get_json()


def test_request_lines_are_written_in_batches_and_none_is_lost(app, monkeypatch):
    """The request log's handler (gallery/requestlog.py) queues lines and writes them from its own thread."""
    from gallery import requestlog

    requestlog._handler.flush()
    stream = io.StringIO()
    monkeypatch.setattr(requestlog._handler, "stream", stream)  # where stderr would be
    client = app.test_client()
    for _ in range(20):
        client.get(PAGE)
    client.get("/api/v1/products/acme-anvil-50lb/media?limit=0")
    requestlog._handler.flush()  # what logging does at exit; the thread does it every INTERVAL
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith('{"method"')]
    assert [line["status"] for line in lines] == [200] * 20 + [400]  # every line, in order
    assert lines[-1]["route"] == "/api/v1/products/<tag_key:tag_key>/media"

    for _ in range(3):
        client.get(PAGE)
    wait_for(lambda: stream.getvalue().count('{"method"') == 24, "written by the thread")


def test_a_tag_key_holding_a_question_mark_is_its_own_answer(client):
    """Keyed on the raw path and query, "acme-anvil-50lb%3Fx?y" read as acme-anvil-50lb with the query
    "x?y", and was served that product's memoised, publicly cacheable JSON."""
    real = client.get("/api/v1/products/acme-anvil-50lb?x?y")
    assert real.status_code == 200 and real.json["product"]["tag_key"] == "acme-anvil-50lb"
    other = client.get("/api/v1/products/acme-anvil-50lb%3Fx?y")
    assert other.status_code == 404 and other.json["error"]["code"] == "product_not_found"


def test_the_same_query_in_another_order_is_the_same_answer(client, upstream_log):
    first = client.get("/api/v1/products/acme-anvil-50lb/media?limit=2&sort=recent")
    calls = len(upstream_log())
    again = client.get("/api/v1/products/acme-anvil-50lb/media?sort=recent&limit=2")
    assert again.get_data() == first.get_data() and len(upstream_log()) == calls
    assert again.headers["ETag"] == first.headers["ETag"]


def test_threads_asking_for_one_answer_at_once_wait_for_one_render(app, sandbox):
    """A cold burst on one page: one thread of the process asks the source and renders, the others
    take its memoised answer (instead of each parsing the same upstream pages at once)."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.support.app import rebuild_sources

    memoised(app)  # listening, so answers are kept
    app.extensions["rendered_answers"].forget()
    app.extensions["redis"].flushdb()
    rebuild_sources(app)  # nothing of the page left in this process's source memos either
    inject_fault(sandbox, path_prefix="/", latency=0.5, count=3)  # the render takes a while
    before = counted("answer_memo_hits_total")
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: app.test_client().get(PAGE), range(6)))
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.get_data() for a in answers}) == 1
    assert delta(before) == {"answer_memo_hits_total": 5}
