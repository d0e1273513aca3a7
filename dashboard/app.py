"""A first dashboard page: the time expressions of the seed articles, with their sentences.

The interactive event timeline comes with the event stage (issue 4); this page
already shows what the tagger found, escaped, in a sortable, filterable grid.
"""

from __future__ import annotations

from pathlib import Path

GRID_COLUMNS = ("article", "published", "text", "type", "value", "granularity", "interval_start",
                "interval_end", "context")


def seed_rows(seeds: Path | None = None) -> list[dict]:
    """One row per time expression found in the seed articles."""
    from timeline.documents import read_manifest, seeds_dir
    from timeline.tagger import default_tagger

    manifest = (seeds or seeds_dir()) / "manifest.csv"
    rows = []
    for document in read_manifest(manifest):
        for expression in default_tagger().tag_document(document).expressions:
            row = expression.to_dict()
            row["article"] = document.title or document.doc_id
            row["published"] = document.dct.isoformat() if document.dct else ""
            row["context"] = _context(document.text, expression.start, expression.end)
            rows.append({key: row.get(key) for key in GRID_COLUMNS})
    return rows


def _context(text: str, start: int, end: int, width: int = 90) -> str:
    return " ".join(f"…{text[max(0, start - width):end + width]}…".split())


def build_app(rows: list[dict]):
    """The Dash app; Dash renders every string as text, so article HTML stays inert."""
    import dash_ag_grid as dag
    from dash import Dash, html

    app = Dash(__name__, title="timeline")
    grid = dag.AgGrid(
        id="timex-grid",
        rowData=rows,
        columnDefs=[{"field": c, "filter": True, "sortable": True} for c in GRID_COLUMNS],
        defaultColDef={"resizable": True},
        style={"height": "80vh"},
    )
    empty = html.P("No time expressions found: add articles to seeds/ with a manifest.csv.")
    app.layout = html.Div([
        html.H2("Time expressions in the seed articles"),
        html.P(f"{len(rows)} expressions, each normalised against its article's publication date."),
        grid if rows else empty,
    ], style={"fontFamily": "system-ui, sans-serif", "margin": "1rem"})
    return app


def run(host: str = "127.0.0.1", port: int = 8050) -> None:
    """Tag the seeds and serve the page."""
    app = build_app(seed_rows())
    print(f"timeline dashboard: http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=False)
