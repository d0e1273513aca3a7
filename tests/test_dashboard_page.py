"""The placeholder dashboard page: built from the seeds' event table, with its rows escaped as data."""

from dashboard.app import GRID_COLUMNS, build_app, event_rows


def test_page_lists_the_seed_events():
    rows = event_rows()
    assert rows and set(rows[0]) == set(GRID_COLUMNS)
    assert any(r["value"] == "2015-02-16" and "Gentiloni" in r["description"] for r in rows)
    app = build_app(rows)
    assert app.layout is not None


def test_markup_in_article_text_stays_data():
    rows = [{c: "" for c in GRID_COLUMNS} | {"description": "<script>alert(1)</script>", "value": "2015-02-15"}]
    layout = build_app(rows).layout
    grid = layout.children[2]
    assert grid.rowData[0]["description"] == "<script>alert(1)</script>"
    # No HTML or markdown renderer on any column: ag-grid then shows cell values as text.
    assert all("cellRenderer" not in c and "cellRendererParams" not in c for c in grid.columnDefs)
