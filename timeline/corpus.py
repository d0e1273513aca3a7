"""Reading inputs: files and folders of articles, with a manifest's metadata; the one input reader.

Every path given is accounted for: each yields a `CorpusItem` that either holds a document or
says why it could not be read (no such path, a broken link, a FIFO or device (never opened),
an unreadable, binary, empty or oversized file, HTML without article text, a duplicate, ...).
Texts are decoded from UTF-8 (with or without BOM), UTF-16/32 with BOM, or a legacy encoding
found by charset-normalizer; the encoding is recorded per document.  Documents are streamed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from timeline.models import CorpusItem, Document
from timeline.timeml import TimeMLError, parse_timeml

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".tml", ".jsonl", ".csv")
RECORD_SUFFIXES = (".jsonl", ".csv")
MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "id", "title", "source", "url", "published", "published_note")
RECORD_TEXT_FIELDS = ("text", "body", "content")
MAX_INPUT_BYTES = 50 * 1024 * 1024
# How far into a text an undated document's own date may stand (dateline, byline).
INFERRED_DATE_CHARS = 400
# Less than this from an HTML page is navigation or boilerplate, not an article.
MIN_HTML_WORDS = 8
BINARY_SNIFF_BYTES = 8192
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# A publication date: an ISO day, optionally with a time ("2015-02-17", "2015-02-17T10:00:00Z").
ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
EARLIEST_PLAUSIBLE = dt.date(1800, 1, 1)
# Three letters in a row outside ASCII: a word of another script read in the wrong code page.
LEGACY_RUN = re.compile(r"[^\x00-\x7f\u2018-\u201e\u2013\u2014\u20ac\u2026]{3,}")
# Where a document's publication date came from, best first: the better copy of a duplicate is kept.
DATE_SOURCE_RANK = {"manifest": 0, "timeml": 1, "htmldate": 1, "record": 1, "--published": 2, "inferred": 3}
UNDATED_RANK = 4


class InputError(ValueError):
    """An input that cannot be read as a document, with the reason (naming the input)."""


@dataclass(frozen=True)
class ManifestEntry:
    """Metadata for one article file, from a manifest.csv."""

    doc_id: str | None
    title: str | None
    source: str | None
    url: str | None
    published: dt.date | None
    row: int = 0


# ---------------------------------------------------------------- walking the inputs


def iter_corpus(paths: Iterable[Path], published: dt.date | None = None,
                suffixes: tuple[str, ...] = ARTICLE_SUFFIXES,
                taken: dict[str, CorpusItem] | None = None) -> Iterator[CorpusItem]:
    """Every document in these files and folders, in order; failures and manifests included.
    Document ids are unique, also against `taken` (the documents of a build being added to)."""
    seen: dict[str, CorpusItem] = {}
    taken = dict(taken or {})
    manifests = ManifestCache()
    for path, problem in input_paths(paths, suffixes):
        if problem:
            yield CorpusItem(str(path), error=f"{path}: {problem}")
            continue
        manifest = path.parent / MANIFEST_NAME
        notes = manifests.first_notes(manifest)
        if notes is not None:
            yield CorpusItem(str(manifest), warnings=notes, kind="manifest")
        for item in read_input(path, manifests.entry(manifest, path.name), published):
            if item.document is not None:
                _settle_duplicate(item, seen)
            if item.document is not None:
                _give_unique_id(item, taken)
            yield item
    for manifest, name in manifests.missing_files():
        yield CorpusItem(str(manifest.parent / name), error=f"{manifest.parent / name}: listed in {manifest} but no such file")


def input_paths(paths: Iterable[Path], suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> Iterator[tuple[Path, str | None]]:
    """(path, problem) for every input: the files named, and the article files below the folders named."""
    for path in dict.fromkeys(Path(p) for p in paths):
        kind = _kind(path)
        if kind == "folder":
            found = list(_folder_files(path, suffixes))
            if not found:
                yield path, f"a folder with no articles in it ({' '.join(suffixes)})"
            yield from found
        elif kind == "file":
            yield path, None
        else:
            yield path, kind


def _kind(path: Path) -> str:
    """'file', 'folder', or what is wrong with the path."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "broken symbolic link" if os.path.islink(path) else "no such file or folder"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    if stat.S_ISREG(info.st_mode):
        return "file"
    return f"not a regular file ({_special_kind(info.st_mode)}); not opened"


def _special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "a special file"


def _folder_files(folder: Path, suffixes: tuple[str, ...]) -> Iterator[tuple[Path, str | None]]:
    """Article files below a folder, sorted; entries named like articles that are not files are reported.

    A folder named like a file ("x.txt/") is walked into, not read.
    """
    for root, folders, files in os.walk(folder, followlinks=False):
        folders.sort()
        for name in sorted(files):
            if name == MANIFEST_NAME or not name.lower().endswith(suffixes):
                continue
            kind = _kind(Path(root) / name)
            yield Path(root) / name, None if kind == "file" else kind


