"""The dashboard driven in headless Chromium (Debian's, through Playwright; no browser download).

Screenshots go to test-artifacts/.  Without /usr/bin/chromium these tests skip; CI installs it.
"""

import csv
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")

MARKER_POSITION = """(needle) => {
  const gd = document.querySelector('#timeline-chart .js-plotly-plot');
  const layout = gd._fullLayout;
  for (const trace of gd.data) {
    if (trace.type !== 'scattergl' || trace.yaxis !== 'y') continue;
    const index = (trace.hovertext || []).findIndex(t => t.includes(needle));
    if (index < 0) continue;
    const x = layout.xaxis.l2p(layout.xaxis.d2l(trace.x[index])) + layout.xaxis._offset;
    const y = layout.yaxis.l2p(layout.yaxis.d2l(trace.y[index])) + layout.yaxis._offset;
    const box = gd.getBoundingClientRect();
    return [box.left + x, box.top + y];
  }
  return null;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = dict(os.environ, BROWSER_PATH=CHROMIUM)
    process = subprocess.Popen([sys.executable, "-c", f"from dashboard.app import run; run(port={port})"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail("the dashboard exited at start-up")
            time.sleep(0.5)
    else:
        process.terminate()
        pytest.fail("the dashboard did not start in 180 s")
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page.goto(server)
    page.wait_for_selector(".ag-row", timeout=90_000)
    page.wait_for_function("document.querySelector('#timeline-chart .js-plotly-plot') && "
                           "document.querySelector('#timeline-chart .js-plotly-plot').data.length > 0")
    yield page
    page.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _event_count(page) -> int:
    page.wait_for_function("/^\\d+ events/.test(document.querySelector('#grid-note').innerText)")
    return int(page.inner_text("#grid-note").split()[0])


def test_page_loads_with_the_seed_events(page):
    assert page.locator(".ag-row").count() > 5
    assert "Islamic State released a video" in page.inner_text("#timeline-chart")
    assert _event_count(page) > 20
    _shot(page, "01-loaded")


def test_clicking_an_event_shows_its_sentences(page):
    position = page.evaluate(MARKER_POSITION, "released a video")
    assert position, "the video release is not on the chart"
    page.mouse.click(*position)
    page.wait_for_selector("#detail-mentions li", timeout=15_000)
    detail = page.inner_text("#detail")
    assert "released a video on Sunday" in detail
    assert "Breitbart" in detail and "The Independent" in detail
    assert page.locator("#detail mark.trigger").count() >= 2
    _shot(page, "02-event-detail")


def test_a_filter_changes_the_chart_and_the_table(page):
    before_rows, before_traces = _event_count(page), page.evaluate(
        "document.querySelector('#timeline-chart .js-plotly-plot').data.length")
    page.click("#status-filter")
    page.keyboard.type("threatened")
    page.keyboard.press("Enter")
    page.wait_for_function(f"!document.querySelector('#grid-note').innerText.startsWith('{before_rows} ')")
    after_rows = _event_count(page)
    assert 0 < after_rows < before_rows
    statuses = page.locator(".ag-row [col-id='status']").all_inner_texts()
    assert statuses and set(statuses) == {"threatened"}
    traces = page.evaluate("document.querySelector('#timeline-chart .js-plotly-plot').data.length")
    assert traces < before_traces
    _shot(page, "03-filtered")


def test_csv_download_matches_the_table(page, tmp_path):
    page.fill("#search", "said")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    count = _event_count(page)
    with page.expect_download() as download_info:
        page.click("#export-csv")
    path = tmp_path / "view.csv"
    download_info.value.save_as(path)
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == count
    shown = page.locator(".ag-center-cols-container .ag-row [col-id='description']").all_inner_texts()
    assert shown and set(shown) <= {r["description"] for r in rows}
    assert all("said" in (r["description"] + r["actors"] + r["locations"] + r["date_text"]).lower() for r in rows)


def test_an_upload_adds_an_event_and_its_text_stays_text(page, tmp_path):
    article = tmp_path / "greece.txt"
    article.write_text("Greece closed its consulate in Benghazi on Monday, the <b>ministry</b> said.\n"
                       "<script>window.__pwned = 1</script>\n", "utf-8")
    page.click("summary")
    page.set_input_files("#upload input[type=file]", str(article))
    page.fill("#upload-date", "2015-02-20")
    page.keyboard.press("Enter")
    page.click("#upload-button")
    page.wait_for_function("document.querySelector('#upload-messages').innerText.includes('added 1 article')",
                           timeout=120_000)
    page.fill("#search", "consulate in Benghazi")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#grid-note').innerText.startsWith('1 events')", timeout=30_000)
    page.locator(".ag-center-cols-container .ag-row").first.click()
    page.wait_for_selector("#detail-mentions li", timeout=15_000)
    detail = page.inner_text("#detail")
    assert "2015-02-16" in detail
    assert "<b>ministry</b>" in detail
    assert page.evaluate("window.__pwned") is None
    _shot(page, "04-uploaded")
