"""README's providers table ("Providers: what each source supports") says what each source declares:
its Capabilities, and the change feed it brings (a polled feed, or a webhook receiver)."""
import re
from pathlib import Path

from gallery.media.capabilities import FILTERS, SORTS
from gallery.sources import PLUGINS

README = Path(__file__).resolve().parents[2] / "README.md"
COLUMNS = ["provider", "media", "product sorts", "category / brand", "filters", "uploads", "reports",
           "change feed", "configure"]


def providers_table():
    """{provider: {column: cell}} of the table under the section's heading."""
    section = README.read_text().split("## Providers: what each source supports", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("|")]
    assert rows and rows[0] == COLUMNS, rows[:1]
    return {row[0].strip("`"): dict(zip(COLUMNS, row)) for row in rows[2:]}


def named(text, vocabulary=SORTS):
    """The names a cell lists, its parenthesised explanations left out; every one of the vocabulary."""
    names = {name.strip() for name in re.sub(r"\([^)]*\)", "", text).split(",") if name.strip()}
    assert names <= set(vocabulary), names
    return names


def listings(cell, product_sorts):
    """{scope: sorts} of the category / brand cell: `both: <sorts>` or `category (...), <sorts> | the same
    sorts; no brand listing`."""
    head, _, tail = re.sub(r"\([^)]*\)", "", cell).partition(";")
    scopes, _, sorts = head.partition(":") if head.startswith("both") else head.partition(",")
    scopes = ["category", "brand"] if scopes.strip() == "both" else [scopes.strip()]
    assert ("brand" not in scopes) == (tail.strip() == "no brand listing"), cell
    return dict.fromkeys(scopes, product_sorts if sorts.strip() == "the same sorts" else named(sorts))


def test_the_providers_table_is_what_each_source_declares(make_federated):
    app = make_federated(MEDIAGRAPH_WEBHOOK_SECRET="a-webhook-secret")  # every source's change feed on
    registry = app.extensions["registry"]
    table = providers_table()
    assert set(table) == set(registry.names) == {plugin.name for plugin in PLUGINS}
    for source in registry:
        row, caps = table[source.name], source.capabilities
        assert f"(`{caps.kind}`)" in row["media"], row
        product = named(row["product sorts"])
        assert product == set(caps.sorts["product"]), row
        assert listings(row["category / brand"], product) == {
            scope: set(sorts) for scope, sorts in caps.sorts.items() if scope != "product" and sorts}, row
        filters = {"all four": set(FILTERS), "none": set()}.get(row["filters"])
        filters = named(row["filters"], FILTERS) if filters is None else filters
        assert filters == set(caps.filters), row
        assert row["uploads"].startswith("yes") == caps.uploads, row
        assert row["reports"].startswith("yes: delivered") == caps.reports, row
        assert row["reports"].startswith("hidden here at once") == (not caps.reports), row
        receiver = any(bp.name.endswith("_webhooks") for bp in source.blueprints)
        assert ("webhooks" in row["change feed"]) == receiver, row
        assert ("polled" in row["change feed"]) == (source.changes is not None), row
        assert row["change feed"].startswith("none") == (not receiver and source.changes is None), row
