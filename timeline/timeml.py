"""Reading TimeML (.tml) documents and writing tagged text back as TimeML."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import regex

from timeline.models import Document, TimeExpression

TAG = regex.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>")
ATTRIBUTE = regex.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
ENTITY = regex.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")
TEXT_SECTION = regex.compile(r"<TEXT>(.*?)</TEXT>", regex.DOTALL)
CREATION_TIMEX = regex.compile(r"<TIMEX3\b[^>]*functionInDocument=\"CREATION_TIME\"[^>]*>")


class TimeMLError(ValueError):
    """A TimeML file that cannot be read."""


@dataclass(frozen=True)
class GoldTimex:
    """A TIMEX3 annotation of a TimeML file, with offsets in the plain text."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass(frozen=True)
class TimeMLDocument:
    """A TimeML file: its plain text, DCT and gold TIMEX3 annotations."""

    document: Document
    gold: tuple[GoldTimex, ...]
    warnings: tuple[str, ...] = ()


def read_timeml(path: str | Path) -> TimeMLDocument:
    """Parse a .tml file; problems with the DCT become warnings naming the file."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TimeMLError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return parse_timeml(raw, name=str(path), doc_id=path.stem)


def parse_timeml(raw: str, name: str = "<string>", doc_id: str = "") -> TimeMLDocument:
    """Parse TimeML markup: DCT from the creation-time TIMEX3, text and gold from <TEXT>."""
    section = TEXT_SECTION.search(raw)
    if section is None:
        raise TimeMLError(f"{name}: no <TEXT> element")
    text, gold = strip_markup(section.group(1))
    dct, warnings = _read_dct(raw, name)
    document = Document(doc_id=doc_id, text=text, dct=dct, dct_source="timeml" if dct else "unknown", path=name)
    return TimeMLDocument(document=document, gold=tuple(gold), warnings=tuple(warnings))


def _read_dct(raw: str, name: str) -> tuple[dt.date | None, list[str]]:
    tag = CREATION_TIMEX.search(raw)
    if tag is None:
        return None, [f"{name}: no creation-time TIMEX3 (DCT); relative expressions stay unresolved"]
    value = dict(ATTRIBUTE.findall(tag.group(0))).get("value", "")
    try:
        return dt.date.fromisoformat(value[:10]), []
    except ValueError:
        return None, [f"{name}: malformed DCT value {value!r}; relative expressions stay unresolved"]


def strip_markup(markup: str) -> tuple[str, list[GoldTimex]]:
    """Plain text of marked-up TimeML text and its TIMEX3 spans in that text."""
    pieces: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict]] = []
    gold: list[GoldTimex] = []
    position = 0
    for tag in TAG.finditer(markup):
        chunk = _unescape(markup[position:tag.start()])
        pieces.append(chunk)
        length += len(chunk)
        position = tag.end()
        closing, name, attributes = tag.group(1), tag.group(2), tag.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex.append((length, dict(ATTRIBUTE.findall(attributes))))
        elif open_timex:
            start, attrs = open_timex.pop()
            gold.append(_gold(pieces, start, length, attrs))
    pieces.append(_unescape(markup[position:]))
    return "".join(pieces), gold


def _gold(pieces: list[str], start: int, end: int, attrs: dict) -> GoldTimex:
    text = "".join(pieces)[start:end]
    # Gold extents sometimes carry white space at their edges; compare on the words.
    stripped_start = start + len(text) - len(text.lstrip())
    stripped_end = end - (len(text) - len(text.rstrip()))
    return GoldTimex(
        start=stripped_start, end=stripped_end, text=text.strip(), type=attrs.get("type", ""),
        value=attrs.get("value", ""), mod=attrs.get("mod"),
    )


def _unescape(chunk: str) -> str:
    return ENTITY.sub(lambda m: html.unescape(m.group(0)), chunk) if "&" in chunk else chunk


def to_timeml(document: Document, expressions: list[TimeExpression]) -> str:
    """The document as TimeML with TIMEX3 tags inserted (HeidelTime's output format)."""
    body: list[str] = []
    position = 0
    for expression in sorted(expressions, key=lambda e: e.start):
        if expression.start < position:
            continue
        body.append(escape(document.text[position:expression.start]))
        body.append(_timex_tag(expression))
        position = expression.end
    body.append(escape(document.text[position:]))
    dct = ""
    if document.dct is not None:
        value = document.dct.isoformat()
        dct = (f'<DCT><TIMEX3 tid="t0" type="DATE" value="{value}" temporalFunction="false" '
               f'functionInDocument="CREATION_TIME">{value}</TIMEX3></DCT>\n')
    docid = f"<DOCID>{escape(document.doc_id)}</DOCID>\n" if document.doc_id else ""
    return f'<?xml version="1.0" ?>\n<TimeML>\n{docid}{dct}<TEXT>{"".join(body)}</TEXT>\n</TimeML>\n'


def _timex_tag(expression: TimeExpression) -> str:
    attributes = {"tid": expression.tid or "t", "type": expression.type, "value": expression.value}
    if expression.mod:
        attributes["mod"] = expression.mod
    rendered = " ".join(f"{key}={quoteattr(value)}" for key, value in attributes.items())
    return f"<TIMEX3 {rendered}>{escape(expression.text)}</TIMEX3>"
