"""Screenshots of the widget as shoppers see it: `python -m bench.screenshots [--out DIR]`.

Starts a throwaway Redis, every source's sandbox and the service (sandbox mode) on free loopback ports, then
takes, in Debian's headless Chromium: the demo page at 1366 and 390 px (whole page), the lightbox and the
upload form at both widths. PNGs go to bench/results/screenshots/ (git-ignored). Look at them after any
change to the widget's looks.
"""
import argparse
import os
import sys
import tempfile
import threading

from PIL import Image
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from gallery import create_app, sources
from gallery.embedded import start_redis, start_sandbox
from tests.support.processes import free_port

from .widget import CHROMIUM, CHROMIUM_ARGS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "results", "screenshots")
WIDTHS = {"1366": {"viewport": {"width": 1366, "height": 900}},
          "390": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}}
CAROUSEL = "document.querySelector('ugc-carousel')"


def serve(tmp):
    """The service in sandbox mode on a free port, in a thread; returns its base URL."""
    redis_url = start_redis(os.path.join(tmp, "redis"))
    for plugin in sources.PLUGINS:  # every source's sandbox, as `make run` starts them: the demo mixes them all
        if plugin.sandbox:
            os.environ[plugin.sandbox.url_setting] = start_sandbox(plugin.sandbox.module, free_port())
    app = create_app({"SANDBOX_MODE": True, "REDIS_URL": redis_url, "CORS_ORIGINS": ["*"]})
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def photo(path):
    """A photo to choose in the upload form: one of the sandbox's own drawings would do, any JPEG does."""
    Image.linear_gradient("L").resize((600, 400)).convert("RGB").save(path, "JPEG")
    return path


def loaded(page):
    """Until both carousels show slides and the images in view have loaded."""
    for index in (0, 1):
        carousel = page.locator("ugc-carousel").nth(index)
        carousel.scroll_into_view_if_needed()
        page.wait_for_function(f"""() => {{
            const root = document.querySelectorAll('ugc-carousel')[{index}].shadowRoot;
            const track = root.querySelector('.track').getBoundingClientRect();
            const shown = [...root.querySelectorAll('.slide img')].filter(i => i.getBoundingClientRect().left < track.right);
            return shown.length > 0 && shown.every(i => i.complete && i.naturalWidth > 0);
        }}""")
    page.evaluate("window.scrollTo(0, 0)")


def shoot(base, out):
    os.makedirs(out, exist_ok=True)
    taken = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, options in WIDTHS.items():
            context = browser.new_context(**options)
            page = context.new_page()
            page.set_default_timeout(30000)
            page.goto(base + "/")
            loaded(page)
            path = os.path.join(out, f"demo-{width}.png")
            page.screenshot(path=path, full_page=True)
            taken.append(path)

            page.locator("ugc-carousel").first.scroll_into_view_if_needed()
            page.locator("ugc-carousel .tile").nth(1).click()
            page.get_by_role("button", name="Next photo").click()
            page.wait_for_function(f"() => {CAROUSEL}.shadowRoot.querySelector('dialog .media img')")
            page.evaluate(f"() => {CAROUSEL}.shadowRoot.querySelector('dialog .media img').decode()")  # painted, not only loaded
            page.wait_for_timeout(300)
            path = os.path.join(out, f"lightbox-{width}.png")
            page.screenshot(path=path)
            taken.append(path)
            page.keyboard.press("Escape")

            page.get_by_role("button", name="Add your photo").click()
            form = page.locator("ugc-carousel dialog.upload")
            form.wait_for()
            form.locator("input[type=file]").set_input_files(photo(os.path.join(tmp, "my-anvil.jpg")))
            form.get_by_label("Your email (never shown)").fill("not-an-address")
            form.get_by_role("button", name="Send").click()  # the errors, under their fields
            form.get_by_label("Your name, shown with the photo").fill("Rosa")  # fixed: its error goes
            form.evaluate("d => d.scrollTo(0, 0)")
            path = os.path.join(out, f"upload-{width}.png")
            page.screenshot(path=path)
            taken.append(path)
            context.close()
        browser.close()
    return taken


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args(argv)
    # Not a TemporaryDirectory: Redis saves into it as it stops, after this function returns.
    for path in shoot(serve(tempfile.mkdtemp(prefix="screenshots-")), args.out):
        print(os.path.relpath(path, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
