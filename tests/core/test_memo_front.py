"""The memo front (gallery/api/front.py): a fresh memoised answer is served before Flask's dispatch,
and is what Flask's path sends for it, header for header, 304 and CORS included."""
import re

import flask
import pytest

from tests.core.test_memo import PAGE, memoised


@pytest.fixture
def dispatched(app):
    """How many requests reached Flask's dispatch."""
    seen = []

    def count(sender, **extra):
        seen.append(flask.request.path)
    flask.request_started.connect(count, app)
    yield seen
    flask.request_started.disconnect(count, app)


def flask_rendered(app, path, headers):
    """The answer as Flask's path renders it: the memo emptied first."""
    app.extensions["rendered_answers"].forget()
    return app.test_client().get(path, headers=headers)


def comparable(response):
    """Headers and body, the seconds of max-age aside (they count down between two answers)."""
    headers = [(k, re.sub(r"max-age=\d+", "max-age=N", v)) for k, v in response.headers.items()]
    return response.status_code, headers, response.get_data()


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://shop.example"}])
def test_a_hit_is_what_flask_sends_without_its_dispatch(app, dispatched, headers):
    memoised(app)
    client = app.test_client()
    before = len(dispatched)
    hit = client.get(PAGE, headers=headers)
    not_modified = client.get(PAGE, headers={**headers, "If-None-Match": f'W/{hit.headers["ETag"]}'})
    assert len(dispatched) == before  # neither reached Flask
    assert not_modified.status_code == 304 and not_modified.get_data() == b""

    rendered = flask_rendered(app, PAGE, headers)
    assert len(dispatched) == before + 1
    assert comparable(hit) == comparable(rendered)
    assert rendered.headers["Cache-Control"].startswith("public, max-age=")
    if headers:
        assert hit.headers["Access-Control-Allow-Origin"] == "*"  # sandbox mode: any origin
    memoised(app)
    again = client.get(PAGE, headers={**headers, "If-None-Match": f'W/{hit.headers["ETag"]}'})
    rendered = flask_rendered(app, PAGE, {**headers, "If-None-Match": f'W/{hit.headers["ETag"]}'})
    assert comparable(again) == comparable(not_modified) == comparable(rendered)


def test_what_the_front_does_not_hold_goes_to_flask(app, dispatched):
    memoised(app)
    client = app.test_client()
    for method, path in (("HEAD", PAGE), ("GET", PAGE + "&sort=rated"), ("GET", "/healthz"),
                         ("OPTIONS", PAGE), ("GET", "/api/v1/products/" + "x" * 2000)):
        before = len(dispatched)
        client.open(path, method=method)
        assert len(dispatched) == before + 1, (method, path)
