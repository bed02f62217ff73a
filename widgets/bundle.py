"""The widget as shipped: each script with its stylesheet inlined, named by a content hash.

Two bundles: the carousel (static/carousel.js + .css), which every product page loads, and the upload
form (static/upload.js + .css), a module the carousel imports only when a shopper clicks "Add your
photo". The carousel carries the upload module's versioned URL, so a change to either changes the
carousel's hash. The stylesheet travels inside its script (adopted as a constructable stylesheet), so
the element styles itself in one request and under a strict CSP. There is no build step: the bundles
are made when first asked for and kept for the life of the process.
"""
import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass

from flask import current_app

from gallery.extensions import get_registry


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes
    digest: str  # in the versioned URL: any change to the script, its styles or its flags changes it


def _compact_js(source):
    # Whole-line comments and indentation only: safe for any script without multi-line literals.
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _compact_css(source):
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"\s+", " ", source)
    source = re.sub(r"\s*([{};,])\s*", r"\1", source)
    return source.replace(": ", ":").strip()


def has_reports(app):
    """Whether the carousel offers "Report": some configured provider takes reports (capabilities)."""
    return any(source.capabilities.reports for source in get_registry(app))


def has_uploads(app):
    """Whether it offers "Add your photo": UPLOAD_PROVIDER names a provider that takes uploads."""
    return get_registry(app).uploads is not None


def _bundle(app, name, **flags):
    """static/<name>.js with __CSS__ and each __FLAG__ replaced by its JSON value."""
    with open(os.path.join(app.static_folder, name + ".js"), encoding="utf-8") as f:
        script = _compact_js(f.read())
    with open(os.path.join(app.static_folder, name + ".css"), encoding="utf-8") as f:
        flags["CSS"] = _compact_css(f.read())
    for flag, value in flags.items():
        script = script.replace(f"__{flag}__", json.dumps(value))
    body = script.encode()
    return Bundle(body, gzip.compress(body, 9, mtime=0), hashlib.sha256(body).hexdigest()[:16])


def build(app):
    upload = _bundle(app, "upload")
    path = app.url_map.bind("localhost").build("widgets.asset", {"name": "upload", "digest": upload.digest})
    carousel = _bundle(app, "carousel", REPORTS=has_reports(app), UPLOAD=path if has_uploads(app) else None)
    return {"carousel": carousel, "upload": upload}


def get_bundle(name="carousel"):
    app = current_app._get_current_object()
    if "widget_bundles" not in app.extensions:
        app.extensions["widget_bundles"] = build(app)
    return app.extensions["widget_bundles"][name]
