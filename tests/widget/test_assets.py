"""How the widget is served: loader, versioned immutable asset, size budget, instance settings, demo page."""
import gzip
import re

import requests

from gallery import create_app

BUDGET = 8 * 1024  # JS + CSS, gzipped
UPLOAD_BUDGET = 5 * 1024  # the upload form module, JS + CSS, gzipped: loaded only when a shopper opens it


def test_loader_redirects_briefly_to_the_versioned_asset(base):
    loader = requests.get(base + "/widgets/carousel.js", allow_redirects=False, timeout=10)
    assert loader.status_code == 302
    assert loader.headers["Cache-Control"] == "public, max-age=300"
    location = loader.headers["Location"]
    assert location.startswith("/widgets/carousel.") and location.endswith(".js") and location != "/widgets/carousel.js"

    asset = requests.get(base + location, timeout=10)
    assert asset.status_code == 200
    assert asset.headers["Content-Type"].startswith("text/javascript")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.headers["X-Content-Type-Options"] == "nosniff"
    assert "customElements.define(\"ugc-carousel\"" in asset.text
    assert "__CSS__" not in asset.text and "scroll-snap-type" in asset.text  # the stylesheet travels inside

    again = requests.get(base + location, headers={"If-None-Match": asset.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


def test_an_outdated_version_redirects_to_the_current_one(base):
    current = requests.get(base + "/widgets/carousel.js", allow_redirects=False, timeout=10).headers["Location"]
    old = requests.get(base + "/widgets/carousel.0123456789abcdef.js", allow_redirects=False, timeout=10)
    assert old.status_code == 302
    assert old.headers["Location"] == current
    assert "immutable" not in old.headers["Cache-Control"]


def shipped(url):
    """The bytes on the wire, still compressed, and the script they make."""
    asset = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    assert asset.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in asset.headers["Vary"]
    body = asset.raw.read()
    source = gzip.decompress(body)
    assert b"eval(" not in source and b"new Function" not in source and b"innerHTML" not in source
    return body, source.decode()


def test_js_and_css_fit_the_gzip_budget(base):
    body, _ = shipped(base + "/widgets/carousel.js")
    assert len(body) <= BUDGET, f"{len(body)} bytes gzipped"


def module_path(base, name, const):
    """The versioned path of a module the carousel imports on demand (upload, report), from its constant."""
    carousel = requests.get(base + "/widgets/carousel.js", timeout=10).text
    return re.search(rf'const {const} ?= ?"(/widgets/{name}\.[0-9a-f]{{16}}\.js)"', carousel)[1]


def test_the_upload_form_is_a_versioned_module_of_its_own_within_its_budget(base):
    path = module_path(base, "upload", "UPLOAD")  # named by the carousel, which imports it on the first "Add your photo"
    body, source = shipped(base + path)
    assert len(body) <= UPLOAD_BUDGET, f"{len(body)} bytes gzipped"
    assert "export default" in source and "__CSS__" not in source and ".drop{" in source

    asset = requests.get(base + path, timeout=10)
    assert asset.headers["Content-Type"].startswith("text/javascript")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.headers["Access-Control-Allow-Origin"] == "*"  # imported from the retailers' pages
    assert requests.get(base + path, headers={"If-None-Match": asset.headers["ETag"]}, timeout=10).status_code == 304
    old = requests.get(base + "/widgets/upload.0123456789abcdef.js", allow_redirects=False, timeout=10)
    assert old.status_code == 302 and old.headers["Location"] == path
    assert old.headers["Access-Control-Allow-Origin"] == "*"  # an old carousel's import still gets there
    assert requests.get(base + "/widgets/other.0123456789abcdef.js", timeout=10).status_code == 404


def test_instance_settings_are_the_carousel_style_only(base, catalogue):
    response = requests.get(f"{base}/widgets/instances/{catalogue['widget_instance']}.json", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"limit": 20, "slide_by": 1, "infinite": False, "auto_play": False, "interval": 0,
                                "sort": "recent"}
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "sandbox" not in response.text  # nothing of the upstream's links or key


def test_unknown_or_malformed_instance_is_404(base):
    for instance in ("0000", "..%2F..%2Fcustomers", "a" * 65):
        response = requests.get(f"{base}/widgets/instances/{instance}.json", timeout=10)
        assert response.status_code == 404, instance
        assert response.json()["error"]["code"] in ("widget_not_found", "not_found")


def test_demo_page_only_in_sandbox_mode(base, sandbox, redis_url):
    demo = requests.get(base + "/", timeout=10)
    assert demo.status_code == 200
    assert "script-src 'self'" in demo.headers["Content-Security-Policy"]
    assert "&lt;ugc-carousel tag-key=&#34;acme-anvil-50lb&#34;" in demo.text or "&lt;ugc-carousel tag-key=\"acme-anvil-50lb\"" in demo.text

    production = create_app({"TESTING": True, "SANDBOX_MODE": False, "OLAPIC_API_KEY": "k",
                             "OLAPIC_API_URL": sandbox, "REDIS_URL": redis_url})
    assert production.test_client().get("/").status_code == 404


def test_the_report_form_is_a_module_of_its_own(base):
    path = module_path(base, "report", "REPORTS")  # imported on the first "Report this photo"
    body, source = shipped(base + path)
    assert len(body) <= 2 * 1024, f"{len(body)} bytes gzipped"
    assert "export default" in source and "__CSS__" not in source and "reports" in source
    carousel = requests.get(base + "/widgets/carousel.js", timeout=10).text
    assert "Send report" not in carousel  # the form's words travel with the form
