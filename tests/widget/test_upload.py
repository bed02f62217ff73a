"""The upload form, from the carousel's "Add your photo" button to the sandbox's moderation queue: real
Chromium, the service on a real socket, the sandbox, Redis and a real RQ worker."""
import random
import socket

import requests
from PIL import Image
from playwright.sync_api import expect

from tests.uploads.conftest import moderation, run_worker
from tests.uploads.corpus import HTML, exif

from .helpers import SLIDES, axe_violations, console, page_url, script_errors, shadow

PRODUCT = "acme-anvil-50lb"
FORM = "ugc-carousel dialog.upload"
FOCUSED_ID = "root.activeElement && root.activeElement.id"


def photo(path, size=(900, 600)):
    """A real JPEG carrying EXIF GPS; noise, so that it weighs enough to take a while on a slow uplink."""
    rng = random.Random(5)
    image = Image.frombytes("RGB", size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * 3)))
    image.save(path, "JPEG", quality=95, exif=exif())
    return str(path)


def open_form(page, url):
    page.goto(url)
    page.get_by_role("button", name="Add your photo").click()
    form = page.locator(FORM)
    expect(form).to_be_visible()
    return form


def fill(form, consent=True):
    form.get_by_label("Caption (optional)").fill("My anvil, my rules")
    form.get_by_label("Your email (never shown)").fill("shopper@example.com")
    form.get_by_label("Your name, shown with the photo").fill("Wile E.")
    if consent:
        form.get_by_role("checkbox").check()


def posts(page):
    """Record the page's upload POSTs (page.posts)."""
    page.posts = []
    page.on("request", lambda r: r.method == "POST" and "/uploads" in r.url and page.posts.append(r))


def error_of(form, field):
    """The error text the field's aria-describedby points to, and its aria-invalid."""
    control = form.locator(f"#upload-{field}")
    described = control.get_attribute("aria-describedby")
    return form.locator(f"#{described}").text_content(), control.get_attribute("aria-invalid")


def test_a_photo_goes_from_the_form_to_the_moderation_queue(base, page, service, sandbox, catalogue, tmp_path):
    before = {m["id"] for m in moderation(sandbox)}
    posts(page)
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    assert shadow(page, FOCUSED_ID) == "upload-file"
    assert form.get_attribute("aria-labelledby") == "upload-title"
    assert form.locator("input[type=file]").get_attribute("accept") == "image/jpeg,image/png,image/webp"

    # The preview: the photo drawn on a canvas (no blob: or data: image, which a strict CSP would block).
    form.locator("input[type=file]").set_input_files(photo(tmp_path / "anvil.jpg"))
    preview = form.get_by_role("img", name="Preview of anvil.jpg")
    expect(preview).to_be_visible()
    assert preview.evaluate("c => [c.width, c.height]") == [240, 160]
    assert preview.evaluate("c => c.getContext('2d').getImageData(120, 80, 1, 1).data[3]") == 255  # painted

    # Consent missing: said next to the checkbox, which gets the focus; nothing is sent.
    fill(form, consent=False)
    form.get_by_role("button", name="Send").click()
    assert error_of(form, "consent") == ("Please accept the terms.", "true")
    assert shadow(page, FOCUSED_ID) == "upload-consent"
    assert error_of(form, "email") == ("", None)
    assert page.posts == []

    # Sent: the progress bar fills while the photo goes up, then the thanks.
    form.get_by_role("checkbox").check()
    page.evaluate("""() => {
        const bar = document.querySelector('ugc-carousel').shadowRoot.querySelector('dialog.upload progress');
        window.__progress = [];
        new MutationObserver(() => window.__progress.push([bar.hidden, bar.value])).observe(bar, {attributes: true});
    }""")
    cdp = page.context.new_cdp_session(page)  # a slow uplink, so that the photo takes a while to go up
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions",
             {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 512 * 1024})
    with page.expect_response(lambda r: r.request.method == "POST" and "/uploads" in r.url) as answer:
        form.get_by_role("button", name="Send").click()
    assert answer.value.status == 202
    upload = answer.value.json()["upload"]
    status = form.get_by_role("status")
    expect(status).to_have_text("Thanks, your photo is waiting for review.")
    assert form.locator("form").is_hidden()
    assert shadow(page, "root.activeElement.getAttribute('aria-label')") == "Close"
    progress = page.evaluate("window.__progress")  # [hidden, value] at each change
    assert progress[0] == [False, 0] and progress[-2:] == [[False, 1], [True, 1]], progress
    assert any(0 < value < 1 for hidden, value in progress if not hidden), progress  # filled as the bytes went
    key = page.posts[0].header_value("idempotency-key")
    assert key and len(key) >= 32

    # The worker delivers it: pending in moderation, on the product's stream, not in the gallery.
    records = run_worker(service, [upload["id"]])
    assert records[upload["id"]]["status"] == "submitted"
    [medium] = [m for m in moderation(sandbox) if m["id"] not in before]
    assert medium["status"] == "pending" and medium["caption"] == "My anvil, my rules"
    streams = medium["_embedded"]["streams:all"]["_embedded"]["stream"]
    streams = [streams] if isinstance(streams, dict) else streams
    assert [str(s["id"]) for s in streams] == [str(catalogue["streams"][PRODUCT]["id"])]
    gallery = requests.get(f"{base}/api/v1/products/{PRODUCT}/media?limit=100", timeout=10).json()["media"]
    assert medium["id"] not in [m["id"] for m in gallery]

    # Closing gives the focus back to the button; opening again starts a new form, with a new key.
    page.keyboard.press("Escape")
    assert shadow(page, "root.activeElement.className") == "add"
    page.get_by_role("button", name="Add your photo").click()
    expect(form.locator("form")).to_be_visible()
    assert form.locator(".status").text_content() == "" and form.get_by_label("Caption (optional)").input_value() == ""
    assert script_errors(page) == [] and console(page, "warning") == []


