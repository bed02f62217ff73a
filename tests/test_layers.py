"""The layers, enforced by walking every module's imports (docs/architecture.md):

- the domain (gallery/media) imports nothing else of gallery, and neither Flask, requests nor Prometheus;
- the upstream machinery (gallery/upstream) imports the domain only;
- a source (gallery/sources/<name>) never imports another source;
- the web layer (the rest of gallery, and widgets/) never imports a source or the upstream layer;
  only the composition root (create_app, settings, embedded, worker) does;
- sandboxes import nothing of gallery (nor of tests, nor of widgets).
"""
import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
COMPOSITION = {"gallery", "gallery.settings", "gallery.embedded", "gallery.worker"}


def _module(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts), parts[-1] == "__init__"


def imports(path):
    """The absolute names of every module `path` imports (relative imports resolved)."""
    name, package = _module(path)
    base = name.split(".") if package else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            prefix = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join(prefix + ([node.module] if node.module else []))
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # `from . import x` names modules too
    return found


def modules(*top):
    return [(path, _module(path)[0]) for folder in top for path in sorted((ROOT / folder).rglob("*.py"))]


def _within(name, prefix):
    return name == prefix or name.startswith(prefix + ".")


def layer(module):
    if _within(module, "gallery.media"):
        return "domain"
    if _within(module, "gallery.upstream"):
        return "upstream"
    if _within(module, "gallery.sources"):
        return "sources"
    if module in COMPOSITION:
        return "composition"
    return "web"


def violations(path, module):
    kind, found = layer(module), set()
    for name in imports(path):
        if not (_within(name, "gallery") or _within(name, "sandboxes") or _within(name, "widgets")
                or _within(name, "tests")):
            if kind == "domain" and any(_within(name, lib) for lib in ("flask", "requests", "prometheus_client")):
                found.add(name)
            continue
        if _within(name, "sandboxes") or _within(name, "tests"):
            found.add(name)  # the product never imports a sandbox or a test
        elif kind == "domain" and not _within(name, "gallery.media"):
            found.add(name)
        elif kind == "upstream" and not (_within(name, "gallery.media") or _within(name, "gallery.upstream")):
            found.add(name)
        elif kind == "sources" and module.count(".") >= 2 and _within(name, "gallery.sources"):
            own = ".".join(module.split(".")[:3])  # gallery.sources.<name>
            if not _within(name, own) and name != "gallery.sources":
                found.add(name)
        elif kind == "web" and (_within(name, "gallery.sources") or _within(name, "gallery.upstream")):
            found.add(name)
    return found


@pytest.mark.parametrize("path, module", modules("gallery", "widgets"), ids=lambda v: str(v))
def test_each_layer_imports_only_what_it_may(path, module):
    assert violations(path, module) == set(), f"{module} ({layer(module)}) imports across a layer"


@pytest.mark.parametrize("path, module", modules("sandboxes"), ids=lambda v: str(v))
def test_sandboxes_import_nothing_of_the_service(path, module):
    assert {n for n in imports(path) if n.split(".")[0] in ("gallery", "widgets", "tests")} == set()


def test_the_walk_sees_imports_across_layers(tmp_path):
    """The checker itself: a web module importing a source, written the three ways Python allows."""
    web = ROOT / "gallery" / "api" / "_layering_probe.py"
    web.write_text("from ..sources import olapic\nimport gallery.upstream.client\nfrom ..upstream import errors\n")
    try:
        assert violations(web, "gallery.api._layering_probe") == {
            "gallery.sources", "gallery.sources.olapic", "gallery.upstream.client", "gallery.upstream",
            "gallery.upstream.errors"}
    finally:
        web.unlink()
