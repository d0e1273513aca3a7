"""Reading a corpus for the build: files and folders of articles, with a manifest's metadata.

Every input is accounted for: each yields a `CorpusItem` that either holds a document or says
why it could not be read.  Documents are streamed, one at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

from timeline.documents import InputError, check_input_file, read_text_file
from timeline.models import Document
from timeline.timeml import TimeMLError, read_timeml

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".tml", ".jsonl", ".csv")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "id", "title", "source", "url", "published", "published_note")
RECORD_TEXT_FIELDS = ("text", "body", "content")
# How far into a text an undated document's own date may stand (dateline, byline).
INFERRED_DATE_CHARS = 400
# Less than this from an HTML page is navigation or boilerplate, not an article.
MIN_HTML_WORDS = 8


@dataclass
class CorpusItem:
    """One input (a file, or a record of a .jsonl/.csv file) and what became of it."""

    name: str
    document: Document | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    kind: str = "article"

    @property
    def ok(self) -> bool:
        return self.document is not None


@dataclass(frozen=True)
class ManifestEntry:
    """Metadata for one article file, from a manifest.csv."""

    doc_id: str | None
    title: str | None
    source: str | None
    url: str | None
    published: dt.date | None
    bad_date: str | None = None


def iter_corpus(paths: list[Path], published: dt.date | None = None) -> Iterator[CorpusItem]:
    """Every document in these files and folders, in order; failures and manifests included."""
    seen_hashes: dict[str, str] = {}
    manifests = ManifestCache()
    for path in _article_paths(paths):
        notes = manifests.first_notes(path.parent / MANIFEST_NAME)
        if notes is not None:
            yield CorpusItem(str(path.parent / MANIFEST_NAME), warnings=notes, kind="manifest")
        for item in _read_input(path, manifests.entry(path.parent / MANIFEST_NAME, path.name), published):
            if item.document is not None:
                _mark_duplicate(item, seen_hashes)
            yield item
    for manifest, name in manifests.missing_files():
        yield CorpusItem(str(manifest.parent / name), error=f"{manifest.parent / name}: listed in {manifest} but no such file")


def _article_paths(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if file.name != MANIFEST_NAME and file.suffix.lower() in ARTICLE_SUFFIXES:
                    yield file
        else:
            yield path


class ManifestCache:
    """The manifests beside the articles, each read once, with what they list but lacks."""

    def __init__(self):
        self._entries: dict[Path, dict[str, ManifestEntry]] = {}
        self._used: dict[Path, set[str]] = {}

    def first_notes(self, manifest: Path) -> list[str] | None:
        """Warnings about a manifest the first time it is met (None after, or if absent)."""
        key = manifest.resolve()
        if key in self._entries:
            return None
        entries, notes = _parse_manifest(manifest) if manifest.is_file() else ({}, None)
        self._entries[key] = entries
        self._used[key] = set()
        return notes

    def entry(self, manifest: Path, name: str) -> ManifestEntry | None:
        """The manifest's entry for one file (None if unlisted), remembering that it was read."""
        key = manifest.resolve()
        self.first_notes(manifest)
        self._used[key].add(name)
        return self._entries[key].get(name)

    def missing_files(self) -> Iterator[tuple[Path, str]]:
        for key, entries in self._entries.items():
            for name in sorted(set(entries) - self._used[key]):
                if not (key.parent / name).exists():
                    yield key, name


def _parse_manifest(manifest: Path) -> tuple[dict[str, ManifestEntry], list[str]]:
    entries, notes = {}, []
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = [c for c in reader.fieldnames or [] if c not in MANIFEST_COLUMNS]
        if unknown:
            notes.append(f"{manifest}: unknown column(s) {', '.join(unknown)} ignored")
        for row in reader:
            name = (row.get("file") or "").strip()
            if not name:
                continue
            date, bad = _parse_published(row.get("published"))
            entries[Path(name).name] = ManifestEntry(
                doc_id=(row.get("id") or "").strip() or None, title=_clean(row.get("title")),
                source=_clean(row.get("source")), url=_clean(row.get("url")), published=date, bad_date=bad,
            )
    return entries, notes


def _parse_published(value: str | None) -> tuple[dt.date | None, str | None]:
    value = (value or "").strip()
    if not value:
        return None, None
    try:
        return dt.date.fromisoformat(value[:10]), None
    except ValueError:
        return None, value


def _clean(value) -> str | None:
    value = str(value).strip() if value is not None else ""
    return value or None


def _read_input(path: Path, entry: ManifestEntry | None, published: dt.date | None) -> Iterator[CorpusItem]:
    name = str(path)
    try:
        check_input_file(path)
        if path.stat().st_size == 0:
            raise InputError(f"{path}: empty file")
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".csv"):
            yield from _read_records(path, published)
            return
        item = _read_article(path, entry, published)
    except InputError as exc:
        yield CorpusItem(name, error=str(exc))
        return
    yield item


