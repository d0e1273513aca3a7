"""The dashboard driven in headless Chromium (Debian's, through Playwright; no browser download).

Every wait is for a condition on the page, never for a fixed time.  Screenshots go to
test-artifacts/.  Without /usr/bin/chromium these tests skip; CI installs it.
"""

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import ids

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 240  # seconds for a server to build the seeds on a loaded machine
HOSTILE_ID = '<a href="https://evil.example/">click</a>'

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")

MARKER_POSITION = """(needle) => {
  const gd = document.querySelector('#timeline-chart .js-plotly-plot');
  const layout = gd._fullLayout;
  for (const trace of gd.data) {
    if (trace.type !== 'scattergl' || trace.yaxis !== 'y') continue;
    const index = (trace.hovertext || []).findIndex(t => (t || '').includes(needle));  // spans have gaps (null)
    if (index < 0) continue;
    const x = layout.xaxis.l2p(layout.xaxis.d2l(trace.x[index])) + layout.xaxis._offset;
    const y = layout.yaxis.l2p(layout.yaxis.d2l(trace.y[index])) + layout.yaxis._offset;
    const box = gd.getBoundingClientRect();
    return [box.left + x, box.top + y];
  }
  return null;
}"""
CHART_READY = ("document.querySelector('#timeline-chart .js-plotly-plot') && "
               "document.querySelector('#timeline-chart .js-plotly-plot').data.length > 0")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args: list[str], tmpdir: Path) -> tuple[subprocess.Popen, str]:
    """`timeline serve ARGS` on a free port, with its temporary files in tmpdir; waits until it answers."""
    port = _free_port()
    env = dict(os.environ, BROWSER_PATH=CHROMIUM, TMPDIR=str(tmpdir))
    process = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", *args, "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, f"http://127.0.0.1:{port}/"
        except OSError:
            if process.poll() is not None:
                pytest.fail("the dashboard exited at start-up")
            time.sleep(0.2)  # polling a socket, not waiting on the page
    process.kill()
    pytest.fail(f"the dashboard did not start in {START_TIMEOUT} s")