def test_a_file_the_service_refuses_is_said_next_to_the_picker(base, page, tmp_path):
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(HTML)  # declared image/jpeg by its name; the service looks at its bytes
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    form.locator("input[type=file]").set_input_files(str(fake))
    fill(form)
    with page.expect_response(lambda r: r.request.method == "POST" and "/uploads" in r.url) as answer:
        form.get_by_role("button", name="Send").click()
    assert answer.value.status == 415
    expect(form.locator("#upload-file-error")).to_have_text(
        "This file is not a photo we can take: please choose a JPEG, PNG or WebP image.")
    assert error_of(form, "file")[1] == "true"
    assert shadow(page, FOCUSED_ID) == "upload-file"
    assert form.get_by_role("img").count() == 0  # no preview for what is not an image
    assert form.locator("form").is_visible() and form.get_by_role("button", name="Send").is_enabled()
    assert script_errors(page) == []  # Chrome's own "Failed to load resource" line for the 415 aside


def lose_first_answer(app):
    """Wrap the service so that it handles the first upload in full, then drops the connection instead of
    answering; returns the list that gets that answer's status."""
    inner, lost = app.wsgi_app, []

    def wsgi(environ, start_response):
        if lost or environ["REQUEST_METHOD"] != "POST" or not environ["PATH_INFO"].endswith("/uploads"):
            return inner(environ, start_response)
        b"".join(inner(environ, lambda status, headers, exc_info=None: lost.append(status)))
        start_response("200 OK", [])
        environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)  # the browser never hears back
        return [b""]

    app.wsgi_app = wsgi
    return lost


