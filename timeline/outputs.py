"""Output folders: writing a build atomically under a lock with its build record, and reading it back.

A build is written into a hidden folder beside OUT and swapped into place only when complete,
so an interrupted build leaves the previous OUT as it was.  `build.json` (the build record:
tool version, options, inputs with content hashes, every file's rows and hash) is written last
and checked by every reader, so a folder whose files do not belong together is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout

from timeline.export import csv_text
from timeline.models import (
    BuildResult, CorpusItem, DateBasis, Document, Event, EventMention, Status, TimeExpression, TimeNote,
)
from timeline.table import EVENT_COLUMNS, join_cell, json_rows, result_table, split_cell

RECORD_NAME = "build.json"
RECORD_FORMAT = 2  # 2: events and mentions carry a time note
MENTION_COLUMNS = [
    "event_id", "mention_id", "doc_id", "sentence", "trigger", "trigger_start", "trigger_end",
    "timex_text", "timex_value", "timex_start", "timex_end", "date_basis", "actors", "affected",
    "locations", "status", "sentence_start", "lemma", "kind", "timex_type", "timex_granularity",
    "timex_interval_start", "timex_interval_end", "published", "description", "key_terms",
    "relative_to", "relative_days", "relative_report_date", "attributed_to", "told_with", "sentence_index", "recent_past",
    "time_note", "time_note_start", "time_note_end", "time_note_value",
]
DOCUMENT_COLUMNS = ["input", "doc_id", "status", "problem", "title", "source", "url", "published",
                    "published_from", "encoding", "warnings"]
OUTPUT_FILES = ("events.csv", "mentions.csv", "documents.csv", "events.json", "timelinejs.json",
                "events.parquet", "mentions.parquet", "documents.parquet")


class OutputError(RuntimeError):
    """An output folder that cannot be written or read, with the reason."""


# ---------------------------------------------------------------- rows


def mention_rows(events: list[Event]) -> list[dict]:
    """One row per mention, with the event it belongs to and what reading it back needs."""
    return [_mention_row(m, event) for event in events for m in event.mentions]


def _mention_row(m: EventMention, event: Event) -> dict:
    timex, note = m.timex, m.time_note
    relative = m.relative_to or ("", "", "")
    return {
        "event_id": event.event_id, "mention_id": m.mention_id, "doc_id": m.doc_id, "sentence": m.sentence,
        "trigger": m.trigger, "trigger_start": m.trigger_start, "trigger_end": m.trigger_end,
        "timex_text": timex.text if timex else "", "timex_value": timex.value if timex else "",
        "timex_start": timex.start if timex else "", "timex_end": timex.end if timex else "",
        "date_basis": str(_mention_basis(m, event)), "actors": join_cell(m.actors),
        "affected": join_cell(m.affected), "locations": join_cell(m.locations), "status": str(m.status),
        "sentence_start": m.sentence_start, "lemma": m.lemma, "kind": m.kind,
        "timex_type": timex.type if timex else "", "timex_granularity": (timex.granularity or "") if timex else "",
        "timex_interval_start": _iso(timex.interval_start) if timex else "",
        "timex_interval_end": _iso(timex.interval_end) if timex else "",
        "published": _iso(m.published), "description": m.description, "key_terms": join_cell(sorted(m.key_terms)),
        "relative_to": relative[0], "relative_days": relative[1],
        "relative_report_date": "" if relative[2] == "" else int(relative[2]),
        "attributed_to": m.attributed_to or "", "told_with": m.told_with or "", "sentence_index": m.sentence_index,
        "recent_past": int(m.recent_past), "time_note": note.phrase if note else "",
        "time_note_start": note.start if note else "", "time_note_end": note.end if note else "",
        "time_note_value": note.value if note else "",
    }


def _mention_basis(mention: EventMention, event: Event) -> str:
    """How this mention came by its date: its own, counted from another event, or its event's."""
    if mention.mention_id == event.relative_mention:
        return DateBasis.RELATIVE
    if mention.basis == DateBasis.REPORTED and event.basis != DateBasis.REPORTED:
        return DateBasis.PROPAGATED
    return mention.basis


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def document_rows(result: BuildResult) -> list[dict]:
    """One row per input: read or not, and why; its publication date and where it came from."""
    return [_document_row(item) for item in result.documents]


