"""Adding articles from the page: checked uploads, built by a bounded pool of workers, merged on the server.

Nothing a client sends is ever deserialised or used as a path: a job is known by an id the
server made (checked against its registry), files are saved under names the server chose, and
results come back from the server's own worker processes.  The page checks sizes and types
before sending, so a refused file is named in the page and never sent; the server checks again.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import datetime as dt
import re
import shutil
import tempfile
import threading
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dash import Input, Output, State, dcc, html, no_update

from dashboard import ids
from timeline.corpus import first_free

UPLOAD_SUFFIXES = (".txt", ".html", ".htm")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_BATCH_FILES = 20
MAX_BATCH_BYTES = 25 * 1024 * 1024
# The largest request an upload batch makes (base64 is 4/3 of the bytes), with room for the rest.
MAX_REQUEST_BYTES = MAX_BATCH_BYTES * 4 // 3 + 1024 * 1024
DEFAULT_WORKERS = 1
POLL_MILLISECONDS = 500
MAX_KEPT_JOBS = 1000  # finished jobs remembered for their pages; the oldest are forgotten first
JOB_ID = re.compile(r"[0-9a-f]{32}")
SAFE_STEM = re.compile(r"[^\w.-]+")
LABEL_STYLE = {"fontSize": "0.8rem", "color": "#444"}


# ---------------------------------------------------------------- the queue


@dataclass
class UploadJob:
    """One batch of uploaded files: its folder, the work for each file, and what is known of it."""

    job_id: str
    folder: Path
    names: dict[str, str]  # saved file name -> the name the user gave it
    messages: list[str] = field(default_factory=list)
    futures: list[Future] = field(default_factory=list)
    total: int = 0
    closing: bool = False  # its last file is done: being merged
    finished: bool = False  # merged into the timeline (or failed): messages ready
    added: int = 0


class UploadQueue:
    """Uploaded files built by at most `workers` processes (each keeps spaCy loaded), in order of arrival."""

    def __init__(self, store, workers: int = DEFAULT_WORKERS):
        self.store = store
        self.workers = max(1, workers)
        self.root = Path(tempfile.mkdtemp(prefix="timeline-uploads-"))
        self._jobs: dict[str, UploadJob] = {}
        self._lock = threading.RLock()
        self._pool: ProcessPoolExecutor | None = None
        atexit.register(self.close)

    def submit(self, files: list[tuple[str, bytes]], published: dt.date | None, refused: list[str]) -> str:
        """Queue these files (name, bytes) for building; returns the job's id."""
        job = UploadJob(uuid.uuid4().hex, Path(tempfile.mkdtemp(dir=self.root)), {}, messages=list(refused))
        taken = set(self.store.documents)
        for name, data in files:
            saved = _unique_name(name, taken)
            (job.folder / saved).write_bytes(data)
            job.names[saved] = name
        with self._lock:
            self._jobs[job.job_id] = job
            job.futures = [self._executor().submit(build_file, str(job.folder / saved), published)
                           for saved in job.names]
            job.total = len(job.futures)
        for future in job.futures:  # only once every file is queued may the last one finish the job
            future.add_done_callback(lambda _f, j=job: self._collect(j))
        if not job.futures:
            self._finish(job)
        return job.job_id

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing

            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_worker_start)
        return self._pool

    def _collect(self, job: UploadJob) -> None:
        with self._lock:
            if job.closing or not all(f.done() for f in job.futures):
                return
            job.closing = True
        self._finish(job)

    def _finish(self, job: UploadJob) -> None:
        """Merge a finished job's documents into the timeline; its files are removed."""
        from timeline.models import BuildResult

        added = BuildResult()
        for future, saved in zip(job.futures, job.names):
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died fails its file, not the server
                job.messages.append(f"{job.names[saved]}: could not be built ({type(exc).__name__})")
                continue
            added.documents.extend(result.documents)
            added.events.extend(result.events)
        try:
            failures = self.store.add(added) if added.documents else []
        except Exception as exc:  # noqa: BLE001 - the timeline shown is kept; the job says why it failed
            failures, added = [f"the articles could not be merged ({type(exc).__name__})"], BuildResult()
        job.added = len(added.built)
        summary = [f"added {job.added} article(s)"] if job.names else []
        job.messages = summary + job.messages + [self._public(job, f) for f in failures]
        job.futures = []  # the results are in the timeline now
        shutil.rmtree(job.folder, ignore_errors=True)
        job.finished = True
        self._forget_old_jobs()

    def _forget_old_jobs(self) -> None:
        with self._lock:
            finished = [j for j in self._jobs.values() if j.finished]
            for job in finished[:max(0, len(self._jobs) - MAX_KEPT_JOBS)]:
                del self._jobs[job.job_id]

    def _public(self, job: UploadJob, message: str) -> str:
        """A message as the user may see it: their file names, never the server's paths."""
        for saved, name in job.names.items():
            message = message.replace(str(job.folder / saved), name)
        return message.replace(str(job.folder), "upload")

    def status(self, job_id) -> dict | None:
        """What is known of a job, or None when the id is not one this server gave out."""
        if not isinstance(job_id, str) or not JOB_ID.fullmatch(job_id):
            return None
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return None
            earlier = list(self._jobs.values())[:list(self._jobs).index(job_id)]
            ahead = sum(1 for other in earlier if not other.finished)
        done = job.total if job.finished else sum(1 for f in list(job.futures) if f.done())
        return {"finished": job.finished, "ahead": ahead, "done": done, "total": job.total,
                "messages": list(job.messages) if job.finished else []}

    def close(self) -> None:
        """Stop the workers and remove every uploaded file (at exit)."""
        if self._pool is not None:
            processes = list(getattr(self._pool, "_processes", {}).values())
            self._pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.kill()
            self._pool = None
        shutil.rmtree(self.root, ignore_errors=True)