# ---------------------------------------------------------------- reading bytes and text


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, refused before reading if over the size limit; never opens anything else."""
    kind = _kind(path)
    if kind != "file":
        raise InputError(f"{path}: {'a folder, not a file' if kind == 'folder' else kind}")
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_INPUT_BYTES:
                raise InputError(f"{path}: {size:,} bytes is over the {MAX_INPUT_BYTES:,}-byte limit")
            return handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of an input's bytes: BOM, else UTF-8, else a detected legacy encoding; binary refused."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: not valid {encoding} text ({exc.reason} at byte {exc.start})") from exc
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise InputError(f"{name}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = _western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: not text in any encoding we recognise (binary?)")
    return str(best), best.encoding


def _western(data: bytes) -> str | None:
    """The text if the bytes read as Windows-1252 English or Western news: mostly ASCII, with accents and
    typographic quotes inside words, not whole words of other letters (Cyrillic or Greek read wrongly).

    Detectors guess poorly on the few non-ASCII bytes of such texts, so this common case comes first.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    words = text.split()
    foreign = sum(1 for w in words if LEGACY_RUN.search(w))
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text[:BINARY_SNIFF_BYTES]):
        return None
    return text if words and foreign <= len(words) * 0.02 else None


def read_text_file(path: Path) -> tuple[str, str]:
    """(text, encoding) of a text file."""
    return decode(read_bytes(path), str(path))


# ---------------------------------------------------------------- manifests


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
        entries, notes = parse_manifest(manifest) if manifest.is_file() else ({}, None)
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
                if not os.path.lexists(key.parent / name):
                    yield key, name


def parse_manifest(manifest: Path) -> tuple[dict[str, ManifestEntry], list[str]]:
    """The entries of a manifest.csv by file name, and warnings about it (each naming the row)."""
    try:
        text, _ = read_text_file(manifest)
    except InputError as exc:
        return {}, [f"{exc}; the manifest is ignored"]
    entries: dict[str, ManifestEntry] = {}
    notes: list[str] = []
    reader = csv.DictReader(text.splitlines())
    unknown = [c for c in reader.fieldnames or [] if c not in MANIFEST_COLUMNS]
    if unknown:
        notes.append(f"{manifest}: unknown column(s) {', '.join(unknown)} ignored")
    for number, row in enumerate(reader, 2):
        name = (row.get("file") or "").strip()
        if not name:
            continue
        where = f"{manifest}, row {number}"
        key = Path(name).name
        if key in entries:
            notes.append(f"{where}: {key} is listed again (first on row {entries[key].row}); "
                         "the first row is used")
            continue
        date, problem = parse_publication_date(row.get("published"))
        if problem:
            notes.append(f"{where}: {problem}")
        entries[key] = ManifestEntry(
            doc_id=_clean(row.get("id")), title=_clean(row.get("title")), source=_clean(row.get("source")),
            url=_clean(row.get("url")), published=date, row=number,
        )
    return entries, notes


def parse_publication_date(value: str | None) -> tuple[dt.date | None, str | None]:
    """(date, problem): a real ISO date (optionally with a time); anything else is refused with the reason."""
    value = (value or "").strip()
    if not value:
        return None, None
    match = ISO_DATE.fullmatch(value)
    try:
        day = dt.date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        day = None
    if day is None:
        return None, f"publication date {value!r} is not an ISO date (YYYY-MM-DD); ignored"
    if day < EARLIEST_PLAUSIBLE:
        return day, f"publication date {value!r} is before {EARLIEST_PLAUSIBLE.year}: check it"
    if day > dt.date.today():  # the clock only warns; it never dates anything
        return day, f"publication date {value!r} is in the future: check it"
    return day, None


def _clean(value) -> str | None:
    value = str(value).strip() if value is not None else ""
    return value or None


# ---------------------------------------------------------------- reading one input


def read_input(path: Path, entry: ManifestEntry | None = None, published: dt.date | None = None) -> Iterator[CorpusItem]:
    """The document(s) of one input file: one per article file, one per record of .jsonl/.csv."""
    name = str(path)
    try:
        data = read_bytes(path)
        if not data.strip():
            raise InputError(f"{path}: empty file")
        digest = hashlib.sha256(data).hexdigest()
        text, encoding = decode(data, name)
        if path.suffix.lower() in RECORD_SUFFIXES:
            yield from _read_records(path, text, encoding, published)
            return
        item = _read_article(path, text, encoding, entry, published)
        item.digest = digest
    except InputError as exc:
        yield CorpusItem(name, error=str(exc))
        return
    yield item


def _read_article(path: Path, text: str, encoding: str, entry: ManifestEntry | None,
                  published: dt.date | None) -> CorpusItem:
    suffix = path.suffix.lower()
    warnings: list[str] = []
    if suffix == ".tml":
        try:
            parsed = parse_timeml(text, name=str(path), doc_id=path.stem)
        except TimeMLError as exc:
            raise InputError(str(exc)) from exc
        document, warnings = replace(parsed.document, path=str(path)), list(parsed.warnings)
    elif suffix in (".html", ".htm"):
        document = _read_html(path, text, warnings)
    else:
        document = Document(path.stem, text, path=str(path))
    if not document.text.strip():
        raise InputError(f"{path}: no article text")
    document = replace(document, encoding=encoding)
    document = _apply_metadata(document, entry, published, warnings, str(path))
    return CorpusItem(str(path), document, warnings=warnings, rank=_date_rank(document))


