"""Typed records that flow between the pipeline stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
MODES = ("news", "narrative")


@dataclass(frozen=True)
class Document:
    """One input text with its document creation time (DCT)."""

    doc_id: str
    text: str
    dct: dt.date | None = None
    dct_source: str = "unknown"
    path: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class TimeExpression:
    """One time expression found in a text, normalised to TIMEX3."""

    text: str
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    granularity: str | None = None
    interval_start: dt.date | None = None
    interval_end: dt.date | None = None
    anchor: str = "absolute"
    rule: str = ""
    tid: str = ""

    def to_dict(self) -> dict:
        """A JSON-ready dict with ISO dates."""
        row = asdict(self)
        for key in ("interval_start", "interval_end"):
            row[key] = row[key].isoformat() if row[key] else None
        return row


@dataclass
class TaggedDocument:
    """A document and the time expressions found in it, with any warnings."""

    document: Document
    expressions: list[TimeExpression] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
