"""Trust and safety: outputs atomic and checked, uploads never deserialise client data, markup stays text,
dates never come from the clock or drift past publication."""

import csv
import datetime as dt
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from timeline.build import build, build_from_items
from timeline.cli import app
from timeline.corpus import seeds_dir
from timeline.models import CorpusItem, Document
from timeline.outputs import OutputError, build_lock, load_build, write_outputs
from timeline.table import EVENT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '<a href="https://evil.example/">x</a>'
DAY = dt.date(2015, 2, 17)


@pytest.fixture(scope="module")
def seeds():
    return build([seeds_dir()])


@pytest.fixture
def written(seeds, tmp_path):
    out = tmp_path / "out"
    write_outputs(seeds, out)
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- output folders


def test_an_interrupted_write_leaves_the_previous_build_untouched(seeds, written, monkeypatch):
    import timeline.outputs as outputs

    before = _snapshot(written)

    def interrupted(_folder):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "_fsync_folder", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(seeds, written)
    assert _snapshot(written) == before
    assert not [p for p in written.parent.iterdir() if ".building-" in p.name or ".old-" in p.name]


def test_a_folder_that_is_not_a_build_is_never_replaced(seeds, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(OutputError, match="not a timeline output folder"):
        write_outputs(seeds, tmp_path)
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"


def test_a_second_build_into_a_locked_folder_refuses_with_a_message(written):
    with build_lock(written):
        result = CliRunner().invoke(app, ["build", str(seeds_dir()), "-o", str(written)])
    assert result.exit_code == 2 and "another build is writing" in result.output


@pytest.mark.parametrize("damage", ["edit events.csv", "old events.json", "drop build.json", "drop mentions.csv"])
def test_an_inconsistent_folder_is_refused_by_every_reader(written, damage, tmp_path):
    if damage == "edit events.csv":
        path = written / "events.csv"
        path.write_text(path.read_text("utf-8").replace("2015-02-15", "2016-02-15"), "utf-8")
    elif damage == "old events.json":
        path = written / "events.json"
        data = json.loads(path.read_text("utf-8"))
        data["events"] = data["events"][1:]
        path.write_text(json.dumps(data), "utf-8")
    else:
        (written / damage.split()[1]).unlink()
    with pytest.raises(OutputError):
        load_build(written)
    result = CliRunner().invoke(app, ["brief", str(written), "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 2 and ("inconsistent" in result.output or "build.json" in result.output)


def test_a_folder_written_in_an_older_format_is_refused_with_the_way_out(written, tmp_path):
    """Format 1 had no time notes: read back, its events would silently lose them."""
    record = json.loads((written / "build.json").read_text("utf-8"))
    (written / "build.json").write_text(json.dumps({**record, "format": 1}), "utf-8")
    with pytest.raises(OutputError, match="format 1.*build the folder again"):
        load_build(written)


def test_the_build_record_lists_inputs_options_and_files(written):
    record = json.loads((written / "build.json").read_text("utf-8"))
    assert record["tool"] == "timeline" and record["version"]
    assert {i["status"] for i in record["inputs"]} <= {"ok", "failed", "manifest"}
    assert all(len(i["sha256"]) == 64 for i in record["inputs"] if i["status"] == "ok")
    with (written / "events.csv").open(encoding="utf-8") as handle:
        assert record["files"]["events.csv"]["rows"] == sum(1 for _ in csv.DictReader(handle))


def _corpus_of_undated_articles(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = (seeds_dir() / "002_a2e2e5e539fd6ca0.txt").read_text("utf-8")
    for n in range(count):
        (folder / f"a{n:03d}.txt").write_text(f"Article {n}.\n\n{text}", "utf-8")
    return folder


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_a_build_and_writes_nothing(seeds, tmp_path, jobs):
    corpus = _corpus_of_undated_articles(tmp_path / "corpus", 300)
    out = tmp_path / "out"
    write_outputs(seeds, out)
    before = _snapshot(out)
    process = subprocess.Popen([sys.executable, "-m", "timeline.cli", "build", str(corpus), "-o", str(out),
                                "--jobs", str(jobs)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    wait_until_working(process, jobs)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=120)
    assert code == 130, "the build was not interrupted (it may have finished first)"
    assert _snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def wait_until_working(process: subprocess.Popen, jobs: int) -> None:
    """Return once documents are being parsed: by the workers, or (one process) past the first batch."""
    import psutil

    from timeline.build import PIPE_BATCH

    if jobs == 1:  # each undated article is reported as it is read; the next batch is read after one is done
        seen = 0
        for line in process.stderr:
            seen += "no publication date" in line
            if seen > PIPE_BATCH:
                return
        pytest.fail("the build ended before it could be interrupted")
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        workers = [c for c in parent.children() if c.is_running()]
        if len(workers) >= jobs and sum(c.cpu_times().user for c in workers) > 4:
            return
        time.sleep(0.2)  # polling the workers' state
    pytest.fail("the workers never got to work")


def test_outputs_are_the_same_whatever_the_hash_seed_and_the_number_of_workers(tmp_path):
    outputs = []
    for seed, jobs in (("1", "1"), ("2", "1"), ("3", "2")):
        out = tmp_path / f"out-{seed}-{jobs}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "timeline.cli", "build", str(seeds_dir()), "-o", str(out),
                        "--jobs", jobs], cwd=ROOT, env=env, check=True, capture_output=True)
        outputs.append(_snapshot(out))
    assert outputs[0] == outputs[1] == outputs[2]


# ---------------------------------------------------------------- dates


def test_an_undated_report_never_takes_a_date_after_its_publication():
    old = Document("old", "Acme ordered 40 new aircraft from Boeing.", dt.date(2005, 3, 1), "manifest")
    new = Document("new", "Acme ordered 40 new aircraft from Boeing on March 3, 2008.", dt.date(2008, 3, 5),
                   "manifest")
    result = build_from_items([CorpusItem(d.doc_id, d) for d in (old, new)])
    for event in result.events:
        for mention in event.mentions:
            if mention.published and event.interval_start and event.status == "happened":
                assert event.interval_start <= mention.published, (mention.doc_id, event.value)


def test_adding_articles_keeps_every_date_the_build_had(written):
    from dashboard.store import TimelineStore

    loaded = load_build(written)
    store = TimelineStore(loaded)
    dated_before = {e.mentions[0].mention_id: (e.value, e.basis) for e in store.events.values() if e.value}
    assert any(basis == "relative" for _, basis in dated_before.values())
    added = build_from_items([CorpusItem("greece", Document(
        "greece", "Greece closed its consulate in Benghazi on Monday.", dt.date(2015, 2, 20), "manifest"))])
    store.add(added)
    after = {}
    for event in store.events.values():
        for mention in event.mentions:
            after[mention.mention_id] = (event.value, event.basis)
    for mention_id, dated in dated_before.items():
        assert after[mention_id] == dated, mention_id


def test_no_date_comes_from_the_machine_clock():
    from timeline import tag

    found = {e.text: e.value for e in tag("Prices doubled in the '90s and again in the nineties.", dct=None)}
    assert all(v.startswith("XX") for v in found.values()), found


# ---------------------------------------------------------------- uploads


def exploit_pickle(marker: Path) -> bytes:
    """A protocol-0 pickle that, if ever loaded, creates `marker` (the exploit the old upload path ran)."""

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    return pickle.dumps(Exploit(), protocol=0)


def test_an_upload_job_id_is_never_a_path_and_nothing_a_client_names_is_unpickled(tmp_path, seeds):
    from dashboard.store import TimelineStore
    from dashboard.uploads import UploadQueue

    queue = UploadQueue(TimelineStore(seeds))
    marker = tmp_path / "pwned"
    payload = exploit_pickle(marker)
    planted = queue.root / "planted.pickle"
    planted.write_bytes(payload)
    (tmp_path / "x.pickle").write_bytes(payload)
    try:
        for token in ["planted.pickle", str(planted), "../" * 8 + str(planted), str(tmp_path / "x.pickle"),
                      "/etc/passwd", "0" * 31 + "g", {"path": str(planted)}, None, "f" * 32]:
            assert queue.status(token) is None
        assert not marker.exists()
    finally:
        queue.close()
    assert not queue.root.exists()


def test_the_upload_callback_refuses_a_forged_token_over_http(seeds, tmp_path):
    from dashboard.app import build_app

    marker = tmp_path / "pwned"
    dash_app = build_app(seeds)
    planted = dash_app.upload_queue.root / "evil.txt"
    planted.write_bytes(exploit_pickle(marker))
    client = dash_app.server.test_client()
    client.get("/")
    callback = next(k for k in dash_app.callback_map if "upload-progress.value" in k)
    body = {"output": callback,
            "outputs": [{"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
                        for part in callback.strip(".").split("...")],
            "inputs": [{"id": "upload-poll", "property": "n_intervals", "value": 1}],
            "state": [{"id": "upload-job", "property": "data", "value": str(planted)}], "changedPropIds": []}
    response = client.post("/_dash-update-component", json=body)
    try:
        assert response.status_code == 200
        assert "unknown upload" in response.get_data(as_text=True)
        assert not marker.exists()
    finally:
        dash_app.upload_queue.close()


def test_a_finished_upload_leaves_no_files_behind(seeds):
    from dashboard.store import TimelineStore
    from dashboard.uploads import UploadQueue

    store = TimelineStore(seeds)
    queue = UploadQueue(store)
    try:
        job = queue.submit([("greece.txt", b"Greece closed its consulate in Benghazi on Monday.\n"),
                            ("huge.txt", b"x")], DAY, ["tool.exe: only .txt, .html, .htm files can be added"])
        deadline = time.monotonic() + 240
        while not queue.status(job)["finished"]:
            assert time.monotonic() < deadline, "the upload did not finish"
            time.sleep(0.2)  # polling a server-side state, as the page does
        status = queue.status(job)
        assert status["messages"][0] == "added 2 article(s)" or status["messages"][0].startswith("added")
        assert "tool.exe" in " ".join(status["messages"])
        assert not [p for p in queue.root.iterdir()], "a job folder was left behind"
        assert any("Benghazi" in str(d) for d in store.table["description"])
    finally:
        queue.close()
    assert not queue.root.exists()


# ---------------------------------------------------------------- markup stays text


def _hostile_table() -> pd.DataFrame:
    base = {c: "" for c in EVENT_COLUMNS} | {"n_sources": 1, "confidence": 0.9, "reported_date": DAY}
    markup = {"description": f"<b>bold</b> {HOSTILE}", "actors": f"<span style='color:red'>A</span>; {HOSTILE}",
              "locations": HOSTILE, "sources": HOSTILE, "date_text": "<br>Sunday", "affected": HOSTILE}
    return pd.DataFrame([
        base | markup | {"event_id": "E1", "value": "2015-02-15", "granularity": "day", "status": "happened",
                         "interval_start": dt.date(2015, 2, 15), "interval_end": dt.date(2015, 2, 15)},
        base | markup | {"event_id": "E2", "value": "2015-W07", "granularity": "week", "status": "planned",
                         "interval_start": dt.date(2015, 2, 9), "interval_end": dt.date(2015, 2, 15)},
        base | markup | {"event_id": "E3", "status": "threatened", "interval_start": None, "interval_end": None},
    ])


def _drawn_strings(figure) -> list[str]:
    """Every string plotly would draw: trace names, hover, categories, tick labels, annotations, title."""
    strings = [figure.layout.title.text or ""]
    strings += [a.text or "" for a in figure.layout.annotations]
    for trace in figure.data:
        strings.append(trace.name or "")
        for attribute in ("hovertext", "y", "text"):
            value = getattr(trace, attribute, None)
            if value is not None and not isinstance(value, str):
                strings += [str(v) for v in value]
    for axis in ("yaxis", "yaxis2"):
        strings += [str(v) for v in (figure.layout[axis].categoryarray or [])]
    return strings


@pytest.mark.parametrize("lanes", ["event", "event-dated", "status", "actor", "location", "source"])
def test_every_string_plotly_draws_is_escaped_in_every_lane_choice(lanes):
    from timeline.figures import timeline_figure

    figure = timeline_figure(_hostile_table(), lanes=lanes, title=f"Timeline {HOSTILE}", selected="E1")
    for text in _drawn_strings(figure):
        for tag in ("<a", "<span", "<b>bold", "<br>Sunday"):
            assert tag not in text, (lanes, text)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile-corpus")
    (corpus / "a.txt").write_text("Italy closed its embassy in Tripoli on Sunday, officials said.\n", "utf-8")
    (corpus / "manifest.csv").write_text(
        'file,id,title,source,url,published\n'
        f'a.txt,"{HOSTILE.replace(chr(34), chr(34) * 2)}",<b>Title</b>,<span>Src</span>,javascript:alert(1),2015-02-17\n',
        "utf-8")
    out = tmp_path_factory.mktemp("hostile-out") / "out"
    write_outputs(build([corpus]), out)
    return out


@pytest.mark.skipif(not __import__("shutil").which("/usr/bin/chromium"), reason="no Chromium for kaleido")
def test_chart_and_brief_keep_markup_as_text_and_links_http_only(hostile_build, tmp_path):
    from xml.etree import ElementTree

    result = CliRunner().invoke(app, ["chart", str(hostile_build), "-o", str(tmp_path / "c"), "--format", "svg",
                                      "--format", "html", "--title", f"T {HOSTILE}"])
    assert result.exit_code == 0, result.output
    svg = ElementTree.parse(tmp_path / "c.svg")
    assert not [e for e in svg.iter() if e.tag.endswith("}a") or e.tag == "a"]
    snippet = (tmp_path / "c.html").read_text("utf-8")
    for escaped, plain in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u0026", "&"), ('\\"', '"')):
        snippet = snippet.replace(escaped, plain)
    assert HOSTILE not in snippet and "&lt;a href=" in snippet
    result = CliRunner().invoke(app, ["brief", str(hostile_build), "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "b.html").read_text("utf-8")
    assert "javascript:" not in page and HOSTILE not in page and "<b>Title</b>" not in page
    assert "&lt;span&gt;Src&lt;/span&gt;" in page  # the source, shown as the text it is
    result = CliRunner().invoke(app, ["brief", str(hostile_build), "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / "b.pdf").read_bytes()
    assert b"javascript" not in pdf.lower()
    for uri in re.findall(rb"/URI\s*\((.*?)\)", pdf):
        assert uri.startswith((b"http://", b"https://")) and b"evil" not in uri, uri


def test_names_that_differ_only_in_case_resolve_the_same_whatever_the_hash_seed():
    script = ("from timeline.entities import EntityResolver\n"
              "r = EntityResolver()\n"
              "r.learn(['Chiang Kai-Shek', 'Chiang Kai-shek', 'CHARLES RICKETTS', 'Charles Ricketts'])\n"
              "print(r.canonical('Chiang'), '|', r.canonical('Ricketts'))\n")
    answers = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=str(seed))).stdout for seed in range(6)}
    assert len(answers) == 1, answers