def _document_row(item: CorpusItem) -> dict:
    document = item.document
    return {
        "input": item.name, "doc_id": document.doc_id if document else "", "status": _status(item),
        "problem": item.error or "", "title": (document.title if document else "") or "",
        "source": (document.source if document else "") or "", "url": (document.url if document else "") or "",
        "published": document.dct.isoformat() if document and document.dct else "",
        "published_from": document.dct_source if document else "",
        "encoding": document.encoding if document else "", "warnings": " | ".join(item.warnings),
    }


def _status(item: CorpusItem) -> str:
    """ok, failed, or manifest: what became of an input."""
    return "manifest" if item.kind == "manifest" else ("ok" if item.document else "failed")


def events_document(event_rows: list[dict], mentions: list[dict], documents: list[dict]) -> dict:
    """The events with their mentions, and the documents, as one JSON document."""
    by_event: dict[str, list[dict]] = {}
    for row in mentions:
        by_event.setdefault(row["event_id"], []).append(row)
    events = [{**row, "mentions": by_event.get(row["event_id"], [])} for row in event_rows]
    return {"documents": documents, "events": events}


def timelinejs_document(event_rows: list[dict]) -> dict:
    """The dated events (rows with ISO dates) in TimelineJS3's JSON format."""
    events = []
    for row in event_rows:
        if not row["interval_start"]:
            continue
        start, end = dt.date.fromisoformat(row["interval_start"]), dt.date.fromisoformat(row["interval_end"])
        entry = {
            "unique_id": row["event_id"], "start_date": _tjs_date(start, row["granularity"]),
            "text": {"headline": row["description"], "text": f"{row['value']} · {row['status']} · {row['sources']}"},
            "group": row["status"],
        }
        if end != start:
            entry["end_date"] = _tjs_date(end, "day")
        events.append(entry)
    return {"title": {"text": {"headline": "Timeline", "text": f"{len(events)} dated events"}}, "events": events}


def _tjs_date(day: dt.date, granularity: str) -> dict:
    date = {"year": day.year}
    if granularity not in ("year", "decade", "century"):
        date["month"] = day.month
    if granularity in ("day", "part_of_day", "minute", "hour"):
        date["day"] = day.day
    return date


# ---------------------------------------------------------------- writing


def render_outputs(result: BuildResult) -> dict[str, tuple[str | bytes, int]]:
    """The content (text, or bytes for Parquet) of every output file and its rows, by name."""
    from timeline.store import events_parquet, rows_parquet

    event_rows = json_rows(result.table)
    mentions, documents = mention_rows(result.events), document_rows(result)
    timelinejs = timelinejs_document(event_rows)
    return {
        "events.parquet": (events_parquet(result.table), len(event_rows)),
        "mentions.parquet": (rows_parquet(mentions, MENTION_COLUMNS), len(mentions)),
        "documents.parquet": (rows_parquet(documents, DOCUMENT_COLUMNS), len(documents)),
        "events.csv": (csv_text(EVENT_COLUMNS, event_rows), len(event_rows)),
        "mentions.csv": (csv_text(MENTION_COLUMNS, mentions), len(mentions)),
        "documents.csv": (csv_text(DOCUMENT_COLUMNS, documents), len(documents)),
        "events.json": (_json(events_document(event_rows, mentions, documents)), len(event_rows)),
        "timelinejs.json": (_json(timelinejs), len(timelinejs["events"])),
    }


