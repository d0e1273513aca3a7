"""Writing tagged documents as JSON, CSV and TimeML; CSV cells safe for spreadsheets."""

from __future__ import annotations

import csv
import io
import json

from timeline.models import TaggedDocument
from timeline.timeml import to_timeml

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "document", "tid", "text", "start", "end", "type", "value", "mod", "granularity",
    "interval_start", "interval_end", "anchor", "rule",
)
FORMATS = {"json": ".json", "csv": ".csv", "timeml": ".tml"}


def neutralise_formula(cell: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def to_json(tagged: TaggedDocument) -> str:
    """The document's DCT, its time expressions and its warnings as JSON."""
    document = tagged.document
    payload = {
        "document": document.doc_id,
        "path": document.path,
        "dct": document.dct.isoformat() if document.dct else None,
        "timexes": [expression.to_dict() for expression in tagged.expressions],
        "warnings": tagged.warnings,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def csv_text(columns, rows) -> str:
    """Rows (dicts) as CSV with these columns, every cell formula-safe."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise_formula(row.get(key)) for key in columns})
    return buffer.getvalue()


def to_csv(tagged: TaggedDocument) -> str:
    """One row per time expression, formula-safe."""
    rows = ({**expression.to_dict(), "document": tagged.document.doc_id} for expression in tagged.expressions)
    return csv_text(CSV_COLUMNS, rows)


def render(tagged: TaggedDocument, output_format: str) -> str:
    """The tagged document in one of FORMATS."""
    if output_format == "json":
        return to_json(tagged)
    if output_format == "csv":
        return to_csv(tagged)
    if output_format == "timeml":
        return to_timeml(tagged.document, tagged.expressions)
    raise ValueError(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
