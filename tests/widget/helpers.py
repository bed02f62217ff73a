"""Helpers for the browser tests: test page URLs, console records, and reads of the carousel's shadow DOM."""
import os
from urllib.parse import urlencode

import requests

AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")
CAROUSEL = "document.querySelector('ugc-carousel')"
SLIDES = "ugc-carousel [aria-roledescription=slide]"  # Playwright's CSS locators pierce open shadow roots

# Every ugc:* event reaching the document, and the page's cumulative layout shift, recorded from the start.
RECORDER = """
window.__events = [];
for (const name of ["load", "impression", "click", "lightbox-open", "navigate"]) {
  document.addEventListener("ugc:" + name, (e) => window.__events.push({type: e.type, detail: e.detail}));
}
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


def page_url(base, **attrs):
    """A test page with one <ugc-carousel>; keyword arguments become its attributes (tag_key → tag-key)."""
    return f"{base}/_test/page?" + urlencode({k.replace("_", "-"): v for k, v in attrs.items()})


def console(page, kind):
    return [m.text for m in page.messages if m.type == kind]


def script_errors(page):
    """Console errors other than the browser's own line for each failed HTTP answer, and uncaught errors."""
    errors = [text for text in console(page, "error") if not text.startswith("Failed to load resource")]
    return errors + [str(e) for e in page.errors]


def wait_for_slides(page, count=1):
    page.wait_for_function(
        f"n => ({CAROUSEL}?.shadowRoot?.querySelectorAll('[aria-roledescription=slide]').length || 0) >= n", arg=count)


def wait_for_visible_images(page):
    """Until every image of a slide that is in view has loaded."""
    page.wait_for_function(f"""() => {{
        const root = {CAROUSEL}.shadowRoot, track = root.querySelector('.track').getBoundingClientRect();
        const shown = [...root.querySelectorAll('.slide img')].filter((img) => {{
            const r = img.getBoundingClientRect();
            return r.left < track.right - 1 && r.right > track.left + 1;
        }});
        return shown.length > 0 && shown.every((img) => img.complete && img.naturalWidth > 0);
    }}""")


def shadow(page, expression):
    """Evaluate `expression` with `root` bound to the first carousel's shadow root."""
    return page.evaluate(f"() => {{ const root = {CAROUSEL}.shadowRoot; return {expression}; }}")


def axe_violations(page):
    """axe-core's serious and critical violations on the page (which must let it inject axe: bypass_csp)."""
    page.add_script_tag(path=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def media_key(url):
    """The media file key of a sandbox image URL (…/media/a/b/c/<key>/<rendition>.jpg)."""
    return url.rstrip("/").split("/")[-2]


def api_media(base, tag_key, **params):
    return requests.get(f"{base}/api/v1/products/{tag_key}/media", params=params, timeout=10).json()["media"]
