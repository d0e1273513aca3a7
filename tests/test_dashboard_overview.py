"""A timeline too large to draw event by event opens as a daily histogram with its key events
labelled; zooming in to a stretch of fewer events draws them."""

import datetime as dt

from dashboard.app import build_app
from dashboard.view import OVERVIEW_EVENTS, OVERVIEW_LABELS, refreshed_view, zoomed_range
from timeline.models import BuildResult, Event, EventMention, TimeExpression
from timeline.table import Filters, event_table

START = dt.date(2010, 1, 1)


def _result(count: int) -> BuildResult:
    events = []
    for n in range(count):
        day = START + dt.timedelta(days=n % 3000)
        timex = TimeExpression("that day", 0, 8, "DATE", day.isoformat(), None, "day", day, day)
        mention = EventMention(f"d{n}:m1", f"d{n}", "attacked", 0, 8, "attack", "verb", "Rebels attacked.", 0,
                               f"Rebels attacked town {n}", actors=["Rebels"], timex=timex, basis="explicit",
                               sentence_index=0 if n % 500 == 0 else 9, published=day)
        events.append(Event(f"E{n:05d}", [mention], value=day.isoformat(), interval_start=day, interval_end=day,
                            granularity="day", basis="explicit", actors=["Rebels"]))
    return BuildResult(events=events, table=event_table(events))


def test_thousands_of_events_open_as_a_daily_histogram_with_key_events_labelled():
    store = build_app(result=_result(OVERVIEW_EVENTS + 1000)).timeline_store
    figure, rows, note, _summary, _choice = refreshed_view(store, Filters(top=30), "status", None)
    kinds = [trace.type for trace in figure.data]
    assert kinds[0] == "scattergl" and figure.data[0].name == "events per day"
    assert sum(y for y in figure.data[0].y if y) == OVERVIEW_EVENTS + 1000
    labels = figure.data[1]
    assert labels.mode == "markers+text" and 0 < len(labels.text) <= OVERVIEW_LABELS
    assert len(rows) == 30 and "key ones" in note


def test_zooming_in_draws_the_events_of_that_stretch():
    store = build_app(result=_result(OVERVIEW_EVENTS + 1000)).timeline_store
    relayout = {"xaxis.range[0]": "2010-03-01 00:00:00", "xaxis.range[1]": "2010-04-30 12:00:00"}
    zoom = zoomed_range(relayout)
    assert zoom == (dt.date(2010, 3, 1), dt.date(2010, 4, 30))
    figure, rows, _note, _summary, _choice = refreshed_view(store, Filters(top=None), "status", None, zoom)
    assert all(trace.name != "events per day" for trace in figure.data)
    days = {r["value"] for r in rows}
    assert days and all("2010-03-01" <= d <= "2010-04-30" for d in days)


def test_zooming_in_to_a_stretch_still_too_full_shows_its_own_overview():
    store = build_app(result=_result(OVERVIEW_EVENTS * 3)).timeline_store
    zoom = (dt.date(2010, 1, 1), dt.date(2016, 12, 31))  # 2,557 of the 3,000 days: still too many events
    figure, rows, note, *_ = refreshed_view(store, Filters(top=30), "status", None, zoom)
    counts = figure.data[0]
    assert counts.name == "events per day"
    in_stretch = store.count(Filters(start=zoom[0], end=zoom[1]))
    assert OVERVIEW_EVENTS < in_stretch < OVERVIEW_EVENTS * 3
    assert sum(y for y in counts.y if y) == in_stretch and f"of {in_stretch:,} that match" in note
    assert max(x for x in counts.x if x is not None).date() <= zoom[1]


def test_a_small_timeline_ignores_zoom_and_autorange_returns_to_the_overview():
    assert zoomed_range({"xaxis.autorange": True}) is None
    assert zoomed_range(None) is None
    store = build_app(result=_result(50)).timeline_store
    figure, rows, *_ = refreshed_view(store, Filters(), "status", None, (dt.date(2010, 1, 1), dt.date(2010, 1, 5)))
    assert figure.data[0].name != "events per day" and len(rows) == 50
