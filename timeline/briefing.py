"""Charts and one-page briefings for reports, slides and web pages, from a built timeline.

The chart is `timeline.figures.timeline_figure`, the dashboard's own; this module chooses the
events, sizes and annotates the figure, and writes images, HTML snippets and briefings.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from timeline.figures import (
    CHROMIUM, default_lanes, escape_plotly, figure_html, figure_image, timeline_figure, use_debian_chromium,
)
from timeline.models import BASIS_WORDS, STATED_BASES
from timeline.table import has_own_date, key_events, safe_url, split_cell

SIZES = {"slide": (1600, 900), "a4": (1123, 794), "square": (1000, 1000)}
IMAGE_FORMATS = ("png", "svg", "pdf")
CHART_FORMATS = IMAGE_FORMATS + ("html",)
BRIEF_TABLE_ROWS = 10
SUMMARY_EVENTS = 5  # key events the plain-text summary tells
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-component-update", "--disable-sync"]


class BriefingError(ValueError):
    """A request that cannot be met, with the reason."""


def parse_size(text: str) -> tuple[int, int]:
    """slide, a4, square or WxH (pixels) -> (width, height)."""
    if text in SIZES:
        return SIZES[text]
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", text.strip().lower())
    if not match:
        raise BriefingError(f"{text!r} is not slide, a4, square or WIDTHxHEIGHT (e.g. 1200x700)")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise BriefingError(f"{text!r}: width and height must be between 200 and 8000 pixels")
    return width, height


def chart(table: pd.DataFrame, title: str, size: tuple[int, int], theme: str = "light",
          note: str | None = None, sources: int | None = None) -> go.Figure:
    """The timeline figure sized for print or screen, with a source line and a legend note."""
    width, height = size
    label_width = max(24, min(60, width // 28))
    lanes = default_lanes(table) if len(table) else "status"
    lanes = "event-dated" if lanes == "event" else lanes
    figure = timeline_figure(table, lanes=lanes, title=title, theme=theme, label_width=label_width)
    figure.update_xaxes(rangeslider={"visible": False})
    lines = [f"Source: {sources} article{'s' if sources != 1 else ''}" if sources is not None else "Source: timeline",
             "markers: a day · bars: the whole week, month or year a date covers · hollow: planned or threatened"]
    if note:
        lines.append(f"Showing {note}.")
    figure.add_annotation(text="<br>".join(escape_plotly(line) for line in lines), showarrow=False, xref="paper",
                          yref="paper", x=0, y=0, yshift=-70, xanchor="left", yanchor="top", align="left",
                          font={"size": 11})
    figure.update_layout(width=width, height=height, margin={"l": 10, "r": 20, "t": 60, "b": 130},
                         legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.01, "yanchor": "bottom",
                                 "title": {"text": ""}})
    return figure


def write_charts(jobs: list[tuple[go.Figure, Path, str]]) -> list[Path]:
    """Write several charts in one go: images through one kaleido browser, HTML as snippets."""
    images = [(f, p, fmt) for f, p, fmt in jobs if fmt in IMAGE_FORMATS]
    for figure, path, fmt in jobs:
        if fmt == "html":
            path.write_text(figure_html(figure), "utf-8")
            path.with_name(path.stem + ".cdn.html").write_text(figure_html(figure, offline=False), "utf-8")
    if images:
        use_debian_chromium()
        pio.write_images(fig=[f for f, _, _ in images], file=[p for _, p, _ in images],
                         format=[fmt for _, _, fmt in images],
                         width=[f.layout.width for f, _, _ in images], height=[f.layout.height for f, _, _ in images])
    return [p for _, p, _ in jobs]


def summary_text(table: pd.DataFrame, articles: int) -> str:
    """A plain-text account of the timeline, usable as the chart's alt text."""
    if not len(table):
        return "No events in this timeline."
    dated = table[has_own_date(table)]
    parts = [f"{len(table)} events from {articles} article{'s' if articles != 1 else ''}"]
    if len(dated):
        first, last = min(dated["interval_start"]), max(dated["interval_end"])
        parts.append(f"dated events run from {first.isoformat()} to {last.isoformat()}")
    undated = len(table) - len(dated)
    if undated:
        parts.append(f"{undated} have only the date they were reported")
    text = "; ".join(parts) + "."
    for row in key_events(dated, SUMMARY_EVENTS).sort_values("interval_start", kind="stable").itertuples():
        text += f" {row.value} ({row.date_text}): {row.description} [{row.status}, {row.n_sources} source(s)]."
    return text


