"""Reading input documents: plain text, TimeML, and the seed manifest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from timeline.models import Document
from timeline.timeml import TimeMLError, read_timeml

TEXT_SUFFIXES = (".txt", ".tml")
MAX_INPUT_BYTES = 50 * 1024 * 1024


class InputError(ValueError):
    """An input file that cannot be read as a document."""


@dataclass(frozen=True)
class LoadedDocument:
    """A document read from a file, with warnings about it."""

    document: Document
    warnings: tuple[str, ...] = ()


def find_inputs(paths: list[Path]) -> list[Path]:
    """The files named, and the .txt/.tml files below the folders named, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES and p.is_file()))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def load_document(path: Path, default_dct: dt.date | None = None) -> LoadedDocument:
    """Read a .tml (DCT from the file) or a text file (DCT from the default)."""
    check_input_file(path)
    if path.suffix.lower() == ".tml":
        try:
            parsed = read_timeml(path)
        except TimeMLError as exc:
            raise InputError(str(exc)) from exc
        document = parsed.document
        warnings = list(parsed.warnings)
        if document.dct is None and default_dct is not None:
            document = replace(document, dct=default_dct, dct_source="--dct")
            warnings.append(f"{path}: using --dct {default_dct.isoformat()} as its DCT")
        return LoadedDocument(document, tuple(warnings))
    text = read_text_file(path)
    warnings = () if default_dct else (f"{path}: no publication date (--dct); relative expressions stay unresolved",)
    source = "--dct" if default_dct else "unknown"
    return LoadedDocument(Document(path.stem, text, default_dct, source, str(path)), warnings)


def check_input_file(path: Path) -> None:
    """Refuse a missing file or one over the size limit before reading it."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{path}: {size:,} bytes is over the {MAX_INPUT_BYTES:,}-byte limit")


def read_text_file(path: Path) -> str:
    """A file's text: refused if binary or not UTF-8."""
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def read_manifest(manifest: Path) -> list[Document]:
    """The documents of the folder a manifest.csv describes, with its metadata (read by the corpus reader)."""
    from timeline.corpus import iter_corpus  # the corpus reader builds on this module

    return [item.document for item in iter_corpus([manifest.parent]) if item.document is not None]


def seeds_dir() -> Path:
    """The seed articles shipped with the project."""
    return Path(__file__).resolve().parent.parent / "seeds"