def stop_server(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmpdir = tmp_path_factory.mktemp("server-tmp")
    process, url = start_server([], tmpdir)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


def open_page(browser, url: str):
    """A page on the dashboard, once its table and chart are drawn; CSP violations are collected."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.violations = []
    page.on("console", lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.response = page.goto(url)
    page.wait_for_selector(".ag-row", timeout=120_000)
    page.wait_for_function(CHART_READY, timeout=60_000)
    return page


@pytest.fixture
def page(browser, server):
    page = open_page(browser, server)
    yield page
    assert not page.violations, f"the page broke its Content-Security-Policy: {page.violations}"
    page.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _event_count(page) -> int:
    page.wait_for_function(f"/^\\d+ events/.test(document.getElementById('{ids.GRID_NOTE}').innerText)")
    return int(page.inner_text(f"#{ids.GRID_NOTE}").split()[0])


def _wait_for_grid(page, every_row_has: str, at_most: int) -> list[str]:
    """Wait until the grid has redrawn (it lags the note): 1..at_most rows, each containing this text."""
    page.wait_for_function("""([needle, most]) => {
        const rows = Array.from(document.querySelectorAll('.ag-center-cols-container .ag-row'));
        return rows.length > 0 && rows.length <= most && rows.every(r => r.innerText.toLowerCase().includes(needle));
    }""", arg=[every_row_has.lower(), at_most], timeout=60_000)
    return page.locator(".ag-center-cols-container .ag-row").all_inner_texts()


def _wait_for_new_count(page, before: int) -> int:
    page.wait_for_function(f"!document.getElementById('{ids.GRID_NOTE}').innerText.startsWith('{before} ')",
                           timeout=60_000)
    return _event_count(page)


def _choose_lanes(page, label: str) -> None:
    """Pick a lane choice and wait until the chart has been redrawn for it."""
    if page.inner_text(f"#{ids.LANES}").strip() == label:
        return  # already drawn so: picking it again redraws nothing
    page.evaluate("document.querySelector('#timeline-chart .js-plotly-plot').data.stale = true")
    page.locator(f"#{ids.LANES}").click()
    page.locator(".dash-dropdown-option", has_text=label).first.click()
    page.wait_for_function("!document.querySelector('#timeline-chart .js-plotly-plot').data.stale",
                           timeout=60_000)


def test_page_loads_with_the_seed_events_behind_security_headers(page):
    headers = page.response.headers
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["server"] == "timeline"  # waitress, not Flask's development server
    assert page.locator(".ag-row").count() > 5
    assert _event_count(page) > 20
    # The chart opens in the lanes its number of dated events calls for; one row per event names them.
    _choose_lanes(page, "one row per event")
    page.wait_for_function(f"document.getElementById('{ids.CHART}').innerText.includes("
                           "'Islamic State released a video')", timeout=60_000)
    _shot(page, "01-loaded")


def test_the_page_opens_on_the_key_events_and_shows_all_in_one_click(page):
    from dashboard.view import DEFAULT_KEY_EVENTS

    key = _event_count(page)
    note = page.inner_text(f"#{ids.GRID_NOTE}")
    total = int(re.search(r"key ones of ([\d,]+)", note).group(1).replace(",", ""))
    assert key == DEFAULT_KEY_EVENTS < total
    page.locator(f"#{ids.SHOW_ALL}").get_by_label(f"show all {total:,} events").check()
    assert _wait_for_new_count(page, key) == total
    assert "key ones" not in page.inner_text(f"#{ids.GRID_NOTE}")


def test_clicking_an_event_shows_its_sentences(page):
    _choose_lanes(page, "one row per event")  # a marker of its own: in status lanes markers of a day overlap
    position = page.evaluate(MARKER_POSITION, "released a video")
    assert position, "the video release is not on the chart"
    page.mouse.click(*position)
    page.wait_for_selector(f"#{ids.DETAIL_MENTIONS} li", timeout=30_000)
    detail = page.inner_text(f"#{ids.DETAIL}")
    assert "released a video on Sunday" in detail
    assert "Breitbart" in detail and "The Independent" in detail
    assert page.locator(f"#{ids.DETAIL} mark.trigger").count() >= 2
    _shot(page, "02-event-detail")


def test_a_status_filter_changes_the_chart_and_the_table(page):
    before_rows = _event_count(page)
    before_traces = page.evaluate("document.querySelector('#timeline-chart .js-plotly-plot').data.length")
    page.locator(f"#{ids.STATUS_FILTER}").get_by_label("threatened", exact=True).check()
    after_rows = _wait_for_new_count(page, before_rows)
    assert 0 < after_rows < before_rows
    _wait_for_grid(page, "threatened", after_rows)
    statuses = page.locator(".ag-center-cols-container .ag-row [col-id='status']").all_inner_texts()
    assert statuses and set(statuses) == {"threatened"}
    traces = page.evaluate("document.querySelector('#timeline-chart .js-plotly-plot').data.length")
    assert traces < before_traces
    _shot(page, "03-filtered")


def test_csv_download_matches_the_table(page, tmp_path):
    before = _event_count(page)
    page.fill(f"#{ids.SEARCH}", "said")
    page.keyboard.press("Enter")
    count = _wait_for_new_count(page, before)
    _wait_for_grid(page, "said", count)
    with page.expect_download() as download_info:
        page.click(f"#{ids.EXPORT_CSV}")
    path = tmp_path / "view.csv"
    download_info.value.save_as(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count
    shown = page.locator(".ag-center-cols-container .ag-row [col-id='description']").all_inner_texts()
    assert shown and set(shown) <= {r["description"] for r in rows}
    assert all("said" in (r["description"] + r["actors"] + r["locations"] + r["date_text"]).lower() for r in rows)


def test_an_upload_adds_an_event_refuses_bad_files_and_keeps_text_as_text(page, tmp_path):
    article = tmp_path / "greece.txt"
    article.write_text("Greece closed its consulate in Benghazi on Monday, the <b>ministry</b> said.\n"
                       "<script>window.__pwned = 1</script>\n", "utf-8")
    large = tmp_path / "large.txt"  # 1.5 MB: under the limit, so it is added (it once failed with HTTP 500)
    large.write_text(("y" * 999 + "\n") * 1500 + "Portugal closed its consulate in Misrata on Tuesday.\n", "utf-8")
    too_big = tmp_path / "huge.txt"
    too_big.write_text("Words. " * (6 * 1024 * 1024 // 7 + 10), "utf-8")  # over the 5 MB limit
    wrong_type = tmp_path / "tool.exe"
    wrong_type.write_bytes(b"MZ" + bytes(100))
    page.click("summary")
    page.set_input_files(f"#{ids.UPLOAD} input[type=file]", [str(article), str(large), str(too_big), str(wrong_type)])
    page.wait_for_function(f"document.getElementById('{ids.UPLOAD_CHOSEN}').innerText.includes('greece.txt')")
    chosen = page.inner_text(f"#{ids.UPLOAD_CHOSEN}")
    assert "huge.txt: larger than 5 MB" in chosen and "tool.exe: only" in chosen
    page.fill(f"#{ids.UPLOAD_DATE}", "2015-02-20")
    page.keyboard.press("Enter")
    page.click(f"#{ids.UPLOAD_BUTTON}")
    page.wait_for_function(
        f"document.getElementById('{ids.UPLOAD_MESSAGES}').innerText.includes('added 2 article')", timeout=240_000)
    messages = page.inner_text(f"#{ids.UPLOAD_MESSAGES}")
    assert "/tmp" not in messages and "timeline-uploads" not in messages  # no server paths
    # The view redraws with the new articles after the message: count from that view, not the one before.
    page.wait_for_function(f"document.getElementById('{ids.SUMMARY}').innerText.includes('from 6 articles')",
                           timeout=60_000)
    before = _event_count(page)
    page.fill(f"#{ids.SEARCH}", "consulate in Benghazi")
    page.keyboard.press("Enter")
    assert _wait_for_new_count(page, before) == 1
    _wait_for_grid(page, "benghazi", 1)
    page.locator(".ag-center-cols-container .ag-row").first.click()
    page.wait_for_selector(f"#{ids.DETAIL_MENTIONS} li", timeout=30_000)
    detail = page.inner_text(f"#{ids.DETAIL}")
    assert "2015-02-16" in detail
    assert "<b>ministry</b>" in detail
    assert page.evaluate("window.__pwned") is None
    _shot(page, "04-uploaded")


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    """Seed-like articles whose manifest carries markup and a javascript: link."""
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "a.txt").write_text("Italy closed its embassy in Tripoli on Sunday, officials said.\n", "utf-8")
    (corpus / "b.txt").write_text("Spain recalled its ambassador from Tripoli on Monday.\n", "utf-8")
    (corpus / "manifest.csv").write_text(
        "file,id,title,source,url,published\n"
        f"a.txt,\"{HOSTILE_ID.replace(chr(34), chr(34) * 2)}\",<b>Bold</b> title,<span style=\"color:red\">S</span>,"
        "javascript:alert(1),2015-02-17\n"
        "b.txt,plain,Plain,Wire,https://example.org/b,2015-02-17\n", "utf-8")
    return corpus


def test_markup_from_articles_is_never_live_in_any_lane_and_the_server_cleans_up(browser, hostile_corpus,
                                                                                  tmp_path):
    process, url = start_server([str(hostile_corpus)], tmp_path)
    try:
        page = open_page(browser, url)
        # The page opens with one row per event; every other lane choice, then back to that.
        for label in ("status", "actor", "location", "source", "one row per event"):
            _choose_lanes(page, label)
            lanes = label
            links = page.evaluate("Array.from(document.querySelectorAll('#timeline-chart a')).map(a => "
                                  "a.getAttribute('href') || a.getAttribute('xlink:href') || '')")
            assert not [h for h in links if "evil" in h or "javascript" in h], (lanes, links)
            assert not page.locator("#timeline-chart span[style*='color:red']").count()
            if label == "source":  # the hostile document id is drawn, as the text it is
                ticks = page.evaluate("Array.from(document.querySelectorAll('#timeline-chart .ytick text'))"
                                      ".map(t => t.textContent)")
                assert any(HOSTILE_ID in t for t in ticks), ticks
        row = page.locator(".ag-center-cols-container .ag-row").first
        row.click()
        page.wait_for_selector(f"#{ids.DETAIL_MENTIONS} li", timeout=30_000)
        hrefs = page.evaluate(f"Array.from(document.querySelectorAll('#{ids.DETAIL} a')).map(a => a.href)")
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        assert not page.violations, page.violations
        _shot(page, "05-hostile")
        page.close()
    finally:
        code = stop_server(process)
    assert code == 0
    assert not list(tmp_path.glob("timeline-uploads-*")), "uploads folder left behind at exit"


@pytest.fixture(scope="module")
def large_build(tmp_path_factory):
    """A written build of 6,000 one-day events over 3,000 days: too many to draw one by one."""
    from tests.test_dashboard_overview import _result
    from timeline.outputs import write_outputs

    out = tmp_path_factory.mktemp("large") / "build"
    write_outputs(_result(6000), out)
    return out


def _note_changes(page, action) -> str:
    before = page.inner_text(f"#{ids.GRID_NOTE}")
    action()
    page.wait_for_function(f"document.getElementById('{ids.GRID_NOTE}').innerText !== {before!r}", timeout=60_000)
    return page.inner_text(f"#{ids.GRID_NOTE}")


def test_a_large_build_opens_as_an_overview_and_zooming_in_reaches_the_events(browser, large_build, tmp_path):
    process, url = start_server([str(large_build)], tmp_path)
    relayout = "Plotly.relayout(document.querySelector('#timeline-chart .js-plotly-plot'), %s)"
    first_trace = "document.querySelector('#timeline-chart .js-plotly-plot').data[0].name"
    try:
        page = open_page(browser, url)
        page.wait_for_load_state("networkidle")  # the chart's own first callbacks have answered
        assert "of 6,000 that match" in page.inner_text(f"#{ids.GRID_NOTE}")
        assert page.evaluate(first_trace) == "events per day"
        # Zoomed to a stretch still too full (4,000 events): its own overview, so one can zoom on.
        note = _note_changes(page, lambda: page.evaluate(relayout % "{'xaxis.range': ['2010-01-01', '2015-06-23']}"))
        assert "of 4,000 that match" in note and page.evaluate(first_trace) == "events per day"
        note = _note_changes(page, lambda: page.evaluate(relayout % "{'xaxis.range': ['2011-01-01', '2011-12-31']}"))
        assert "of 730 that match" in note and page.evaluate(first_trace) != "events per day"
        # A double click (autorange) returns to the whole timeline.
        note = _note_changes(page, lambda: page.evaluate(relayout % "{'xaxis.autorange': true}"))
        assert "of 6,000 that match" in note
        assert not page.violations, page.violations
        _shot(page, "06-large-overview")
        page.close()
    finally:
        stop_server(process)
