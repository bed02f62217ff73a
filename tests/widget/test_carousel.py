"""The carousel in real headless Chromium, against the service and the sandbox."""
import os

import pytest
import requests
from flask import Flask, Response
from playwright.sync_api import expect

from tests.support.app import rebuild_sources
from widgets.bundle import has_reports

from .conftest import serving
from .helpers import (
    SLIDES, api_media, axe_violations, console, media_key, page_url, script_errors, shadow, wait_for_slides,
    wait_for_visible_images,
)


LIVE = "root.querySelector('.live').getAttribute('aria-live')"  # where navigation is announced


def api_requests(page):
    """Record the URLs of the page's requests to our media API (page.api) and of its images (page.images)."""
    page.api, page.images = [], []
    page.on("request", lambda r: page.api.append(r.url) if "/api/v1/" in r.url else
            r.resource_type == "image" and page.images.append(r.url))


def test_demo_page_shows_both_carousels_with_loaded_images(base, page):
    response = page.goto(base + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    first, second = page.locator("ugc-carousel").nth(0), page.locator("ugc-carousel").nth(1)
    first.scroll_into_view_if_needed()
    wait_for_slides(page, 6)
    wait_for_visible_images(page)
    second.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('ugc-carousel')[1].shadowRoot.querySelectorAll('.slide img').length >= 5")
    assert page.get_by_text('<ugc-carousel tag-key="acme-anvil-50lb"').is_visible()
    assert script_errors(page) == [] and console(page, "error") == [] and console(page, "warning") == []


def test_works_on_a_retailer_page_of_another_origin(base, page, retailer):
    api_requests(page)
    page.goto(retailer + "/product?tag_key=acme-anvil-50lb")
    wait_for_slides(page, 6)
    wait_for_visible_images(page)
    assert page.api and all(url.startswith(base + "/api/v1/") for url in page.api)  # the script's own origin
    assert page.locator(SLIDES).first.get_attribute("aria-label") == "1 sur 6"  # the page's lang
    assert script_errors(page) == [] and console(page, "error") == [] and console(page, "warning") == []


def test_slides_follow_the_apg_carousel_pattern(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12))
    wait_for_slides(page, 12)
    wait_for_visible_images(page)
    region = page.locator("ugc-carousel section")
    assert region.get_attribute("aria-roledescription") == "carousel"
    assert region.get_attribute("aria-label") == "Customer photos"
    slides = page.locator(SLIDES)
    assert slides.count() == 12
    assert slides.first.get_attribute("role") == "group"
    assert [slides.nth(i).get_attribute("aria-label") for i in (0, 11)] == ["1 of 12", "12 of 12"]
    # At the start there is nowhere to go back to: Previous is hidden, and out of the Tab order.
    assert page.get_by_role("button", name="Previous").count() == 0 and page.locator("ugc-carousel .prev").is_hidden()
    assert page.get_by_role("button", name="Next").count() == 1
    assert shadow(page, LIVE) == "polite"
    assert not page.locator("ugc-carousel .rotation").is_visible()  # autoplay is off by default
    images = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => [i.loading, i.decoding, i.sizes, i.srcset])")
    assert images[0][:2] == ["eager", "async"] and images[-1][:2] == ["lazy", "async"]
    assert images[0][2].endswith("px") and " 90w" in images[0][3] and " 320w" in images[0][3]
    load = page.evaluate("window.__events.filter(e => e.type === 'ugc:load')")
    assert load == [{"type": "ugc:load", "detail": {"tagKey": "test-20-media", "count": 12}}]
    page.wait_for_function("() => window.__events.filter(e => e.type === 'ugc:impression').length >= 5")
    assert script_errors(page) == [] and console(page, "warning") == []


def test_labels_follow_the_locale(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12, locale="fr"))
    wait_for_slides(page, 12)
    assert page.locator(SLIDES).first.get_attribute("aria-label") == "1 sur 12"
    assert page.get_by_role("button", name="Suivant").count() == 1
    assert page.locator("ugc-carousel section").get_attribute("aria-label") == "Photos de nos clients"