def test_a_retry_after_a_lost_answer_makes_no_second_upload(base, page, service, sandbox, tmp_path):
    before = {m["id"] for m in moderation(sandbox)}
    posts(page)
    lost = lose_first_answer(service)
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    form.locator("input[type=file]").set_input_files(photo(tmp_path / "anvil.jpg", (120, 80)))
    fill(form)
    form.get_by_role("button", name="Send").click()
    expect(form.locator(".status")).to_have_text("Sorry, that did not work. Please try again.")
    assert lost == ["202 ACCEPTED"]  # stored and queued all the same
    with page.expect_response(lambda r: r.request.method == "POST" and "/uploads" in r.url) as answer:
        form.get_by_role("button", name="Send").click()
    expect(form.locator(".status")).to_have_text("Thanks, your photo is waiting for review.")
    assert len(page.posts) == 2
    assert page.posts[0].header_value("idempotency-key") == page.posts[1].header_value("idempotency-key")
    upload = answer.value.json()["upload"]["id"]
    assert run_worker(service, [upload])[upload]["status"] == "submitted"
    assert len([m for m in moderation(sandbox) if m["id"] not in before]) == 1
    assert script_errors(page) == []


def test_focus_stays_in_the_form_and_comes_back(base, page):
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    inside = "root.querySelector('dialog.upload').contains(root.activeElement)"
    for key in ["Tab"] * 9 + ["Shift+Tab"] * 9:
        page.keyboard.press(key)
        assert shadow(page, inside), key
        assert shadow(page, "root.activeElement.getAttribute('tabindex')") != "-1"  # never the honeypot
    form.get_by_role("button", name="Close").click()
    assert form.is_hidden()
    assert shadow(page, "root.activeElement.className") == "add"
    page.get_by_role("button", name="Add your photo").click()
    expect(form).to_be_visible()
    page.keyboard.press("Escape")
    assert shadow(page, "root.activeElement.className") == "add"


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(base, page):
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    trap = form.locator("input[name=website]")
    assert trap.get_attribute("tabindex") == "-1" and trap.get_attribute("autocomplete") == "off"
    assert trap.evaluate("i => i.closest('[aria-hidden=true]') !== null")
    box = trap.evaluate("i => { const r = i.closest('.hp').getBoundingClientRect(); return [r.width, r.height] }")
    assert box[0] <= 1 and box[1] <= 1, box
    assert form.get_by_role("textbox", name="website").count() == 0


def test_accessibility_audit_of_the_form(base, new_page, tmp_path):
    page = new_page(bypass_csp=True)  # only so that axe-core can be injected
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads="", terms_url="https://shop.example/terms"))
    assert axe_violations(page) == []
    form.locator("input[type=file]").set_input_files(photo(tmp_path / "anvil.jpg", (120, 80)))
    form.get_by_role("button", name="Send").click()  # every field's error shown
    expect(form.locator("#upload-consent-error")).to_have_text("Please accept the terms.")
    assert axe_violations(page) == []


def test_terms_link_from_the_attribute_or_the_service(base, page, service):
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads="", terms_url="https://shop.example/terms"))
    link = form.get_by_role("link", name="Read the terms")
    assert link.get_attribute("href") == "https://shop.example/terms"
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener"

    service.config["TERMS_URL"] = "https://acme.example/ugc-terms"
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    assert form.get_by_role("link", name="Read the terms").get_attribute("href") == "https://acme.example/ugc-terms"

    service.config["TERMS_URL"] = ""
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads="", terms_url="javascript:alert(1)"))
    assert form.get_by_role("link").count() == 0


def test_french_labels_on_a_retailer_page_of_another_origin(base, page, retailer, tmp_path):
    """The module is imported across origins under the shop's CSP, and posts there with its key (preflight)."""
    page.goto(retailer + "/product?tag_key=" + PRODUCT)
    page.get_by_role("button", name="Ajouter votre photo").click()
    form = page.locator(FORM)
    expect(form.get_by_role("heading", name="Ajouter votre photo")).to_be_visible()
    form.locator("input[type=file]").set_input_files(photo(tmp_path / "enclume.jpg", (120, 80)))
    expect(form.get_by_role("img", name="Aperçu de enclume.jpg")).to_be_visible()
    form.get_by_label("Votre e-mail (jamais affiché)").fill("pas-une-adresse")
    form.get_by_role("button", name="Envoyer").click()
    assert error_of(form, "email")[0] == "Veuillez saisir une adresse e-mail valide."
    assert error_of(form, "name")[0] == "Veuillez remplir ce champ."
    assert shadow(page, FOCUSED_ID) == "upload-email"  # the first field at fault
    form.get_by_label("Votre e-mail (jamais affiché)").fill("client@example.com")
    form.get_by_label("Votre nom, affiché avec la photo").fill("Bip Bip")
    form.get_by_role("checkbox").check()
    form.get_by_role("button", name="Envoyer").click()
    expect(form.get_by_role("status")).to_have_text("Merci, votre photo attend d'être vérifiée.")
    assert script_errors(page) == [] and console(page, "warning") == []