def _read_html(path: Path, html: str, warnings: list[str]) -> Document:
    """Main text with trafilatura; the publication date with htmldate (used if nothing better)."""
    import trafilatura
    from htmldate import find_date

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
        document = replace(
            document, doc_id=entry.doc_id or document.doc_id, title=entry.title or document.title,
            source=entry.source or document.source, url=entry.url or document.url,
        )
        if entry.published is not None:
            document = replace(document, dct=entry.published, dct_source="manifest")
    return _fallback_date(document, published, warnings, name)


def _fallback_date(document: Document, published: dt.date | None, warnings: list[str], name: str) -> Document:
    """A document without a date of its own: --published, else a full date its opening states."""
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


def _date_rank(document: Document) -> int:
    return DATE_SOURCE_RANK.get(document.dct_source, UNDATED_RANK) if document.dct else UNDATED_RANK


def _read_records(path: Path, text: str, encoding: str, published: dt.date | None) -> Iterator[CorpusItem]:
    """One article per JSON line or CSV row: text plus optional id, title, source, url, published."""
    rows = _json_lines(text) if path.suffix.lower() == ".jsonl" else _csv_rows(text)
    for number, row in rows:
        name = f"{path}:{number}"
        if isinstance(row, str):
            yield CorpusItem(name, error=f"{name}: {row}")
            continue
        body = next((row[k] for k in RECORD_TEXT_FIELDS if isinstance(row.get(k), str) and row[k].strip()), None)
        if body is None:
            yield CorpusItem(name, error=f"{name}: no text field ({', '.join(RECORD_TEXT_FIELDS)})")
            continue
        date, problem = parse_publication_date(str(row.get("published") or row.get("date") or ""))
        warnings = [f"{name}: {problem}"] if problem else []
        document = Document(
            _clean(row.get("id")) or f"{path.stem}-{number}", body, date, "record" if date else "unknown", name,
            title=_clean(row.get("title")), source=_clean(row.get("source")), url=_clean(row.get("url")),
            encoding=encoding,
        )
        document = _fallback_date(document, published, warnings, name)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        yield CorpusItem(name, document, warnings=warnings, digest=digest, rank=_date_rank(document))


def _json_lines(text: str):
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
    """(line the record starts on, record): a record may span lines."""
    reader = csv.DictReader(text.splitlines(keepends=True))
    reader.fieldnames  # read the header, so line_num counts from it
    start = reader.line_num + 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


# ---------------------------------------------------------------- duplicates


def _settle_duplicate(item: CorpusItem, seen: dict[str, CorpusItem]) -> None:
    """The same text twice is read once: the copy with the best publication date is kept (ties: the first)."""
    key = hashlib.sha1(" ".join(item.document.text.split()).encode("utf-8")).hexdigest()
    kept = seen.get(key)
    if kept is None:
        seen[key] = item
        return
    if item.rank < kept.rank:
        item.supersedes = kept
        kept.error = (f"{kept.name}: same text as {item.name}, which has a better publication date "
                      f"({item.document.dct_source}); that copy was kept")
        kept.document = None
        item.warnings.append(f"{item.name}: kept instead of {kept.name} (same text, better publication date)")
        seen[key] = item
        return
    item.error = f"{item.name}: same text as {kept.name}; skipped as a duplicate (that copy was kept)"
    item.document = None


def first_free(name: str, is_taken: Callable[[str], bool]) -> str:
    """The name, or the first of name-2, name-3, ... not taken."""
    candidate, number = name, 1
    while is_taken(candidate):
        number += 1
        candidate = f"{name}-{number}"
    return candidate


def _give_unique_id(item: CorpusItem, taken: dict[str, CorpusItem]) -> None:
    """Rename a document whose id another kept document has (records reuse ids across files; two
    folders hold a.txt): mention ids, provenance and merging all key on the document id."""
    wanted = item.document.doc_id
    doc_id = first_free(wanted, lambda d: (owner := taken.get(d)) is not None and owner.document is not None
                        and owner is not item)
    if doc_id != wanted:
        item.document = replace(item.document, doc_id=doc_id)
        item.warnings.append(f"{item.name}: document id {wanted!r} is taken by {taken[wanted].name}; "
                             f"this one is {doc_id!r}")
    taken[doc_id] = item


# ---------------------------------------------------------------- conveniences


def read_manifest(manifest: Path) -> list[Document]:
    """The documents of the folder a manifest.csv describes, with its metadata."""
    return [item.document for item in iter_corpus([manifest.parent]) if item.document is not None]


def seeds_dir() -> Path:
    """The seed articles shipped with the project."""
    return Path(__file__).resolve().parent.parent / "seeds"