def _unique_name(name: str, taken: set[str]) -> str:
    """A safe file name for an upload whose stem is a document id not yet in the timeline."""
    path = Path(Path(name).name)
    stem, suffix = SAFE_STEM.sub("_", path.stem).strip("._") or "article", path.suffix.lower()
    candidate = first_free(stem, taken.__contains__)
    taken.add(candidate)
    return candidate + suffix


def _worker_start() -> None:
    """Each worker loads spaCy once; Ctrl-C is the server's to handle."""
    import signal

    from timeline.nlp import load_nlp

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_nlp("full")


def build_file(path: str, published: dt.date | None):
    """Build one uploaded file (in a worker process)."""
    from timeline.build import build

    return build([Path(path)], published)


def checked_files(accepted, published: str | None) -> tuple[list[tuple[str, bytes]], list[str], dt.date | None]:
    """(files, refusals, date) from what the page sent: every check made again here, sizes before decoding."""
    files, refused = [], []
    accepted = accepted if isinstance(accepted, dict) else {}
    names, contents = accepted.get("names") or [], accepted.get("contents") or []
    total = 0
    for name, content in list(zip(names, contents))[:MAX_BATCH_FILES]:
        name = Path(str(name)).name
        problem = upload_problem(name, content)
        if problem is None and total + _decoded_size(content) > MAX_BATCH_BYTES:
            problem = f"{name}: the files added at once may total {MAX_BATCH_BYTES // (1024 * 1024)} MB; add it next"
        if problem:
            refused.append(problem)
            continue
        try:
            data = base64.b64decode(content.split(",", 1)[1], validate=True)
        except (binascii.Error, ValueError):
            refused.append(f"{name}: the upload arrived damaged; try again")
            continue
        total += len(data)
        files.append((name, data))
    if len(names) > MAX_BATCH_FILES:
        refused.append(f"only {MAX_BATCH_FILES} files can be added at once; add the others next")
    try:
        date = dt.date.fromisoformat(str(published)[:10]) if published else None
    except ValueError:
        date, refused = None, refused + [f"{published!r} is not a date; none was used"]
    return files, refused, date


def upload_problem(name: str, content) -> str | None:
    """Why an uploaded file is refused (type, size), or None; the size is read before any decoding."""
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        return f"{name}: only {', '.join(UPLOAD_SUFFIXES)} files can be added"
    if not isinstance(content, str) or "," not in content:
        return f"{name}: empty upload"
    if _decoded_size(content) > MAX_UPLOAD_BYTES:
        return f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; not added"
    return None


def _decoded_size(content: str) -> int:
    return len(content.split(",", 1)[1]) * 3 // 4 if "," in content else 0


# ---------------------------------------------------------------- layout and callbacks