def test_a_known_product_without_media_shows_only_the_call_to_action(base, page):
    page.goto(page_url(base, tag_key="test-0-media", uploads=""))
    empty = page.locator("ugc-carousel .empty")  # an invitation in the slides' place, the same height
    expect(empty).to_contain_text("No photos yet. Be the first to show yours!")
    add = page.get_by_role("button", name="Add your photo")
    expect(add).to_have_count(1)  # the one in the invitation: the bar's own steps aside
    assert add.evaluate("b => b.closest('.empty') !== null")
    assert page.locator("ugc-carousel").get_attribute("hidden") is None
    assert page.locator(SLIDES).count() == 0
    assert page.get_by_role("button", name="Previous").count() == 0 and page.get_by_role("button", name="Next").count() == 0
    assert page.evaluate("window.__events.map(e => [e.type, e.detail.count])") == [["ugc:load", 0]]
    add.click()
    expect(page.locator(FORM)).to_be_visible()
    assert console(page, "warning") == [] and script_errors(page) == []


def test_an_unknown_product_still_collapses_without_the_button(base, page):
    page.goto(page_url(base, tag_key="never-seen-product", uploads=""))
    page.wait_for_function("() => document.querySelector('ugc-carousel').hidden")
    assert page.get_by_role("button", name="Add your photo").count() == 0
    assert len(console(page, "warning")) == 1


def test_errors_are_checked_live_and_go_as_each_field_is_fixed(base, page, tmp_path):
    posts(page)
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    assert form.get_by_role("heading").text_content() == "Add your photo of Acme Anvil - 50lb"  # the product's name
    form.get_by_label("Your email (never shown)").fill("not-an-address")
    form.get_by_label("Caption (optional)").focus()  # leaving a field with a value checks it at once
    assert error_of(form, "email") == ("Please enter a valid email address.", "true")
    assert error_of(form, "name") == ("", None)  # an untouched field is not told off
    form.get_by_role("button", name="Send").click()
    assert [error_of(form, f)[0] for f in ("file", "name", "consent")] == [
        "Please fill this in.", "Please fill this in.", "Please accept the terms."]
    assert shadow(page, FOCUSED_ID) == "upload-file"

    # Each error goes as its field is fixed, with no second press of Send; the others stay.
    form.locator("input[type=file]").set_input_files(photo(tmp_path / "anvil.jpg", (120, 80)))
    expect(form.locator("#upload-file-error")).to_have_text("")
    assert form.locator("#upload-file").get_attribute("aria-invalid") is None
    form.get_by_label("Your name, shown with the photo").fill("W")
    assert error_of(form, "name") == ("", None)
    form.get_by_label("Your name, shown with the photo").fill("")
    assert error_of(form, "name") == ("Please fill this in.", "true")  # and comes back if undone
    form.get_by_label("Your name, shown with the photo").fill("Wile E.")
    form.get_by_label("Your email (never shown)").fill("shopper@")
    assert error_of(form, "email")[0] == "Please enter a valid email address."
    form.get_by_label("Your email (never shown)").fill("shopper@example.com")
    assert error_of(form, "email") == ("", None)
    form.get_by_role("checkbox").check()
    assert error_of(form, "consent") == ("", None)
    assert page.posts == []  # nothing was sent while the form had faults

    # A file the form can tell is wrong is said as soon as it is chosen.
    other = tmp_path / "notes.txt"
    other.write_text("not a photo")
    form.locator("input[type=file]").set_input_files(str(other))
    assert error_of(form, "file") == (
        "This file is not a photo we can take: please choose a JPEG, PNG or WebP image.", "true")
    assert form.locator(".pick").text_content() == "notes.txt"
    assert script_errors(page) == []


