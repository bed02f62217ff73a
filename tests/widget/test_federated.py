"""The carousel of a federated gallery in real headless Chromium: shoppers' photos (Olapic) and the brand's
own assets (MomaPIX, and every other member of tests/federation) in one carousel, from the service
configured for all their sandboxes."""
import pytest
from playwright.sync_api import expect

from tests.federation.conftest import ANVIL, MEMBERS

from .conftest import federated_service
from .helpers import SLIDES, api_media, axe_violations, page_url, script_errors, shadow, wait_for_slides, wait_for_visible_images

# Under `recent` media merge by date (the DAMs' are newer); the sources' own orders interleave.
MIXED = {"limit": 12, "sort": "media_position"}
EVENTS = "window.__events.filter(e => e.type === {!r}).map(e => e.detail)"
# Each slide's box, its tile's box, and what its tile says of where it came from.
BOXES = """[...root.querySelectorAll('.slide')].map(s => ({
    slide: [s.getBoundingClientRect().width, s.getBoundingClientRect().height],
    tile: [s.firstChild.getBoundingClientRect().width, s.firstChild.getBoundingClientRect().height],
    credit: s.querySelector('.credit')?.textContent ?? null, alt: s.querySelector('img').alt }))"""


def api_requests(page):
    page.api = []
    page.on("request", lambda r: "/api/v1/" in r.url and page.api.append(r.url))


def events(page, kind):
    return page.evaluate(EVENTS.format("ugc:" + kind))


def test_shoppers_photos_and_brand_assets_share_one_carousel_in_the_same_boxes(federated, page):
    media = api_media(federated.base_url, ANVIL, **MIXED)
    kinds = [m["kind"] for m in media]
    assert {"ugc", "brand"} <= set(kinds), kinds  # the mix this test is about
    page.goto(page_url(federated.base_url, tag_key=ANVIL, **MIXED))
    wait_for_slides(page, len(media))
    wait_for_visible_images(page)
    boxes = shadow(page, BOXES)
    assert [b["slide"] for b in boxes] == [boxes[0]["slide"]] * len(media)  # no layout change: one square size
    assert [b["tile"] for b in boxes] == [boxes[0]["slide"]] * len(media)
    assert boxes[0]["slide"][0] == boxes[0]["slide"][1]
    tiles = page.locator("ugc-carousel .tile")
    for i, (m, box) in enumerate(zip(media, boxes)):
        assert box["alt"] == m["caption"]
        if m["kind"] == "brand":
            assert box["credit"] == "From Acme"  # the brand's credit instead of an uploader
            name = f"{m['caption']} From Acme"  # the tile's name: the caption, then the credit
            expect(tiles.nth(i)).to_have_accessible_name(f"Play video: {name}" if m["type"] == "video" else name)
        else:
            assert box["credit"] is None
    page.evaluate("new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)))")
    assert page.evaluate("window.__cls") == 0
    # Analytics: every impression says where its medium came from and what it is.
    page.wait_for_function("() => window.__events.filter(e => e.type === 'ugc:impression').length >= 5")
    for seen in events(page, "impression"):
        m = media[seen["index"]]
        assert seen == {"id": m["id"], "index": seen["index"], "provider": m["provider"], "kind": m["kind"]}
    assert script_errors(page) == []


def test_the_lightbox_says_where_each_photo_came_from(federated, page):
    media = api_media(federated.base_url, ANVIL, **MIXED)
    shopper = next(i for i, m in enumerate(media) if m["kind"] == "ugc" and m["uploader"]["username"])
    brand = next(i for i, m in enumerate(media) if m["kind"] == "brand")
    page.goto(page_url(federated.base_url, tag_key=ANVIL, **MIXED))
    wait_for_slides(page, len(media))
    dialog = page.locator("ugc-carousel dialog")

    page.locator("ugc-carousel .tile").nth(shopper).click()
    uploader = media[shopper]["uploader"]
    assert dialog.locator(".who").text_content() == f"Shared by {uploader['name']} @{uploader['username']}"
    page.keyboard.press("Escape")
    page.locator("ugc-carousel .tile").nth(brand).click()
    assert dialog.locator(".who").text_content() == "From Acme"
    assert dialog.get_attribute("aria-label") == media[brand]["caption"][:100]
    step = 1 if brand + 1 < len(media) else -1
    dialog.get_by_role("button", name="Next photo" if step > 0 else "Previous photo").click()

    # Analytics: clicks, opens and the lightbox's paging carry provider and kind.
    def said(m, index):
        return {"id": m["id"], "index": index, "provider": m["provider"], "kind": m["kind"]}
    assert events(page, "click") == [said(media[shopper], shopper), said(media[brand], brand)]
    assert events(page, "lightbox-open") == events(page, "click")
    navigate = events(page, "navigate")
    assert navigate == [{"direction": "next" if step > 0 else "prev", "trigger": "lightbox", **said(media[brand + step], brand + step)}]
    assert script_errors(page) == []