# Runs in the browser: refused files are named at once and never sent to the server.
CHECK_IN_BROWSER = """
function(contents, names) {
    const accepted = {names: [], contents: []}, notes = [];
    let total = 0;
    (contents || []).forEach(function(content, i) {
        const name = (names || [])[i] || 'file';
        const size = Math.floor((content.length - content.indexOf(',') - 1) * 3 / 4);
        const ok = %(suffixes)s.some(function(s) { return name.toLowerCase().endsWith(s); });
        if (!ok) { notes.push(name + ': only %(suffix_list)s files can be added'); return; }
        if (size > %(max_file)d) { notes.push(name + ': larger than %(max_file_mb)d MB; not added'); return; }
        if (accepted.names.length >= %(max_files)d || total + size > %(max_batch)d) {
            notes.push(name + ': too much at once (%(max_files)d files, %(max_batch_mb)d MB); add it next'); return;
        }
        total += size;
        accepted.names.push(name); accepted.contents.push(content);
    });
    const chosen = accepted.names.length ? 'ready to add: ' + accepted.names.join(', ') : 'no files chosen';
    return [accepted, [chosen].concat(notes).join(' · ')];
}
""" % {"suffixes": list(UPLOAD_SUFFIXES), "suffix_list": ", ".join(UPLOAD_SUFFIXES), "max_file": MAX_UPLOAD_BYTES,
       "max_file_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "max_files": MAX_BATCH_FILES, "max_batch": MAX_BATCH_BYTES,
       "max_batch_mb": MAX_BATCH_BYTES // (1024 * 1024)}


def layout() -> html.Details:
    return html.Details([
        html.Summary("Add articles"),
        html.Div([
            dcc.Upload(id=ids.UPLOAD, multiple=True, max_size=-1,
                       children=html.Div(["Drop .txt or .html files here, or ", html.A("choose files")]),
                       style={"border": "1px dashed #888", "padding": "1rem", "textAlign": "center"}),
            html.Div(id=ids.UPLOAD_CHOSEN, style=LABEL_STYLE),
            html.Div([html.Span("publication date ", style=LABEL_STYLE),
                      dcc.DatePickerSingle(id=ids.UPLOAD_DATE, display_format="YYYY-MM-DD")]),
            html.Button("Add to the timeline", id=ids.UPLOAD_BUTTON),
            html.Progress(id=ids.UPLOAD_PROGRESS, value="0", max="1", style={"width": "100%"}),
            html.Div(id=ids.UPLOAD_STATUS, style=LABEL_STYLE),
            html.Ul(id=ids.UPLOAD_MESSAGES),
            dcc.Store(id=ids.UPLOAD_ACCEPTED), dcc.Store(id=ids.UPLOAD_JOB),
            dcc.Interval(id=ids.UPLOAD_POLL, interval=POLL_MILLISECONDS, disabled=True),
        ], style={"display": "grid", "gap": "0.5rem", "maxWidth": "40rem"}),
    ])


def register(app, store, queue: UploadQueue) -> None:
    app.clientside_callback(CHECK_IN_BROWSER, Output(ids.UPLOAD_ACCEPTED, "data"),
                            Output(ids.UPLOAD_CHOSEN, "children"), Input(ids.UPLOAD, "contents"),
                            State(ids.UPLOAD, "filename"))

    @app.callback(
        Output(ids.UPLOAD_JOB, "data"), Output(ids.UPLOAD_POLL, "disabled"), Output(ids.UPLOAD, "contents"),
        Input(ids.UPLOAD_BUTTON, "n_clicks"), State(ids.UPLOAD_ACCEPTED, "data"), State(ids.UPLOAD_DATE, "date"),
        prevent_initial_call=True,
    )
    def start_upload(_clicks, accepted, published):
        files, refused, date = checked_files(accepted, published)
        if not files and not refused:
            refused = ["no file to add: choose .txt or .html files first"]
        if files and date is None:
            refused.append("no publication date given: dates were taken from the files where possible")
        return queue.submit(files, date, refused), False, None

    @app.callback(
        Output(ids.UPLOAD_PROGRESS, "value"), Output(ids.UPLOAD_PROGRESS, "max"), Output(ids.UPLOAD_STATUS, "children"),
        Output(ids.UPLOAD_MESSAGES, "children"), Output(ids.UPLOAD_POLL, "disabled", allow_duplicate=True),
        Output(ids.STORE_VERSION, "data"), Output(ids.ACTOR_FILTER, "options"),
        Output(ids.LOCATION_FILTER, "options"), Output(ids.SOURCE_FILTER, "options"),
        Input(ids.UPLOAD_POLL, "n_intervals"), State(ids.UPLOAD_JOB, "data"), prevent_initial_call=True,
    )
    def follow_upload(_ticks, job_id):
        return upload_progress(store, queue.status(job_id))


def upload_progress(store, status: dict | None) -> tuple:
    """What the page shows of a job: progress, its place in the queue, and when done, the messages."""
    if status is None:
        return "0", "1", "", [html.Li("unknown upload")], True, no_update, no_update, no_update, no_update
    total = max(status["total"], 1)
    if not status["finished"]:
        where = (f"waiting: {status['ahead']} upload(s) ahead" if status["ahead"]
                 else f"building {status['done']} of {status['total']} file(s)")
        return str(status["done"]), str(total), where, no_update, False, no_update, no_update, no_update, no_update
    return (str(total), str(total), "done", [html.Li(m) for m in status["messages"]], True, store.version,
            store.options("actors"), store.options("locations"), store.options("sources"))
