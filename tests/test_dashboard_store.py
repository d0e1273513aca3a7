"""The dashboard serves a build folder through the store (nothing but its Parquet files read) and
shows exactly what it shows for the same timeline held in memory."""

import datetime as dt

import pytest

from dashboard.store import TimelineStore
from dashboard.view import refreshed_view
from timeline.outputs import OutputError, load_build
from timeline.table import Filters

VIEWS = {
    "opening view": Filters(top=30),
    "everything": Filters(),
    "one status": Filters(statuses=["threatened"]),
    "text": Filters(text="rome"),
    "dates": Filters(start=dt.date(2015, 2, 14), end=dt.date(2015, 2, 16)),
    "stated only, top 5": Filters(stated_only=True, top=5),
}


@pytest.fixture(scope="module")
def both(seeds_written):
    return TimelineStore.of_build(seeds_written), TimelineStore(load_build(seeds_written))


def test_a_build_folder_is_served_without_reading_its_events(both):
    stored, _ = both
    assert stored.result is None and stored.events == {}
    assert stored.total > 100


@pytest.mark.parametrize("name", VIEWS)
def test_the_page_shows_the_same_view_of_a_folder_as_of_the_timeline_in_memory(both, name):
    stored, in_memory = both
    from_folder, from_memory = (refreshed_view(s, VIEWS[name], "status", None) for s in both)
    assert from_folder[1] == from_memory[1] and from_folder[1]  # grid rows
    assert from_folder[2:] == from_memory[2:]  # note, summary, show-all choice
    assert from_folder[0].to_json() == from_memory[0].to_json()


def test_detail_options_and_summary_are_the_same(both):
    stored, in_memory = both
    for column in ("actors", "locations", "sources"):
        assert stored.options(column) == in_memory.options(column)
    for event_id in list(in_memory.events)[:40]:
        assert stored.row(event_id) == in_memory.row(event_id)
        assert stored.mentions_of(event_id) == in_memory.mentions_of(event_id), event_id
    assert stored.row("E-none") is None and stored.mentions_of("E-none") == []


def test_an_upload_into_a_served_folder_reads_the_build_in_first(seeds_written, tmp_path):
    from timeline.build import build
    from timeline.corpus import seeds_dir

    stored = TimelineStore.of_build(seeds_written)
    article = sorted(seeds_dir().glob("*.txt"))[0].read_text("utf-8").replace("Rome", "Genoa")
    (tmp_path / "genoa.txt").write_text(article, "utf-8")
    before = stored.total
    assert stored.add(build([tmp_path], published=dt.date(2015, 3, 1))) == []
    assert stored.result is not None and stored.total > before
    assert "genoa" in stored.documents


def test_a_folder_whose_files_changed_is_refused(seeds_written, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(seeds_written, copy)
    (copy / "events.parquet").write_bytes(b"PAR1")
    with pytest.raises(OutputError, match="events.parquet is not the file this build wrote"):
        TimelineStore.of_build(copy)
