"""A first dashboard page: the seed articles' event table, with dates and sources.

The interactive timeline (chart, provenance panel, filters, uploads) is issue 4; this page
already shows the built event table, escaped, in a sortable, filterable grid.
"""

from __future__ import annotations

from pathlib import Path

GRID_COLUMNS = ("value", "date_text", "granularity", "date_basis", "description", "status", "actors",
                "locations", "n_sources", "sources", "conflicts", "confidence")


def event_rows(corpus: list[Path] | None = None) -> list[dict]:
    """One row per event built from the corpus (the seed articles by default)."""
    from timeline.build import build
    from timeline.documents import seeds_dir

    result = build(corpus or [seeds_dir()])
    table = result.table.astype(object).where(result.table.notna(), "")
    return [{key: row[key] for key in GRID_COLUMNS} for row in table.to_dict("records")]


def build_app(rows: list[dict]):
    """The Dash app; Dash renders every string as text, so article HTML stays inert."""
    import dash_ag_grid as dag
    from dash import Dash, html

    app = Dash(__name__, title="timeline")
    grid = dag.AgGrid(
        id="event-grid",
        rowData=rows,
        columnDefs=[{"field": c, "filter": True, "sortable": True} for c in GRID_COLUMNS],
        defaultColDef={"resizable": True},
        style={"height": "80vh"},
    )
    dated = sum(1 for r in rows if r["value"])
    empty = html.P("No events found: add articles to seeds/ with a manifest.csv, or run `timeline build`.")
    app.layout = html.Div([
        html.H2("Events in the seed articles"),
        html.P(f"{len(rows)} events, {dated} with a date of their own; the others keep only the date they were reported."),
        grid if rows else empty,
    ], style={"fontFamily": "system-ui, sans-serif", "margin": "1rem"})
    return app


def run(host: str = "127.0.0.1", port: int = 8050) -> None:
    """Build the seeds' timeline and serve the page."""
    app = build_app(event_rows())
    print(f"timeline dashboard: http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=False)