def test_a_new_tag_key_starts_over(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12))
    wait_for_slides(page, 12)
    page.locator("ugc-carousel").evaluate("e => e.setAttribute('tag-key', 'acme-anvil-50lb')")
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelectorAll('.slide').length === 6")
    assert page.locator(SLIDES).first.get_attribute("aria-label") == "1 of 6"
    loads = page.evaluate("window.__events.filter(e => e.type === 'ugc:load').map(e => e.detail)")
    assert loads == [{"tagKey": "test-20-media", "count": 12}, {"tagKey": "acme-anvil-50lb", "count": 6}]
    page.locator("ugc-carousel").evaluate("e => e.setAttribute('tag-key', 'never-seen-product')")
    page.wait_for_function("() => document.querySelector('ugc-carousel').hidden")
    assert len(console(page, "warning")) == 1
    assert script_errors(page) == []


def test_rights_only_and_slides_per_view(base, page, catalogue):
    api_requests(page)
    page.goto(page_url(base, tag_key="test-rights-media", limit=50, rights_only="", slides_per_view=3))
    wait_for_slides(page, catalogue["rights"]["with_rights"])
    assert page.locator(SLIDES).count() == catalogue["rights"]["with_rights"]
    assert "rights_given=1" in page.api[0]
    per_view = shadow(page, "Math.round(root.querySelector('.track').clientWidth / root.querySelector('.slide').getBoundingClientRect().width)")
    assert per_view == 3


def test_button_navigation(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12))
    wait_for_slides(page, 12)
    assert page.locator("ugc-carousel .prev").is_hidden()
    page.get_by_role("button", name="Next").click()
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.track').scrollLeft > 0")
    navigate = page.evaluate("window.__events.filter(e => e.type === 'ugc:navigate').map(e => e.detail)")
    media = api_media(base, "test-20-media", limit=12)
    # One view of five slides on; the medium now first in view, for analytics.
    assert navigate == [{"direction": "next", "index": 5, "trigger": "next", "id": media[5]["id"], "provider": "olapic", "kind": "ugc"}]
    expect(page.locator("ugc-carousel .live")).to_have_text("Slides 6 to 10 of 12")  # said politely
    page.get_by_role("button", name="Previous").click()
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.track').scrollLeft === 0")
    expect(page.locator("ugc-carousel .prev")).to_be_hidden()


def test_keyboard_navigation(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=20))
    wait_for_slides(page, 20)
    focused = "root.activeElement && root.activeElement.closest('.slide').getAttribute('aria-label')"
    in_view = """(s => (r => r.left >= s.left - 1 && r.right <= s.right + 1)(root.activeElement.getBoundingClientRect()))
                 (root.querySelector('.track').getBoundingClientRect())"""
    page.locator("ugc-carousel .tile").first.focus()
    page.keyboard.press("ArrowRight")
    assert shadow(page, focused) == "2 of 20"
    page.keyboard.press("End")
    assert shadow(page, focused) == "20 of 20"
    page.wait_for_function(f"() => {{ const root = document.querySelector('ugc-carousel').shadowRoot; return {in_view}; }}")
    page.keyboard.press("Home")
    assert shadow(page, focused) == "1 of 20"
    keys = page.evaluate("window.__events.filter(e => e.type === 'ugc:navigate').map(e => [e.detail.index, e.detail.trigger])")
    assert keys == [[1, "key"], [19, "key"], [0, "key"]]
    # The buttons work from the keyboard too.
    page.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.track').scrollLeft > 0")