def briefing_html(table: pd.DataFrame, figure: go.Figure, title: str, documents: dict[str, dict],
                  note: str | None = None, articles: int | None = None) -> str:
    """A one-page, self-contained HTML briefing: chart (inline SVG), key events, coverage, summary."""
    svg = figure_image(figure, "svg", figure.layout.width or 1400).decode("utf-8") if len(table) else ""
    if articles is None:
        articles = len({s for cell in table["sources"] for s in split_cell(cell)}) if len(table) else 0
    alt = summary_text(table, articles)
    dated = table[has_own_date(table)]
    covered = (f"{min(dated['interval_start']).isoformat()} to {max(dated['interval_end']).isoformat()}"
               if len(dated) else "no dated events")
    rows = "".join(_brief_row(r, documents) for r in key_events(table, BRIEF_TABLE_ROWS).itertuples())
    chart_block = (f'<figure role="img" aria-label="{html.escape(alt)}">{_svg_body(svg)}</figure>'
                   if svg else "<p>No events to chart.</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; color: #222; font-size: 11px; }}
h1 {{ font-size: 1.5rem; margin: 0 0 .3rem; }} .meta {{ color: #555; margin: 0 0 1rem; }}
figure {{ margin: 0; }} figure svg {{ width: 100%; height: auto; }} figcaption {{ font-size: .8rem; color: #444; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10px; margin-top: .5rem; }}
figure {{ max-height: 105mm; overflow: hidden; }} figure svg {{ max-height: 100mm; }}
th, td {{ border-bottom: 1px solid #ddd; padding: .15rem .3rem; text-align: left; vertical-align: top; }}
@page {{ size: A4 landscape; margin: 10mm; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="meta">{articles} article{'s' if articles != 1 else ''} · {len(table)} events · covering {html.escape(covered)}
{(' · showing ' + html.escape(note)) if note else ''}</p>
{chart_block}
<table><thead><tr><th>date (normalised)</th><th>as written</th><th>how dated</th><th>event</th><th>status</th><th>sources</th></tr></thead>
<tbody>{rows or '<tr><td colspan="6">No events.</td></tr>'}</tbody></table>
<p><b>Summary.</b> {html.escape(alt)}</p>
</body></html>
"""


def _brief_row(row, documents: dict[str, dict]) -> str:
    links = []
    for doc_id in split_cell(row.sources):
        info = documents.get(doc_id, {})
        name = html.escape(info.get("source") or info.get("title") or doc_id)
        url = safe_url(info.get("url"))
        links.append(f'<a href="{html.escape(url)}">{name}</a>' if url else name)
    date = html.escape(row.value or f"reported {row.reported_date}")
    return (f"<tr><td>{date}</td><td>{html.escape(str(row.date_text or ''))}</td>"
            f"<td title=\"{html.escape(BASIS_WORDS.get(row.date_basis, str(row.date_basis)))}\">"
            f"{'stated' if row.date_basis in STATED_BASES else html.escape(str(row.date_basis))}</td>"
            f"<td>{html.escape(str(row.description))}</td><td>{html.escape(str(row.status))}</td>"
            f"<td>{', '.join(links)}</td></tr>")


def _svg_body(svg: str) -> str:
    """An SVG document without its XML prologue, ready to inline."""
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg.strip())


def html_to_pdf(html_path: Path, pdf_path: Path) -> Path:
    """Print an HTML file to PDF with Debian's headless Chromium."""
    chromium = shutil.which(os.environ.get("BROWSER_PATH", CHROMIUM))
    if not chromium:
        raise BriefingError(f"PDF needs Chromium at {CHROMIUM} (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise BriefingError(f"Chromium did not write {pdf_path}")
    return pdf_path
