"""Widget figures: the carousel's and the upload module's gzipped sizes as served, and the carousel's time
to first rendered slide.

The time is measured in Debian's headless Chromium (as in tests/widget) on the sandbox demo product page
(`/`, the service runs in sandbox mode): from navigation start to the first slide's image loaded, with an
empty browser cache each time (page, loader redirect, script, media API, image). Median of RUNS; the
polling that notices the image adds at most one frame.
"""
import re
import statistics

import requests

BUDGET = 8 * 1024
UPLOAD_BUDGET = 5 * 1024  # the upload form, a module the carousel imports on the first "Add your photo"
RUNS = 7
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FIRST_SLIDE = """() => {
  const img = document.querySelector('ugc-carousel')?.shadowRoot?.querySelector('.slide img');
  return !!img && img.complete && img.naturalWidth > 0 && performance.now();
}"""


def _row(figure, value, target, met):
    return {"figure": figure, "value": value, "baseline": "", "ratio": "", "target": target,
            "met": "" if met is None else ("yes" if met else "**no**")}


def gzipped_size(service, path="/widgets/carousel.js"):
    response = requests.get(service + path, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    response.raise_for_status()
    return len(response.raw.read())  # the bytes on the wire, still compressed


def upload_path(service):
    """The upload module's versioned path, as the carousel names it."""
    carousel = requests.get(service + "/widgets/carousel.js", timeout=10).text
    return re.search(r'const UPLOAD ?= ?"([^"]+)"', carousel)[1]


def first_slide_ms(service):
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(RUNS):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                page.goto(service + "/")
                times.append(page.wait_for_function(FIRST_SLIDE, polling="raf", timeout=30000).json_value())
                context.close()
        finally:
            browser.close()
    return statistics.median(times)


def figures(service):
    size, upload = gzipped_size(service), gzipped_size(service, upload_path(service))
    rows = [_row("widget JS + CSS, gzipped bytes", str(size), f"<= {BUDGET}", size <= BUDGET),
            _row("upload form module JS + CSS, gzipped bytes (loaded on demand)", str(upload), f"<= {UPLOAD_BUDGET}",
                 upload <= UPLOAD_BUDGET)]
    try:
        ms = first_slide_ms(service)
        rows.append(_row(f"time to first rendered slide, ms (median of {RUNS}, cold browser cache)",
                         f"{ms:.0f}", "reported", None))
    except Exception as exc:  # no chromium on this machine: say so in the table rather than fail the bench
        rows.append(_row("time to first rendered slide", f"not measured ({type(exc).__name__})", "reported", None))
    return rows