def test_lightbox_opens_traps_focus_and_restores_it(base, page, service):
    media = api_media(base, "acme-anvil-50lb", limit=12)
    page.goto(page_url(base, tag_key="acme-anvil-50lb", limit=12))
    wait_for_slides(page, 6)
    opener = page.locator("ugc-carousel .tile").nth(1)
    opener.click()
    dialog = page.locator("ugc-carousel dialog")
    assert dialog.get_attribute("open") is not None
    assert dialog.locator(".caption").text_content() == media[1]["caption"]
    uploader = media[1]["uploader"]
    assert dialog.locator(".who").text_content() == f"Shared by {uploader['name']} @{uploader['username']}"
    assert dialog.get_by_role("heading", name="Shop this look").count() == 1
    link = dialog.get_by_role("link", name="Acme Anvil - 50lb")
    assert link.get_attribute("href") == "https://acme.com/acme-anvil-50lb"
    assert dialog.locator("img").first.evaluate("i => i.complete && i.naturalWidth > 0 || new Promise(ok => i.onload = () => ok(i.naturalWidth > 0))")
    assert dialog.locator(".report").count() == (1 if has_reports(service) else 0)

    inside = "root.querySelector('dialog').contains(root.activeElement)"
    assert shadow(page, inside)
    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:
        page.keyboard.press(key)
        assert shadow(page, inside), key
    if has_reports(service):  # the report form's fields join the cycle once it is open
        dialog.get_by_text("Report this photo").click()
        for key in ["Tab"] * 7 + ["Shift+Tab"] * 7:
            page.keyboard.press(key)
            assert shadow(page, inside), key
    page.keyboard.press("Escape")
    assert dialog.get_attribute("open") is None
    assert shadow(page, "root.activeElement === root.querySelectorAll('.tile')[1]")
    events = page.evaluate("window.__events.filter(e => e.type === 'ugc:click' || e.type === 'ugc:lightbox-open')")
    assert [e["type"] for e in events] == ["ugc:click", "ugc:lightbox-open"]
    assert events[1]["detail"] == {"id": media[1]["id"], "index": 1, "provider": "olapic", "kind": "ugc"}
    assert script_errors(page) == []


def test_the_lightbox_reports_a_photo(base, page, sandbox, service):
    if not has_reports(service):
        pytest.skip("the service has no report endpoint")
    media = api_media(base, "acme-anvil-50lb", limit=12)
    page.goto(page_url(base, tag_key="acme-anvil-50lb", limit=12))
    wait_for_slides(page, 6)
    page.locator("ugc-carousel .tile").nth(2).click()
    dialog = page.locator("ugc-carousel dialog")
    dialog.get_by_text("Report this photo").click()
    dialog.get_by_label("Reason").select_option("spam")
    dialog.get_by_label("Your email").fill("shopper@example.com")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog.get_by_role("status")).to_have_text("Thank you, we will review it.")
    reported = requests.get(sandbox + "/_sandbox/moderation", timeout=10).json()["media"]
    assert media[2]["id"] in [m["id"] for m in reported]
    assert script_errors(page) == []


def test_videos_show_a_poster_with_a_play_affordance(base, page):
    page.goto(page_url(base, tag_key="test-video-media"))
    wait_for_slides(page, 6)
    tile = page.locator("ugc-carousel .tile").first
    assert tile.locator(".play").count() == 1
    assert tile.get_attribute("aria-label").startswith("Play video: ")
    tile.click()
    video = page.locator("ugc-carousel dialog video")
    assert video.get_attribute("poster") and video.get_attribute("src") and video.get_attribute("controls") is not None


def test_images_beyond_the_view_are_not_requested_up_front(base, page):
    api_requests(page)
    page.goto(page_url(base, tag_key="test-20-media", limit=20))
    wait_for_slides(page, 20)
    wait_for_visible_images(page)
    keys = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => i.src)")
    requested = {media_key(url) for url in page.images}
    assert media_key(keys[0]) in requested
    assert media_key(keys[-1]) not in requested
    assert len(requested) < 20
    shadow(page, "root.querySelector('.track').scrollLeft = 1e6")
    page.wait_for_function("() => (i => i.complete && i.naturalWidth > 0)([...document.querySelector('ugc-carousel').shadowRoot.querySelectorAll('.slide img')].at(-1))")


def test_nothing_is_fetched_until_the_element_nears_the_viewport(base, page):
    api_requests(page)
    page.goto(page_url(base, tag_key="test-20-media", above=1))
    page.wait_for_function("() => customElements.get('ugc-carousel') && document.querySelector('ugc-carousel').shadowRoot")
    page.evaluate("new Promise(requestAnimationFrame)")
    assert page.api == [] and page.images == []
    assert shadow(page, "root.querySelectorAll('.slide.skeleton').length") == 6  # the loading state
    page.locator("ugc-carousel").scroll_into_view_if_needed()
    wait_for_slides(page, 12)
    assert len(page.api) == 1


