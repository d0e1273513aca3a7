"""The dashboard's server side: filtering, detail with provenance, CSV export, upload checks."""

import csv
import io

import pytest

from dashboard.app import build_app
from dashboard.detail import detail, highlighted
from dashboard.exports import table_csv
from dashboard.store import TimelineStore
from dashboard.uploads import upload_problem
from timeline.build import build
from timeline.table import EVENT_COLUMNS, Filters
from timeline.corpus import seeds_dir


@pytest.fixture(scope="module")
def store():
    return TimelineStore(build([seeds_dir()]))


def test_filters_narrow_the_table(store):
    everything = store.select(Filters()).table
    assert len(everything) == len(store.table)
    threats = store.select(Filters(statuses=["threatened"])).table
    assert 0 < len(threats) < len(everything) and set(threats["status"]) == {"threatened"}
    multi = store.select(Filters(min_sources=2)).table
    assert len(multi) and (multi["n_sources"] >= 2).all()
    import datetime as dt
    february = store.select(Filters(start=dt.date(2015, 2, 14), end=dt.date(2015, 2, 16))).table
    assert "2011" not in set(february["value"])
    assert len(store.select(Filters(text="embassy")).table) >= 1


def test_detail_lists_every_mention_with_its_article(store):
    video = store.table[store.table["description"].str.contains("released a video")].iloc[0]["event_id"]
    text = str(detail(store, video))
    assert "Breitbart" in text and "The Independent" in text and "published 2015-02-17" in text


def test_detail_and_chart_hover_tell_a_time_note(store):
    row = store.table[store.table["time_note"] != ""].iloc[0]  # "have been discussing this for months"
    assert f"Also said: “{row['time_note']}”" in str(detail(store, row["event_id"]))
    from timeline.figures import _hover
    assert row["time_note"] in _hover(store.table[store.table["event_id"] == row["event_id"]], 60)[0]


def test_sentence_highlight_keeps_markup_as_text():
    mention = {"sentence": "<b>Italy</b> closed it on Sunday.", "sentence_start": 100,
               "trigger_start": 113, "trigger_end": 119, "timex_start": 126, "timex_end": 132}
    pieces = highlighted(mention)
    assert pieces[0] == "<b>Italy</b> "
    assert pieces[1].children == "closed" and pieces[3].children == "Sunday"


def test_csv_of_the_view_matches_it_and_neutralises_formulas(store):
    view = store.select(Filters(statuses=["happened"])).table
    rows = list(csv.DictReader(io.StringIO(table_csv(view))))
    assert [r["event_id"] for r in rows] == list(view["event_id"])
    store.table.loc[store.table.index[0], "description"] = "=cmd()"
    rows = list(csv.DictReader(io.StringIO(table_csv(store.table.head(1)))))
    assert rows[0]["description"] == "'=cmd()"


@pytest.mark.parametrize("name, content, problem", [
    ("a.exe", "data:;base64,AAAA", "only"),
    ("a.txt", "", "empty"),
    ("a.txt", "data:;base64," + "A" * (8 * 1024 * 1024), "larger"),
])
def test_uploads_are_limited_in_type_and_size(name, content, problem):
    assert problem in upload_problem(name, content)


def test_app_builds_on_the_seeds():
    app = build_app()
    assert app.layout is not None and len(app.timeline_store.table) > 20
    app.upload_queue.close()


@pytest.mark.skipif(not __import__("shutil").which("/usr/bin/chromium"), reason="no Chromium for kaleido")
def test_chart_exports_are_valid_images(store, tmp_path):
    from xml.etree import ElementTree

    from timeline.figures import figure_html, figure_image, timeline_figure

    figure = timeline_figure(store.table, lanes="event")
    png = figure_image(figure, "png", width=1200, height=700)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1200 and int.from_bytes(png[20:24], "big") == 700
    ElementTree.fromstring(figure_image(figure, "svg"))
    snippet = figure_html(figure)
    assert snippet.startswith("<div") and "plotly" in snippet and "<html" not in snippet
    assert 'src="https://cdn.plot.ly' in figure_html(figure, offline=False)


def test_figure_draws_days_as_markers_spans_as_webgl_lines_and_undated_in_their_own_strip():
    import datetime as dt

    import pandas as pd

    from timeline.figures import REPORTED_LANE, timeline_figure

    base = {c: "" for c in EVENT_COLUMNS} | {"n_sources": 1, "confidence": 0.9, "reported_date": dt.date(2015, 2, 17)}
    rows = [
        base | {"event_id": "E1", "value": "2015-02-15", "granularity": "day", "status": "happened",
                "interval_start": dt.date(2015, 2, 15), "interval_end": dt.date(2015, 2, 15), "description": "<script>x"},
        base | {"event_id": "E2", "value": "2015-W07", "granularity": "week", "status": "happened",
                "interval_start": dt.date(2015, 2, 9), "interval_end": dt.date(2015, 2, 15), "description": "week"},
        base | {"event_id": "E3", "value": "", "granularity": "", "status": "threatened", "description": "threat",
                "interval_start": None, "interval_end": None},
    ]
    figure = timeline_figure(pd.DataFrame(rows), lanes="status")
    by_type = {(t.type, t.yaxis) for t in figure.data}
    drawn = {(t.type, t.yaxis) for t in figure.data if t.x and t.x[0] is not None}  # not the legend key
    assert drawn == {("scattergl", "y"), ("scattergl", "y2")}
    strip = next(t for t in figure.data if t.yaxis == "y2")
    assert list(strip.customdata) == ["E3"] and set(strip.y) == {REPORTED_LANE}
    marker = next(t for t in figure.data if t.mode == "markers" and t.yaxis == "y")
    assert "&lt;script&gt;" in marker.hovertext[0] and "<script>" not in marker.hovertext[0]
    span = next(t for t in figure.data if t.mode == "lines")
    assert list(span.customdata) == ["E2", "E2", "E2", None]
    assert (span.x[0], span.x[2]) == (pd.Timestamp("2015-02-09"), pd.Timestamp("2015-02-16"))  # the whole week


def test_empty_figure_says_so():
    import pandas as pd

    from timeline.figures import timeline_figure

    figure = timeline_figure(pd.DataFrame(columns=EVENT_COLUMNS))
    assert "No events" in figure.layout.annotations[0].text
