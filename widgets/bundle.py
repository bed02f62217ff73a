"""The widget as shipped: each script with its stylesheet inlined, named by a content hash.

Three bundles: the carousel (static/carousel.js + .css), which every product page loads, and two
modules it imports only when a shopper needs them: the upload form (static/upload.js + forms.css +
upload.css, on the first "Add your photo") and the lightbox's report form (static/report.js +
forms.css, on the first "Report this photo"). The carousel carries the modules' versioned URLs, so a
change to any of them changes the carousel's hash. The stylesheet travels inside its script (adopted as a constructable stylesheet), so
the element styles itself in one request and under a strict CSP. There is no build step: the bundles
are made when first asked for and kept for the life of the process.
"""
import gzip
import hashlib
import json
import os
from dataclasses import dataclass

import rcssmin
import rjsmin
from flask import current_app

from gallery.extensions import get_registry


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes
    digest: str  # in the versioned URL: any change to the script, its styles or its flags changes it


def has_reports(app):
    """Whether the carousel offers "Report": some configured provider takes reports (capabilities)."""
    return any(source.capabilities.reports for source in get_registry(app))


def has_uploads(app):
    """Whether it offers "Add your photo": UPLOAD_PROVIDER names a provider that takes uploads."""
    return get_registry(app).uploads is not None


def _read(app, name):
    with open(os.path.join(app.static_folder, name), encoding="utf-8") as f:
        return f.read()


def _bundle(app, name, styles, **flags):
    """static/<name>.js, minified, with __CSS__ (the `styles` sheets of static/, in order) and each __FLAG__
    replaced by its JSON value."""
    script = rjsmin.jsmin(_read(app, name + ".js"))
    flags["CSS"] = rcssmin.cssmin("".join(_read(app, sheet) for sheet in styles))
    for flag, value in flags.items():
        script = script.replace(f"__{flag}__", json.dumps(value))
    body = script.encode()
    return Bundle(body, gzip.compress(body, 9, mtime=0), hashlib.sha256(body).hexdigest()[:16])


def build(app):
    # The forms share forms.css; the carousel's sheet stays adopted under each.
    upload, report = _bundle(app, "upload", ["forms.css", "upload.css"]), _bundle(app, "report", ["forms.css"])
    urls = app.url_map.bind("localhost")
    path = lambda name, bundle: urls.build("widgets.asset", {"name": name, "digest": bundle.digest})  # noqa: E731
    carousel = _bundle(app, "carousel", ["carousel.css"], REPORTS=path("report", report) if has_reports(app) else None,
                       UPLOAD=path("upload", upload) if has_uploads(app) else None)
    return {"carousel": carousel, "upload": upload, "report": report}


def get_bundle(name="carousel"):
    app = current_app._get_current_object()
    if "widget_bundles" not in app.extensions:
        app.extensions["widget_bundles"] = build(app)
    return app.extensions["widget_bundles"][name]