def test_the_next_page_loads_near_the_end(base, page):
    api_requests(page)
    page.goto(page_url(base, tag_key="test-50-media", limit=12))
    wait_for_slides(page, 12)
    assert len(page.api) == 1 and "cursor=" not in page.api[0]
    for count in (24, 36, 48, 50):
        shadow(page, "root.querySelector('.track').scrollLeft = 1e6")
        wait_for_slides(page, count)
    assert all("cursor=" in url for url in page.api[1:])
    keys = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => i.src)")
    assert len(keys) == len({media_key(k) for k in keys}) == 50
    assert page.locator(SLIDES).first.get_attribute("aria-label") == "1 of 50"
    shadow(page, "root.querySelector('.track').scrollLeft = 1e6")
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.next').hidden")
    assert script_errors(page) == []


def test_an_expired_cursor_restarts_cleanly(base, page, sandbox, service):
    api_requests(page)
    statuses = []
    page.on("response", lambda r: "/api/v1/" in r.url and statuses.append(r.status))
    page.goto(page_url(base, tag_key="test-50-media", limit=12))
    wait_for_slides(page, 12)
    requests.post(sandbox + "/_sandbox/clock", json={"advance": 43201}, timeout=10).raise_for_status()
    # Our caches age with the sandbox clock too: a new service process, with an empty Redis.
    service.extensions["redis"].flushdb()
    rebuild_sources(service)
    service.extensions["rendered_answers"].forget()
    shadow(page, "root.querySelector('.track').scrollLeft = 1e6")
    wait_for_slides(page, 24)
    assert 410 in statuses
    keys = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => i.src)")
    assert len({media_key(k) for k in keys}) == len(keys) == 24
    assert script_errors(page) == [] and console(page, "warning") == []


def test_hostile_captions_are_shown_as_text(base, page, catalogue):
    page.goto(page_url(base, tag_key="test-hostile-media", limit=20))
    wait_for_slides(page, len(catalogue["hostile_media"]))
    alts = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => i.alt)")
    assert "<img src=x onerror=alert(1)>" in alts
    assert shadow(page, "root.querySelectorAll('script, svg:not(.i), b, [onerror], [onload]').length") == 0  # .i: our icons
    assert shadow(page, "root.querySelectorAll('img').length") == len(alts)
    page.locator("ugc-carousel .tile").nth(alts.index("<img src=x onerror=alert(1)>")).click()
    assert page.locator("ugc-carousel dialog .caption").text_content() == "<img src=x onerror=alert(1)>"
    assert shadow(page, "root.querySelectorAll('[src=x], [onerror], script, svg:not(.i)').length") == 0
    for i, alt in enumerate(alts):
        if alt.startswith("<script>"):
            page.keyboard.press("Escape")
            page.locator("ugc-carousel .tile").nth(i).click()
            assert page.locator("ugc-carousel dialog .caption").text_content().startswith('<script>alert("sandbox-xss")</script>')
    assert script_errors(page) == []


# A known product with no media yet shows the upload button instead (test_upload.py).
@pytest.mark.parametrize("case", ["unknown product", "service 5xx", "timeout"])
def test_failure_collapses_with_one_warning(base, page, sandbox, case):
    attrs = {"tag_key": f"never-seen-{case.replace(' ', '-')}"}
    if case == "service 5xx":
        requests.post(sandbox + "/_sandbox/faults", json={"path_prefix": "/customers", "status": 503}, timeout=10)
    if case == "timeout":
        attrs.update(tag_key="acme-anvil-25lb", timeout=500)  # a product no other test asks for
        requests.post(sandbox + "/_sandbox/faults", json={"path_prefix": "/customers", "latency": 3}, timeout=10)
    page.goto(page_url(base, **attrs))
    page.wait_for_function("() => document.querySelector('ugc-carousel').hidden")
    assert page.locator("ugc-carousel").evaluate("e => e.getBoundingClientRect().height") == 0
    assert page.locator("ugc-carousel").evaluate("e => getComputedStyle(e).display") == "none"
    page.evaluate("new Promise(requestAnimationFrame)")
    warnings = console(page, "warning")
    assert len(warnings) == 1 and warnings[0].startswith("ugc-carousel: "), warnings
    assert script_errors(page) == []


def settle(page):
    page.evaluate("new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)))")


@pytest.mark.parametrize("uploads", [False, True], ids=["plain", "with the uploads bar"])
def test_no_layout_shift_in_view_with_the_reserved_space(base, page, uploads):
    page.goto(page_url(base, tag_key="test-20-media", limit=12, **({"uploads": ""} if uploads else {})))
    wait_for_slides(page, 12)
    wait_for_visible_images(page)
    page.get_by_role("button", name="Next").click()
    wait_for_visible_images(page)
    settle(page)
    assert page.evaluate("window.__cls") == 0


