"""Briefing exports: chart files of the requested size and format, one-page briefings, bad options."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from tests.conftest import run_cli

from timeline.briefing import BriefingError, chart, parse_size
from timeline.figures import focus_window
from timeline.outputs import load_build
from timeline.table import DEFAULT_TOP, EVENT_COLUMNS, Filters, has_own_date, select

HAS_CHROMIUM = shutil.which("/usr/bin/chromium") is not None
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="no Chromium at /usr/bin/chromium for kaleido")


@pytest.fixture
def built(seeds_written):
    return seeds_written


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize("text, size", [("slide", (1600, 900)), ("a4", (1123, 794)), ("square", (1000, 1000)),
                                        ("1200x700", (1200, 700))])
def test_sizes(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["huge", "12x7", "1200 by 700", "99999x700"])
def test_bad_sizes(text):
    with pytest.raises(BriefingError):
        parse_size(text)


def test_top_n_of_many_events_says_so():
    rows = [{c: "" for c in EVENT_COLUMNS} | {
        "event_id": f"E{n}", "value": "2015-02-15", "interval_start": dt.date(2015, 2, 15),
        "interval_end": dt.date(2015, 2, 15), "status": "happened", "n_sources": 1 + (n % 7 == 0),
        "confidence": 0.5, "salience": 0.4 + 0.2 * (n % 7 == 0), "reported_date": dt.date(2015, 2, 17)}
        for n in range(10_000)]
    table = pd.DataFrame(rows)
    selection = select(table, Filters(top=25))
    kept, note = selection.table, selection.note
    assert len(kept) == 25 and "25" in note and "10,000" in note
    assert (kept["n_sources"] == 2).all()
    assert list(kept.index) == sorted(kept.index)


def test_the_seed_chart_spreads_the_february_2015_events_over_most_of_its_width(built):
    table = select(load_build(built).table, Filters(top=DEFAULT_TOP)).table
    figure = chart(table, "Seeds", (1600, 900))
    low, high = pd.to_datetime(figure.layout.xaxis.range)
    dated = table[has_own_date(table)]
    february = dated[dated["interval_start"].map(lambda d: (d.year, d.month) == (2015, 2))]
    first = pd.to_datetime(february["interval_start"].min())
    last = pd.to_datetime(february["interval_end"].max()) + pd.Timedelta(days=1)
    assert (min(last, high) - max(first, low)) / (high - low) >= 0.6
    # The 2011 event that would squash them is announced at the edge, not drawn off-screen unannounced.
    assert any("earlier event" in (a.text or "") and "2011" in a.text for a in figure.layout.annotations)


def test_evenly_spread_events_keep_the_whole_axis():
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=30 * n) for n in range(12)]
    table = pd.DataFrame({"interval_start": days, "interval_end": days})
    assert focus_window(table) is None


@needs_chromium
def test_chart_formats_in_one_call(built, tmp_path):
    result = run_cli("chart", built, "-o", tmp_path / "chart", "--format", "png", "--format", "svg", "--format", "pdf",
                  "--format", "html", "--size", "slide", "--title", "Seeds <b>test</b>")
    assert result.exit_code == 0, result.output
    assert _png_size((tmp_path / "chart.png").read_bytes()) == (1600, 900)
    ElementTree.parse(tmp_path / "chart.svg")
    pages = subprocess.run(["pdftoppm", "-png", "-r", "30", str(tmp_path / "chart.pdf"), str(tmp_path / "page")],
                           capture_output=True) if shutil.which("pdftoppm") else None
    if pages is not None:
        assert pages.returncode == 0 and list(tmp_path.glob("page*.png"))
    snippet = (tmp_path / "chart.html").read_text("utf-8")
    assert snippet.startswith("<div") and "<html" not in snippet and "Seeds &lt;b&gt;test" in snippet
    assert "cdn.plot.ly" in (tmp_path / "chart.cdn.html").read_text("utf-8")


@needs_chromium
def test_html_snippet_renders_in_chromium(built, tmp_path):
    from playwright.sync_api import sync_playwright

    assert run_cli("chart", built, "-o", tmp_path / "c", "--format", "html").exit_code == 0
    snippet = (tmp_path / "c.html").read_text("utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_content(f"<html><body>{snippet}</body></html>")
        page.wait_for_selector(".main-svg", timeout=30_000)
        drawn = page.evaluate("document.querySelectorAll('.main-svg .ytick, .main-svg .bars path').length")
        shot, blank = tmp_path / "snippet.png", tmp_path / "blank.png"
        page.screenshot(path=str(shot))
        page.set_content("<html><body></body></html>")
        page.screenshot(path=str(blank))
        browser.close()
    assert drawn > 10, "the chart drew no lanes or bars"
    assert shot.stat().st_size > 5 * blank.stat().st_size, "the rendered snippet looks blank"


@needs_chromium
def test_one_page_briefing(built, tmp_path):
    result = run_cli("brief", built, "-o", tmp_path / "brief.html", "--title", "Briefing")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "brief.html").read_text("utf-8")
    assert "<h1>Briefing</h1>" in page and "4 articles" in page and "<svg" in page
    assert "Summary." in page and 'aria-label="' in page and "breitbart.com" in page
    result = run_cli("brief", built, "-o", tmp_path / "brief.pdf")
    assert result.exit_code == 0, result.output
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(tmp_path / "brief.pdf")], capture_output=True, text=True).stdout
        assert __import__("re").search(r"Pages:\s+1\n", info), info


@needs_chromium
def test_an_empty_selection_gives_a_chart_that_says_so(built, tmp_path):
    result = run_cli("chart", built, "-o", tmp_path / "none", "--format", "svg", "--from", "1990-01-01",
                  "--to", "1990-12-31")
    assert result.exit_code == 0 and "no events" in result.output
    assert "No events" in (tmp_path / "none.svg").read_text("utf-8")


@pytest.mark.parametrize("args, option", [
    (["--size", "enormous"], "--size"),
    (["--from", "last year"], "--from"),
    (["--from", "2015-03-01", "--to", "2015-02-01"], "--from"),
])
def test_bad_options_are_usage_errors_naming_the_option(built, tmp_path, args, option):
    result = run_cli("chart", built, "-o", tmp_path / "x", *args)
    assert result.exit_code == 2 and option in result.output


def test_a_folder_without_a_build_is_named(tmp_path):
    result = run_cli("chart", tmp_path, "-o", tmp_path / "x")
    assert result.exit_code == 2 and "build.json" in result.output