def _read_article(path: Path, entry: ManifestEntry | None, published: dt.date | None) -> CorpusItem:
    suffix = path.suffix.lower()
    warnings: list[str] = []
    if suffix == ".tml":
        try:
            parsed = read_timeml(path)
        except TimeMLError as exc:
            raise InputError(str(exc)) from exc
        document, warnings = parsed.document, list(parsed.warnings)
    elif suffix in (".html", ".htm"):
        document = _read_html(path, warnings)
    else:
        document = Document(path.stem, read_text_file(path), path=str(path))
    if not document.text.strip():
        raise InputError(f"{path}: no article text")
    document = _apply_metadata(document, entry, published, warnings, str(path))
    return CorpusItem(str(path), document, warnings=warnings)


def _read_html(path: Path, warnings: list[str]) -> Document:
    """Main text with trafilatura; the publication date with htmldate (used if nothing better)."""
    import trafilatura
    from htmldate import find_date

    html = read_text_file(path)
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    if len(text.split()) < MIN_HTML_WORDS:
        raise InputError(f"{path}: HTML without article text (no main content found)")
    metadata = trafilatura.extract_metadata(html)
    found = None
    try:
        found = find_date(html, outputformat="%Y-%m-%d", original_date=True, extensive_search=False)
    except (ValueError, TypeError) as exc:  # htmldate raises on odd markup
        warnings.append(f"{path}: htmldate failed ({exc})")
    dct = dt.date.fromisoformat(found) if found else None
    return Document(
        path.stem, text, dct, "htmldate" if dct else "unknown", str(path),
        title=getattr(metadata, "title", None), source=getattr(metadata, "sitename", None),
        url=getattr(metadata, "url", None),
    )


def _apply_metadata(document: Document, entry: ManifestEntry | None, published: dt.date | None,
                    warnings: list[str], name: str) -> Document:
    """Manifest first, then the file's own date (TimeML, HTML), then --published, then the text."""
    if entry is not None:
        if entry.bad_date:
            warnings.append(f"{name}: manifest date {entry.bad_date!r} is not YYYY-MM-DD; ignored")
        document = replace(
            document, doc_id=entry.doc_id or document.doc_id, title=entry.title or document.title,
            source=entry.source or document.source, url=entry.url or document.url,
        )
        if entry.published is not None:
            document = replace(document, dct=entry.published, dct_source="manifest")
    if document.dct is None and published is not None:
        document = replace(document, dct=published, dct_source="--published")
    if document.dct is None:
        document = infer_publication_date(document, warnings, name)
    return document


def infer_publication_date(document: Document, warnings: list[str], name: str) -> Document:
    """Date a document by a full date its opening states; otherwise leave it undated, flagged."""
    from timeline.tagger import default_tagger

    opening = document.text[:INFERRED_DATE_CHARS]
    for expression in default_tagger().tag(opening, dct=None):
        if expression.type == "DATE" and expression.granularity == "day" and expression.anchor == "absolute":
            warnings.append(f"{name}: no publication date given; inferred {expression.value} from {expression.text!r}")
            return replace(document, dct=expression.interval_start, dct_source="inferred")
    warnings.append(f"{name}: no publication date; its relative dates stay unresolved")
    return document


def _read_records(path: Path, published: dt.date | None) -> Iterator[CorpusItem]:
    """One article per JSON line or CSV row: text plus optional id, title, source, url, published."""
    text = read_text_file(path)
    rows = _json_lines(path, text) if path.suffix.lower() == ".jsonl" else _csv_rows(text)
    for number, row in rows:
        name = f"{path}:{number}"
        if isinstance(row, str):
            yield CorpusItem(name, error=f"{name}: {row}")
            continue
        body = next((row[k] for k in RECORD_TEXT_FIELDS if isinstance(row.get(k), str) and row[k].strip()), None)
        if body is None:
            yield CorpusItem(name, error=f"{name}: no text field ({', '.join(RECORD_TEXT_FIELDS)})")
            continue
        date, bad = _parse_published(str(row.get("published") or row.get("date") or ""))
        warnings = [f"{name}: date {bad!r} is not YYYY-MM-DD; ignored"] if bad else []
        doc_id = _clean(row.get("id")) or f"{path.stem}-{number}"
        document = Document(
            doc_id, body, date, "record" if date else "unknown", name, title=_clean(row.get("title")),
            source=_clean(row.get("source")), url=_clean(row.get("url")),
        )
        if document.dct is None and published is not None:
            document = replace(document, dct=published, dct_source="--published")
        if document.dct is None:
            document = infer_publication_date(document, warnings, name)
        yield CorpusItem(name, document, warnings=warnings)


def _json_lines(path: Path, text: str):
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not JSON ({exc.msg})"
            continue
        yield number, row if isinstance(row, dict) else "not a JSON object"


def _csv_rows(text: str):
    for number, row in enumerate(csv.DictReader(text.splitlines()), 2):
        yield number, row


def _mark_duplicate(item: CorpusItem, seen: dict[str, str]) -> None:
    """The same article twice is read once: the second copy becomes a failure naming the first."""
    digest = hashlib.sha1(" ".join(item.document.text.split()).encode("utf-8")).hexdigest()
    if digest in seen:
        item.error = f"{item.name}: same text as {seen[digest]}; skipped as a duplicate"
        item.document = None
    else:
        seen[digest] = item.name