def test_no_layout_shift_below_the_fold_without_reserved_space(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12, above=1, bare=1))
    settle(page)
    page.mouse.wheel(0, 2500)  # the carousel is now within the fetch margin, still out of view
    wait_for_slides(page, 12)
    page.locator("ugc-carousel").scroll_into_view_if_needed()
    wait_for_visible_images(page)
    settle(page)
    assert page.evaluate("window.__cls") == 0


def test_demo_page_has_no_layout_shift(base, page):
    page.goto(base + "/")
    for _ in range(4):  # down to the "each source alone" carousels
        page.mouse.wheel(0, 700)
        settle(page)
    page.wait_for_function("() => [...document.querySelectorAll('ugc-carousel')].every(e => e.shadowRoot.querySelector('.slide img'))")
    wait_for_visible_images(page)
    settle(page)
    assert page.evaluate("window.__cls") == 0


def test_accessibility_audit(base, new_page):
    page = new_page(bypass_csp=True)  # only so that axe-core can be injected
    page.goto(page_url(base, tag_key="acme-anvil-50lb", autoplay=""))
    wait_for_slides(page, 6)
    wait_for_visible_images(page)
    assert axe_violations(page) == []
    page.locator("ugc-carousel .tile").first.click()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    page.goto(base + "/")
    wait_for_slides(page, 6)
    assert axe_violations(page) == []


def test_autoplay_rotates_with_a_pause_control(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12, autoplay="", interval=2000))
    wait_for_slides(page, 12)
    stop = page.get_by_role("button", name="Stop automatic slide show")
    assert stop.is_visible()
    assert shadow(page, LIVE) == "off"
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.track').scrollLeft > 0", timeout=15000)
    stop.click()
    assert page.get_by_role("button", name="Start automatic slide show").count() == 1
    assert shadow(page, LIVE) == "polite"
    auto = page.evaluate("window.__events.filter(e => e.type === 'ugc:navigate').map(e => e.detail.trigger)")
    assert "auto" in auto


def test_interaction_stops_autoplay_until_the_shopper_starts_it(base, page):
    page.clock.install()  # time flows as usual, until run_for() fast-forwards it
    page.goto(page_url(base, tag_key="test-20-media", limit=12, autoplay="", interval=2000))
    wait_for_slides(page, 12)
    page.locator("ugc-carousel .tile").first.focus()
    assert shadow(page, LIVE) == "polite"
    assert page.get_by_role("button", name="Start automatic slide show").count() == 1
    page.get_by_text("Text below the carousel.").click()  # the focus leaves the carousel: the rotation does not come back (APG)
    page.clock.run_for(4500)  # two intervals' timers fire, at once
    auto = page.evaluate("window.__events.filter(e => e.detail.trigger === 'auto').length")
    assert auto == 0 and shadow(page, "root.querySelector('.track').scrollLeft") == 0


def test_reduced_motion_never_starts_autoplay(base, new_page):
    page = new_page(reduced_motion="reduce")
    page.goto(page_url(base, tag_key="test-20-media", limit=12, autoplay=""))
    wait_for_slides(page, 12)
    assert page.get_by_role("button", name="Start automatic slide show").is_visible()
    assert shadow(page, LIVE) == "polite"


def test_configured_from_a_widget_instance(base, page, catalogue):
    api_requests(page)
    page.goto(page_url(base, tag_key="test-50-media", instance=catalogue["widget_instance"]))
    wait_for_slides(page, 20)
    media = [url for url in page.api if "/media?" in url]
    assert len(media) == 1 and "limit=20" in media[0] and "sort=recent" in media[0]
    page.get_by_role("button", name="Next").click()  # slide_by 1: one slide on
    nav = page.evaluate("window.__events.filter(e => e.type === 'ugc:navigate').map(e => e.detail.index)")
    assert nav == [1]


def lightbox_position(page):
    return page.locator("ugc-carousel dialog .pos").text_content()


