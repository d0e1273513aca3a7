"""Inferred dates are never presented like stated ones: chart, hover, detail, briefing and a filter."""

import datetime as dt

import pandas as pd
import pytest

from timeline.models import BASIS_WORDS
from timeline.table import EVENT_COLUMNS, Filters, is_stated, select

DAY = dt.date(2015, 2, 15)


def _table() -> pd.DataFrame:
    base = {c: "" for c in EVENT_COLUMNS} | {"n_sources": 1, "confidence": 0.9, "reported_date": dt.date(2015, 2, 17),
                                             "status": "happened", "granularity": "day", "value": "2015-02-15",
                                             "interval_start": DAY, "interval_end": DAY}
    return pd.DataFrame([
        base | {"event_id": "E1", "description": "stated", "date_basis": "explicit", "date_text": "Sunday"},
        base | {"event_id": "E2", "description": "inferred", "date_basis": "inferred", "date_text": "Sunday"},
        base | {"event_id": "E3", "description": "week", "date_basis": "sentence", "granularity": "week",
                "value": "2015-W07", "interval_start": dt.date(2015, 2, 9)},
        base | {"event_id": "E4", "description": "undated", "date_basis": "reported", "value": "",
                "granularity": "", "interval_start": None, "interval_end": None},
    ])


def test_stated_dates_are_told_apart_from_inferred_and_undated():
    assert list(is_stated(_table())) == [True, False, True, False]


def test_the_stated_only_filter_keeps_events_with_a_stated_date():
    assert list(select(_table(), Filters(stated_only=True)).table["event_id"]) == ["E1", "E3"]


def test_an_inferred_date_is_drawn_faint_and_hollow_with_its_basis_in_the_hover():
    from timeline.figures import INFERRED_NOTE, INFERRED_OPACITY, timeline_figure

    figure = timeline_figure(_table(), lanes="event")
    markers = next(t for t in figure.data if t.type == "scattergl" and t.mode == "markers" and t.yaxis == "y")
    by_event = dict(zip(markers.customdata, zip(markers.marker.symbol, markers.marker.opacity, markers.hovertext)))
    stated_symbol, stated_opacity, stated_hover = by_event["E1"]
    inferred_symbol, inferred_opacity, inferred_hover = by_event["E2"]
    assert inferred_symbol.endswith("-open") and not stated_symbol.endswith("-open")
    assert inferred_opacity == INFERRED_OPACITY < stated_opacity
    assert BASIS_WORDS["inferred"] in inferred_hover and BASIS_WORDS["explicit"] in stated_hover
    assert INFERRED_NOTE in [t.name for t in figure.data]


def test_a_chart_of_stated_dates_only_has_no_inferred_key():
    from timeline.figures import INFERRED_NOTE, timeline_figure

    figure = timeline_figure(select(_table(), Filters(stated_only=True)).table, lanes="event")
    assert INFERRED_NOTE not in [t.name for t in figure.data]


@pytest.mark.skipif(not __import__("shutil").which("/usr/bin/chromium"), reason="no Chromium for kaleido")
def test_the_briefing_says_how_each_event_was_dated():
    import plotly.graph_objects as go

    from timeline.briefing import briefing_html

    figure = go.Figure()
    figure.update_layout(width=800, height=400)
    page = briefing_html(_table(), figure, "Test", {})
    assert "how dated" in page and ">stated</td>" in page and ">inferred</td>" in page
    assert BASIS_WORDS["inferred"] in page  # the full wording, as the cell's title


def test_the_detail_panel_says_how_the_event_was_dated():
    from dashboard.detail import detail
    from dashboard.store import TimelineStore
    from timeline.build import build
    from timeline.corpus import seeds_dir

    store = TimelineStore(build([seeds_dir()]))
    video = store.table[store.table["description"].str.contains("released a video")].iloc[0]["event_id"]
    assert BASIS_WORDS["explicit"] in str(detail(store, video))
