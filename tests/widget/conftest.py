"""Browser tests of the carousel: Debian's headless Chromium driven by Playwright, against the service
served on a real socket, which reaches the sandbox and Redis of tests/conftest.py over theirs."""
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from flask import Blueprint, Flask, Response, current_app, request
from markupsafe import escape
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.federation.conftest import MEMBERS, NAMES
from tests.support import sandboxes
from tests.support.app import make_app

from .helpers import RECORDER

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Test pages, served by the service itself under the strict policy a careful retailer would set.
harness = Blueprint("harness", __name__)
HARNESS_CSS = ".above { height: 3000px } .below { height: 1200px } p { margin: 0; height: 40px }"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Widget test page</title>
<link rel="icon" href="/widgets/static/favicon.svg"><link rel="stylesheet" href="/_test/page.css">{reserve}<script src="/widgets/carousel.js" async></script></head>
<body><main><h1>Test product</h1>{above}
<ugc-carousel {attrs}></ugc-carousel>
<p>Text below the carousel.</p><div class="below"></div></main></body></html>"""


def strict_csp(images):
    return (f"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' {images}; "
            f"media-src {images}; connect-src 'self'; object-src 'none'; base-uri 'none'")


@harness.get("/_test/page")
def harness_page():
    """/_test/page?tag-key=…&limit=…: one carousel with the query's attributes (`above=1` puts it far below the fold)."""
    args = request.args.to_dict()
    above = '<div class="above"></div>' if args.pop("above", None) else ""
    # The README's recipe that keeps the element's space before its script runs; bare=1 leaves it out.
    reserve = "" if args.pop("bare", None) else '<link rel="stylesheet" href="/widgets/static/reserve.css">'

    attrs = " ".join(f'{escape(k)}="{escape(v)}"' for k, v in args.items())
    html = PAGE.format(above=above, attrs=attrs, reserve=reserve)
    # Each configured source's sandbox serves its own images.
    images = {"{0}://{1}".format(*urlsplit(url)) for key, url in current_app.config.items() if key.endswith("_API_URL") and url}
    return Response(html, headers={"Content-Security-Policy": strict_csp(" ".join(sorted(images)))})


@harness.get("/_test/page.css")
def harness_css():
    return Response(HARNESS_CSS, mimetype="text/css")


@contextmanager
def serving(app):
    """Serve `app` on a free loopback port from a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Polling for shutdown every 50 ms, not werkzeug's 500: each test stops two of these.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture
def service(sandbox_url, redis_url):
    """The service (Flask app, threaded werkzeug server) pointed at the session's sandbox; .base_url is its URL.
    A new one for each test: the service keeps fresh answers in process memory too."""
    app = make_app(redis_url, sandbox_url, flush=False, CORS_ORIGINS=["*"])
    app.register_blueprint(harness)
    with serving(app) as url:
        app.base_url = url
        yield app


@pytest.fixture(scope="session")
def member_sandboxes(sandbox_url):
    """{provider: sandbox URL} for every member of the federated galleries (tests/federation's MEMBERS):
    the session's Olapic sandbox, and a process of each other member's."""
    with sandboxes.running_each((m.provider, m.args) for m in MEMBERS if m.provider != "olapic") as urls:
        yield {"olapic": sandbox_url, **urls}


@pytest.fixture
def federated_sandboxes(member_sandboxes):
    """Every member's sandbox, reset to its seeded state."""
    for url in member_sandboxes.values():
        sandboxes.reset(url)
    return member_sandboxes


@contextmanager
def federated_service(urls, redis_url, **overrides):
    """The service configured for the sandboxes `urls` ({provider: URL}), GALLERY_PROVIDERS in MEMBERS order
    and the brand's credit "Acme" unless `overrides` say otherwise, on a real socket; .base_url is its URL."""
    app = make_app(redis_url, *urls.values(), CORS_ORIGINS=["*"], **{"GALLERY_PROVIDERS": NAMES, "BRAND_CREDIT": "Acme", **overrides})
    app.register_blueprint(harness)
    with serving(app) as url:
        app.base_url = url
        yield app


@pytest.fixture
def federated(federated_sandboxes, redis_url):
    """The service for every member's sandbox: its listings mix shoppers' photos and the brand's assets."""
    with federated_service(federated_sandboxes, redis_url) as app:
        yield app


@pytest.fixture
def retailer(service, sandbox_url):
    """Base URL of a retailer's shop on another origin, whose /product?tag_key= page embeds the carousel."""
    shop = Flask("retailer")

    @shop.get("/product")
    def product():
        html = (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Boutique</title>'
                f'<link rel="icon" href="data:,"><script src="{service.base_url}/widgets/carousel.js" async></script>'
                f'</head><body><h1>Enclume</h1><ugc-carousel tag-key="{escape(request.args["tag_key"])}" uploads></ugc-carousel>'
                f'</body></html>')
        policy = (f"default-src 'self'; script-src {service.base_url}; connect-src {service.base_url}; "
                  f"img-src data: {sandbox_url}; style-src 'self'")
        return Response(html, headers={"Content-Security-Policy": policy})

    with serving(shop) as url:
        yield url


@pytest.fixture
def base(service, sandbox):
    """The service's URL, with the sandbox reset and the service's cache emptied for this test."""
    service.extensions["redis"].flushdb()
    return service.base_url


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(**context_options): a fresh page that records console messages (page.messages), uncaught
    errors and dialogs (page.errors), ugc:* events (window.__events) and layout shifts (window.__cls)."""
    contexts = []

    def new_page(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **options})
        contexts.append(context)
        context.add_init_script(RECORDER)
        page = context.new_page()
        page.messages, page.errors = [], []
        page.on("console", lambda message: page.messages.append(message))
        page.on("pageerror", lambda error: page.errors.append(error))
        page.on("dialog", lambda dialog: page.errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
        page.set_default_timeout(15000)
        return page

    yield new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