def swipe(page, selector, dx):
    """A one-finger horizontal swipe across the element, as a touch screen sends it."""
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 6):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + dx * step / 5, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_the_lightbox_pages_by_button_key_and_swipe_across_a_page_boundary(base, new_page):
    page = new_page(has_touch=True)
    api_requests(page)
    page.goto(page_url(base, tag_key="test-50-media", limit=12))
    wait_for_slides(page, 12)
    page.locator("ugc-carousel .tile").nth(9).click()
    dialog = page.locator("ugc-carousel dialog")
    # Three from the end of what is loaded: the next page comes while the shopper looks.
    expect(dialog.locator(".pos")).to_have_text("10 of 24")
    assert len(page.api) == 2 and "cursor=" in page.api[1]
    previous, following = dialog.get_by_role("button", name="Previous photo"), dialog.get_by_role("button", name="Next photo")
    following.click()  # by button
    assert lightbox_position(page) == "11 of 24"
    page.keyboard.press("ArrowRight")  # by key
    assert lightbox_position(page) == "12 of 24"
    swipe(page, "ugc-carousel dialog .stage", -160)  # by swipe, to the left: the next photo, of the second page
    expect(dialog.locator(".pos")).to_have_text("13 of 24")
    keys = shadow(page, "[...root.querySelectorAll('.slide img')].map(i => i.src)")
    assert media_key(dialog.locator(".media img").get_attribute("src")) == media_key(keys[12])
    swipe(page, "ugc-carousel dialog .stage", 160)
    expect(dialog.locator(".pos")).to_have_text("12 of 24")
    page.keyboard.press("ArrowLeft")
    previous.click()
    assert lightbox_position(page) == "10 of 24"
    following.click()
    following.click()
    following.click()
    assert lightbox_position(page) == "13 of 24"
    trail = page.evaluate("window.__events.filter(e => e.type === 'ugc:navigate').map(e => [e.detail.index, e.detail.trigger])")
    assert trail == [[10, "lightbox"], [11, "key"], [12, "swipe"], [11, "swipe"], [10, "key"], [9, "lightbox"],
                     [10, "lightbox"], [11, "lightbox"], [12, "lightbox"]]
    assert shadow(page, "root.querySelector('dialog').contains(root.activeElement)")
    # Escape: back on the tile of the photo last shown, scrolled into view, and it is now the Tab stop.
    page.keyboard.press("Escape")
    page.wait_for_function("() => (root => root.activeElement === root.querySelectorAll('.tile')[12])"
                           "(document.querySelector('ugc-carousel').shadowRoot)")  # 'close' comes in a task of its own
    assert shadow(page, "root.activeElement.tabIndex") == 0
    page.wait_for_function("""() => { const root = document.querySelector('ugc-carousel').shadowRoot;
        const r = root.activeElement.getBoundingClientRect(), t = root.querySelector('.track').getBoundingClientRect();
        return r.left >= t.left - 1 && r.right <= t.right + 1; }""")
    assert script_errors(page) == []


def test_the_lightbox_ends_where_the_photos_end(base, page):
    page.goto(page_url(base, tag_key="acme-anvil-50lb"))
    wait_for_slides(page, 6)
    page.locator("ugc-carousel .tile").first.click()
    dialog = page.locator("ugc-carousel dialog")
    expect(dialog.get_by_role("button", name="Previous photo")).to_have_count(0)  # hidden at the first
    for _ in range(5):
        dialog.get_by_role("button", name="Next photo").click()
    assert lightbox_position(page) == "6 of 6"
    expect(dialog.get_by_role("button", name="Next photo")).to_have_count(0)
    # The focus, on the button that went, moved to the one still there.
    assert shadow(page, "root.activeElement.getAttribute('aria-label')") == "Previous photo"
    page.keyboard.press("ArrowRight")
    assert lightbox_position(page) == "6 of 6"