def test_providers_and_mix_attributes_select_and_weight_the_sources(federated, page):
    api_requests(page)
    order = ",".join(reversed([name for name in federated.extensions["registry"].names]))
    weights = "olapic:2,momapix:1"
    # Under media_position each provider keeps its own order inside the interleave (under recent: by date).
    expected = api_media(federated.base_url, ANVIL, limit=12, sort="media_position", providers=order, mix=weights)
    assert {m["provider"] for m in expected} >= {"olapic", "momapix"}
    page.goto(page_url(federated.base_url, tag_key=ANVIL, limit=12, sort="media_position", providers=order, mix=weights))
    wait_for_slides(page, len(expected))
    assert page.api[0].endswith(f"/api/v1/products/{ANVIL}/media?limit=12&sort=media_position&providers="
                                + order.replace(",", "%2C") + "&mix=olapic%3A2%2Cmomapix%3A1")
    shown = [e["id"] for e in sorted(events(page, "impression"), key=lambda e: e["index"])]
    alts = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => i.alt)")
    assert alts == [m["caption"] or "" for m in expected]  # the service's order, as mixed
    assert shown == [m["id"] for m in expected][:len(shown)]

    # One provider alone; and a new `providers` starts the carousel over, like a new tag-key.
    page.locator("ugc-carousel").evaluate("e => e.setAttribute('providers', 'momapix')")
    alone = api_media(federated.base_url, ANVIL, limit=12, providers="momapix")
    page.wait_for_function("n => document.querySelector('ugc-carousel').shadowRoot.querySelectorAll('.slide .credit').length === n",
                           arg=len(alone))
    assert page.locator(SLIDES).count() == len(alone)
    assert "providers=momapix" in page.api[-1] and "mix=" in page.api[-1]
    loads = events(page, "load")
    assert loads == [{"tagKey": ANVIL, "count": len(expected)}, {"tagKey": ANVIL, "count": len(alone)}]
    assert script_errors(page) == []


def test_a_hostile_credit_is_shown_as_text(federated_sandboxes, redis_url, page):
    hostile = '<img src=x onerror=alert(1)><b>Acme</b>'
    with federated_service(federated_sandboxes, redis_url, BRAND_CREDIT=hostile) as service:
        page.goto(page_url(service.base_url, tag_key=ANVIL, limit=12, providers="momapix"))
        wait_for_slides(page, 1)
        assert shadow(page, "root.querySelector('.credit').textContent") == "From " + hostile
        page.locator("ugc-carousel .tile").first.click()
        assert page.locator("ugc-carousel dialog .who").text_content() == "From " + hostile
        assert shadow(page, "root.querySelectorAll('[src=x], [onerror], b').length") == 0
        assert script_errors(page) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_federated_carousel_passes_the_accessibility_audit(federated, new_page, width):
    page = new_page(bypass_csp=True, viewport={"width": width, "height": 800})  # only so that axe-core can be injected
    media = api_media(federated.base_url, ANVIL, **MIXED)
    page.goto(page_url(federated.base_url, tag_key=ANVIL, **MIXED))
    wait_for_slides(page, len(media))
    wait_for_visible_images(page)
    assert axe_violations(page) == []
    page.locator("ugc-carousel .tile").nth(next(i for i, m in enumerate(media) if m["kind"] == "brand")).click()
    assert axe_violations(page) == []


def test_the_demo_page_mixes_every_source_and_shows_each_alone(federated, page):
    page.goto(federated.base_url + "/")
    names = federated.extensions["registry"].names
    main = page.locator("ugc-carousel").first
    assert main.get_attribute("tag-key") == ANVIL and main.get_attribute("providers") is None  # the federated one
    alone = page.locator("ugc-carousel[providers]")
    assert [alone.nth(i).get_attribute("providers") for i in range(alone.count())] == names
    assert [page.get_by_role("heading", name=label).count() for label in ("Olapic", "MomaPIX")] == [1, 1]
    wait_for_slides(page, 6)
    mixed = shadow(page, "[...root.querySelectorAll('.slide')].map(s => !!s.querySelector('.credit'))")
    assert True in mixed and False in mixed  # shoppers' photos and the brand's assets, in one carousel
    for i, name in enumerate(names):
        carousel = alone.nth(i)
        carousel.scroll_into_view_if_needed()
        page.wait_for_function("e => e.shadowRoot.querySelectorAll('.slide:not(.skeleton)').length > 0", arg=carousel.element_handle())
        credits = carousel.evaluate("e => [...e.shadowRoot.querySelectorAll('.slide')].map(s => !!s.querySelector('.credit'))")
        kind = next(m.kind for m in MEMBERS if m.provider == name)
        assert set(credits) == {kind == "brand"}, name
    page.mouse.wheel(0, 5000)
    page.evaluate("new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)))")
    assert page.evaluate("window.__cls") == 0
    assert script_errors(page) == []
