"""The embedded store: events.parquet holds the event table, and a DuckDB selection from it keeps
exactly the events `timeline.table.select` keeps, for every kind of filter."""

import datetime as dt

import pytest

from timeline.build import build
from timeline.corpus import seeds_dir
from timeline.outputs import load_build, render_outputs, write_outputs
from timeline.store import EventStore
from timeline.table import Filters, select

pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The seeds built into a folder whose name a careless SQL query would choke on."""
    folder = tmp_path_factory.mktemp("store") / "it's here"
    write_outputs(build([seeds_dir()]), folder)
    return folder


FILTERS = [
    Filters(),
    Filters(start=dt.date(2015, 2, 15), end=dt.date(2015, 2, 16)),
    Filters(start=dt.date(2015, 2, 18)),
    Filters(end=dt.date(2014, 12, 31)),
    Filters(actors=["ISIS"]),
    Filters(locations=["Libya", "Rome"]),
    Filters(sources=["001_ec7aeb75b8986f6f"]),
    Filters(statuses=["threatened", "planned"]),
    Filters(min_sources=2),
    Filters(text="embassy"),
    Filters(text="'; DROP TABLE events; --"),
    Filters(stated_only=True),
    Filters(entity="Islamic State"),
    Filters(entity="Gentiloni"),
    Filters(top=10),
    Filters(top=5, statuses=["happened"], start=dt.date(2015, 2, 1)),
]


@pytest.mark.parametrize("filters", FILTERS, ids=[repr(f)[:80] for f in FILTERS])
def test_a_store_selection_keeps_what_the_table_selection_keeps(written, filters):
    table = load_build(written).table
    expected = select(table, filters)
    got = EventStore(written).select(filters)
    assert list(got.table["event_id"]) == list(expected.table["event_id"])
    assert got.matched == expected.matched


def test_the_store_gives_back_the_event_table_itself(written):
    table = load_build(written).table
    got = EventStore(written).select(Filters()).table
    assert got.to_dict("records") == table.to_dict("records")


def test_selections_that_must_keep_something_do(written):
    store = EventStore(written)
    assert store.count() > 100
    assert 0 < store.select(Filters(entity="Islamic State")).matched < store.count()
    assert store.select(Filters(top=10)).table.shape[0] == 10
    assert store.select(Filters(text="'; DROP TABLE events; --")).matched == 0
    assert store.count() > 100  # the text was a value, never SQL


def test_parquet_outputs_are_reproducible_byte_for_byte():
    first, second = render_outputs(build([seeds_dir()])), render_outputs(build([seeds_dir()]))
    assert first["events.parquet"] == second["events.parquet"]
    assert first["mentions.parquet"] == second["mentions.parquet"]