def test_one_tab_stop_for_the_slides_and_none_for_a_control_with_nowhere_to_go(base, page):
    page.goto(page_url(base, tag_key="test-20-media", limit=12, uploads=""))
    wait_for_slides(page, 12)
    page.evaluate("""() => { const b = document.createElement('button'); b.textContent = 'After';
        document.querySelector('p').append(b); }""")
    stop = """(() => { const a = document.activeElement; if (a.tagName !== 'UGC-CAROUSEL') return a.textContent;
        const f = a.shadowRoot.activeElement; return f.getAttribute('aria-label') || f.closest('.slide')?.getAttribute('aria-label') || f.textContent; })()"""

    def tabs(count, key="Tab"):
        seen = []
        for _ in range(count):
            page.keyboard.press(key)
            seen.append(page.evaluate(stop))
        return seen

    assert tabs(4) == ["Add your photo", "Next", "1 of 12", "After"]  # not Previous: there is no going back yet
    assert shadow(page, "getComputedStyle(root.querySelector('.next')).outlineStyle") == "none"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert tabs(2, "Shift+Tab") == ["Next", "Add your photo"]
    assert tabs(2) == ["Next", "3 of 12"]  # the slide last reached is the one Tab stop
    assert shadow(page, "getComputedStyle(root.activeElement, '::after').borderTopStyle") == "solid"  # the ring
    page.keyboard.press("Shift+Tab")
    assert shadow(page, "getComputedStyle(root.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")  # Next: a view on; the first slide in view becomes the Tab stop
    page.wait_for_function("() => !document.querySelector('ugc-carousel').shadowRoot.querySelector('.prev').hidden")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    seen = tabs(4)  # "6 of 12", or "6 of 20" once the next page is in
    assert seen[:2] == ["Previous", "Next"] and seen[2].startswith("6 of ") and seen[3] == "After", seen
    tiles = shadow(page, "[...root.querySelectorAll('.tile')].map(t => t.tabIndex)")
    assert tiles.count(0) == 1

    # At the end, Next goes; the focus it had moves to Previous rather than to the page.
    page.goto(page_url(base, tag_key="acme-anvil-50lb"))  # six photos: one step to the end
    wait_for_slides(page, 6)
    page.wait_for_function("() => !document.querySelector('ugc-carousel').shadowRoot.querySelector('.next').hidden")
    assert tabs(1) == ["Next"]
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.next').hidden")
    assert page.evaluate(stop) == "Previous"


def test_without_the_script_the_space_and_heading_collapse_by_themselves(base, page):
    """The service is down (or a blocker stopped the script): no script of ours runs, only reserve.css."""
    with serving(Flask("stopped")) as gone:
        pass  # a service that was there and is no more: its port refuses connections
    shop = Flask("shop")
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "widgets", "static", "reserve.css")) as f:
        reserve = f.read()

    @shop.get("/")
    def product():
        return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,">'
                f'<link rel="stylesheet" href="/shop.css"><script src="{gone}/widgets/carousel.js" async></script></head>'
                f'<body><h1>Anvil</h1><section class="ugc-gallery"><h2>Customer photos</h2>'
                f'<ugc-carousel tag-key="acme-anvil-50lb" uploads></ugc-carousel></section><p>Reviews</p></body></html>')

    @shop.get("/shop.css")
    def css():
        return Response("body { margin: 0 } " + reserve, mimetype="text/css")

    with serving(shop) as url:
        page.goto(url + "/")
        section = page.locator(".ugc-gallery")
        height = page.locator("ugc-carousel").evaluate("e => e.getBoundingClientRect().height")
        width = page.locator("ugc-carousel").evaluate("e => e.getBoundingClientRect().width")
        slide = (width - 5 * 8) / 5.25
        assert abs(height - (slide + 52)) < 1.5, (height, slide)  # the space it will take, the bar included
        assert page.get_by_role("heading", name="Customer photos").is_visible()
        page.wait_for_function("() => document.querySelector('.ugc-gallery').getBoundingClientRect().height === 0",
                               timeout=10000)  # after --ugc-wait, 5 s by default
        assert not page.get_by_role("heading", name="Customer photos").is_visible()
        assert section.evaluate("s => getComputedStyle(s).display") == "none"
        assert page.evaluate("customElements.get('ugc-carousel')") is None  # it was CSS alone


def test_the_demo_page_fits_a_phone(base, new_page):
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(base + "/")
    wait_for_slides(page, 6)
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    page.locator("ugc-carousel .tile").first.click()
    box = page.locator("ugc-carousel dialog[open]").bounding_box()
    assert box["x"] >= 0 and abs(box["x"] - (390 - box["x"] - box["width"])) <= 1  # centred on the screen
    buttons = page.locator("ugc-carousel dialog[open] button:visible")
    for i in range(buttons.count()):
        b = buttons.nth(i).bounding_box()
        assert b["width"] >= 44 and b["height"] >= 44