def test_without_terms_the_form_says_in_full_what_the_shopper_agrees_to(base, page, service):
    service.config["TERMS_URL"] = ""
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    consent = form.get_by_role("checkbox")
    expect(consent).to_have_accessible_name(
        "I took this photo or may share it, and I let 127.0.0.1 show it with my name and caption on its pages. "
        "No other terms apply.")
    assert form.get_by_role("link").count() == 0  # no link to terms that do not exist


def test_touch_targets_are_44px_on_a_phone(base, new_page):
    page = new_page(viewport={"width": 390, "height": 844}, has_touch=True)
    form = open_form(page, page_url(base, tag_key=PRODUCT, uploads=""))
    sizes = form.evaluate("""d => [...d.querySelectorAll('button, input:not([tabindex="-1"]), textarea, .drop, .field.checkbox')]
        .map(n => [n.id || n.className || n.textContent, n.getBoundingClientRect().width, n.getBoundingClientRect().height])""")
    small = [s for s in sizes if s[1] < 44 or s[2] < 44]
    # The checkbox itself is 24px; its row (the .field.checkbox, label included) is the target.
    assert [s[0] for s in small] == ["upload-consent"], sizes
    box = form.evaluate("d => { const r = d.getBoundingClientRect(); return [r.left, r.right] }")
    assert box[0] >= 0 and box[1] <= 390 and abs(box[0] - (390 - box[1])) <= 1  # on the screen, centred


def test_add_your_photo_only_where_the_element_asks_for_uploads(base, page):
    page.goto(base + "/")  # the demo: the product's own carousel asks; "Customers also bought" does not
    first, also = page.locator("ugc-carousel").nth(0), page.locator("ugc-carousel").nth(1)
    also.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('ugc-carousel')].every(e => e.shadowRoot.querySelector('.slide img'))")
    assert first.get_attribute("uploads") is not None and also.get_attribute("uploads") is None
    assert first.get_by_role("button", name="Add your photo").count() == 1
    assert also.get_by_role("button", name="Add your photo").count() == 0
    # Its own bar, above the slides: it covers no photo.
    add = first.get_by_role("button", name="Add your photo").bounding_box()
    track = first.locator(".track").bounding_box()
    assert add["y"] + add["height"] <= track["y"] and add["height"] >= 44
    page.goto(page_url(base, tag_key="test-0-media"))  # no photos, no uploads asked: nothing at all
    page.wait_for_function("() => document.querySelector('ugc-carousel').hidden")


def test_a_new_tag_key_gets_a_form_for_its_own_product(base, page, tmp_path):
    page.goto(page_url(base, tag_key="test-0-media", uploads=""))
    page.locator("ugc-carousel .empty button").click()  # the invitation's own button, once it shows
    form = page.locator(FORM)
    expect(form.get_by_role("heading")).to_have_text("Add your photo of Sandbox fixture: 0 media")
    page.keyboard.press("Escape")
    page.locator("ugc-carousel").evaluate(f"e => e.setAttribute('tag-key', '{PRODUCT}')")
    page.wait_for_function("() => document.querySelector('ugc-carousel').shadowRoot.querySelector('.slide img')")
    page.get_by_role("button", name="Add your photo").click()  # the bar's own again, now that photos show
    form = page.locator(FORM)
    expect(form.get_by_role("heading")).to_have_text("Add your photo of Acme Anvil - 50lb")
    assert form.count() == 1
    form.locator("input[type=file]").set_input_files(photo(tmp_path / "anvil.jpg", (120, 80)))
    fill(form)
    with page.expect_request(lambda r: r.method == "POST" and "/uploads" in r.url) as sent:
        form.get_by_role("button", name="Send").click()
    assert f"/products/{PRODUCT}/uploads" in sent.value.url  # for the product shown now
    expect(form.get_by_role("status")).to_have_text("Thanks, your photo is waiting for review.")
    assert script_errors(page) == []