def _json(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def build_lock(out_dir: Path) -> FileLock:
    """The lock that keeps two builds from writing one output folder (held for the whole build)."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return FileLock(str(out_dir.parent / f".{out_dir.name}.lock"), timeout=0)


def check_writable(out_dir: Path) -> None:
    """Refuse a folder that exists and holds something other than a timeline build."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / RECORD_NAME).is_file():
        raise OutputError(f"{out_dir}: not empty and not a timeline output folder (no {RECORD_NAME}); "
                          "choose a new or empty folder, so nothing of yours is replaced")


def write_outputs(result: BuildResult, out_dir: Path, options: dict | None = None,
                  lock: FileLock | None = None) -> list[Path]:
    """Write every output file and the build record into out_dir, atomically (see the module doc).

    `lock` is the folder's `build_lock` when the caller already holds it for the whole build.
    """
    out_dir = Path(out_dir)
    check_writable(out_dir)
    lock = lock or build_lock(out_dir)
    try:
        with lock:
            return _write_atomically(result, out_dir, options or {})
    except Timeout:
        raise OutputError(f"{out_dir}: another build is writing this folder ({lock.lock_file}); "
                          "wait for it to finish or choose another folder") from None


def _write_atomically(result: BuildResult, out_dir: Path, options: dict) -> list[Path]:
    rendered = render_outputs(result)
    record = build_record(result, rendered, options)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.resolve().parent))
    os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp's folders are private; an output folder is not
    try:
        for name, (content, _rows) in rendered.items():
            (staging / name).write_bytes(_encoded(content))
        (staging / RECORD_NAME).write_text(_json(record), encoding="utf-8")
        _fsync_folder(staging)
        _swap_into_place(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out_dir / name for name in (*OUTPUT_FILES, RECORD_NAME)]


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by the staging folder; the old folder is removed only once the new one is in place."""
    retired = None
    if out_dir.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.resolve().parent))
        os.rename(out_dir, retired / "previous")
    try:
        os.rename(staging, out_dir)
    except OSError:
        if retired is not None:
            os.rename(retired / "previous", out_dir)  # put the previous build back
        raise
    finally:
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)


def build_record(result: BuildResult, rendered: dict[str, tuple[str | bytes, int]], options: dict) -> dict:
    """What was built from what: version, options, inputs with hashes, every file's rows and hash."""
    from timeline import __version__

    return {
        "tool": "timeline", "version": __version__, "format": RECORD_FORMAT,
        "options": {k: options[k] for k in sorted(options)},
        "inputs": [{"input": i.name, "kind": i.kind, "sha256": i.digest, "status": _status(i)}
                   for i in result.documents],
        "files": {name: {"rows": rows, "sha256": _sha256(_encoded(content))}
                  for name, (content, rows) in sorted(rendered.items())},
        "counts": {"events": len(result.table), "mentions": sum(len(e.mentions) for e in result.events),
                   "documents": len(result.built), "failed": len(result.failed)},
    }


def _encoded(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- reading


def check_is_build(out_dir: Path) -> Path:
    """The path of a folder's build record; refuses a folder without one, saying what it may be."""
    out_dir = Path(out_dir)
    record_path = out_dir / RECORD_NAME
    if not record_path.is_file():
        hint = " (built by an older version? build it again)" if (out_dir / "events.json").is_file() else \
            " (is it a `timeline build` output folder?)"
        raise OutputError(f"{out_dir}: no {RECORD_NAME} here{hint}")
    return record_path


def read_record(out_dir: Path) -> dict:
    """The build record of an output folder, after checking every file against it."""
    out_dir = Path(out_dir)
    record_path = check_is_build(out_dir)
    try:
        record = json.loads(record_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"{record_path}: unreadable build record ({exc})") from exc
    if record.get("tool") != "timeline":
        raise OutputError(f"{record_path}: not a build record of this tool")
    if record.get("format") != RECORD_FORMAT:
        raise OutputError(f"{record_path}: written by another version of the tool (format {record.get('format')!r}, "
                          f"this one reads {RECORD_FORMAT}); build the folder again")
    for name, expected in (record.get("files") or {}).items():
        _check_file(out_dir / name, expected)
    return record


def _check_file(path: Path, expected: dict) -> None:
    if not path.is_file():
        raise OutputError(f"{path.parent}: inconsistent output folder: {path.name} is missing")
    if _sha256(path.read_bytes()) != expected.get("sha256"):
        raise OutputError(f"{path.parent}: inconsistent output folder: {path.name} is not the file this build "
                          "wrote (changed or from another build); build the folder again")


def load_build(out_dir: Path, record: dict | None = None) -> BuildResult:
    """A build written by `write_outputs`, checked against its record and read back (plain JSON, never code);
    `record`: what `read_record` gave for this folder just now, so its files are not checked twice."""
    out_dir = Path(out_dir)
    record = record if record is not None else read_record(out_dir)
    data = json.loads((out_dir / "events.json").read_text("utf-8"))
    result = BuildResult(documents=[_document_item(row) for row in data.get("documents", [])])
    for item, recorded in zip(result.documents, record.get("inputs") or []):
        item.digest = recorded.get("sha256") or ""  # what `timeline add` knows an input by
    result.events = [_event_from_row(row) for row in data.get("events", [])]
    result.table = result_table(result)
    return result


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _document_item(row: dict) -> CorpusItem:
    kind = "manifest" if row.get("status") == "manifest" else "article"
    warnings = [w for w in (row.get("warnings") or "").split(" | ") if w]
    if row.get("status") != "ok":
        return CorpusItem(row.get("input", ""), error=row.get("problem") or None, kind=kind, warnings=warnings)
    document = Document(row["doc_id"], "", _date(row.get("published")), row.get("published_from") or "unknown",
                        row.get("input"), title=row.get("title") or None, source=row.get("source") or None,
                        url=row.get("url") or None, encoding=row.get("encoding") or "utf-8")
    return CorpusItem(row.get("input", ""), document, warnings=warnings)


def _event_from_row(row: dict) -> Event:
    return Event(row["event_id"], [_mention_from_row(m) for m in row.get("mentions", [])],
                 value=row.get("value") or None, interval_start=_date(row.get("interval_start")),
                 interval_end=_date(row.get("interval_end")), granularity=row.get("granularity") or None,
                 basis=row.get("date_basis") or DateBasis.REPORTED, conflicts=split_cell(row.get("conflicts")),
                 actors=split_cell(row.get("actors")), affected=split_cell(row.get("affected")),
                 relative_mention=next((m["mention_id"] for m in row.get("mentions", [])
                                        if m.get("date_basis") == DateBasis.RELATIVE), None))


def _mention_from_row(row: dict) -> EventMention:
    """A mention as extraction left it, before merging (so that merging it again gives the same events)."""
    timex = None
    if row.get("timex_value"):
        timex = TimeExpression(
            row["timex_text"], int(row["timex_start"]), int(row["timex_end"]), row.get("timex_type") or "DATE",
            row["timex_value"], None, row.get("timex_granularity") or None, _date(row.get("timex_interval_start")),
            _date(row.get("timex_interval_end")),
        )
    # Dates that merging gave (propagated, relative) are recomputed when merged again.
    basis = row.get("date_basis") if timex is not None else DateBasis.REPORTED
    relative = None
    if row.get("relative_to"):
        relative = (row["relative_to"], int(row["relative_days"]), bool(int(row["relative_report_date"])))
    return EventMention(
        row["mention_id"], row["doc_id"], row["trigger"], int(row["trigger_start"]), int(row["trigger_end"]),
        row.get("lemma") or row["trigger"].lower(), row.get("kind") or "verb", row["sentence"],
        int(row.get("sentence_start") or 0), row.get("description") or row["trigger"], split_cell(row.get("actors")),
        split_cell(row.get("affected")), split_cell(row.get("locations")), row.get("status") or Status.HAPPENED, timex,
        basis or DateBasis.REPORTED, relative_to=relative, published=_date(row.get("published")),
        key_terms=frozenset(split_cell(row.get("key_terms"))),
        attributed_to=row.get("attributed_to") or None, told_with=row.get("told_with") or None,
        sentence_index=int(row.get("sentence_index") or 0), recent_past=bool(int(row.get("recent_past") or 0)),
        time_note=_note_from_row(row),
    )


def _note_from_row(row: dict) -> TimeNote | None:
    """A mention row's time note, None when it has none."""
    if not row.get("time_note"):
        return None
    return TimeNote(row["time_note"], int(row["time_note_start"]), int(row["time_note_end"]),
                    row.get("time_note_value") or "")
