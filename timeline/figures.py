"""Timeline figures, shared by the dashboard and the exports: one source of truth for the look."""

from __future__ import annotations

import math
import os

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from timeline.models import BASIS_WORDS, DAY_GRANULARITIES, Status
from timeline.table import has_own_date, is_stated, split_cell

# Okabe-Ito colours (safe for colour-blind readers), and a symbol per status so that colour is
# never the only cue: threats and plans are hollow, things that happened are filled.
STATUS_STYLE = {
    Status.HAPPENED: ("#0072B2", "circle"),
    Status.ONGOING: ("#009E73", "diamond"),
    Status.CLAIM: ("#56B4E9", "square"),
    Status.PLANNED: ("#E69F00", "circle-open"),
    Status.THREATENED: ("#D55E00", "x-open"),
    Status.HYPOTHETICAL: ("#CC79A7", "diamond-open"),
    Status.NEGATED: ("#999999", "cross-open"),
}
POINT_GRANULARITIES = tuple(str(g) for g in DAY_GRANULARITIES)
LANE_COLUMNS = {"status": "status", "actor": "actors", "location": "locations", "source": "sources"}
MAX_LANES = 25
REPORTED_LANE = "reported only"
# A date the text does not state for the event is drawn faint and hollow, never like a stated one.
INFERRED_OPACITY, STATED_OPACITY = 0.4, 1.0
INFERRED_SPAN_OPACITY, STATED_SPAN_OPACITY = 0.3, 0.55
INFERRED_NOTE = "faint, hollow: date inferred, not stated"
# Readable axes: when DENSE_SHARE of the dated events fit in at most MAX_FOCUS_SHARE of the whole
# span, the chart opens on that stretch (padded by FOCUS_PADDING of it) and notes the rest at its edges.
DENSE_SHARE = 0.8
MAX_FOCUS_SHARE = 0.35
FOCUS_PADDING = 0.08
MIN_FOCUS_EVENTS = 5
THEMES = {"light": "plotly_white", "dark": "plotly_dark", "print": "simple_white"}
CHROMIUM = "/usr/bin/chromium"
OVERVIEW_NAME = "events per day"  # the overview's first trace (the dashboard's zoom handling looks for it)


def default_lanes(table: pd.DataFrame) -> str:
    """One row per event while that stays readable, else lanes by status."""
    return lanes_for(int(has_own_date(table).sum()) if len(table) else 0)


def lanes_for(dated_events: int) -> str:
    """One row per event while that stays readable (40 dated events), else lanes by status."""
    return "event" if dated_events <= 40 else "status"


def timeline_figure(table: pd.DataFrame, lanes: str = "status", selected: str | None = None,
                    title: str | None = None, theme: str = "light", label_width: int = 60) -> go.Figure:
    """Events on a time axis: day-precise ones as markers, coarser ones as bars over their span.

    Events with only a report date sit in their own strip below, at the date they were reported.
    """
    own_date = has_own_date(table) if len(table) else None
    dated = table[own_date] if len(table) else table
    reported = table[~own_date] if len(table) else table
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.85, 0.15], vertical_spacing=0.04)
    if len(table) == 0:
        return _empty(figure, title, theme)
    lane_of = _lane_labels(dated, lanes)
    for status, (colour, symbol) in STATUS_STYLE.items():
        rows = dated[dated["status"] == status]
        if len(rows):
            _add_status(figure, rows, lane_of, status, colour, symbol, label_width)
        strip = reported[reported["status"] == status]
        if len(strip):
            _add_reported(figure, strip, status, colour, symbol, label_width)
    if len(dated) and not is_stated(dated).all():
        _add_inferred_key(figure)
    if selected:
        _add_highlight(figure, table, selected, lane_of)
    _layout(figure, title or "Event timeline", theme, len(set(lane_of.values())))
    order = list(dict.fromkeys(lane_of[e] for e in dated["event_id"]))
    figure.update_yaxes(categoryorder="array", categoryarray=order, row=1, col=1)
    _focus(figure, dated)
    return figure


def focus_window(dated: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The period the chart opens on when a few far-away events would squash the rest: the shortest
    stretch holding DENSE_SHARE of the dated events, padded; None when the events spread evenly."""
    starts = sorted(pd.to_datetime(dated["interval_start"]))
    if len(starts) < MIN_FOCUS_EVENTS:
        return None
    held = math.ceil(DENSE_SHARE * len(starts))
    first = min(range(len(starts) - held + 1), key=lambda i: (starts[i + held - 1] - starts[i], i))
    low, high = starts[first], starts[first + held - 1]
    pad = max(pd.Timedelta(days=1), (high - low) * FOCUS_PADDING)
    low, high = low - pad, high + pad + pd.Timedelta(days=1)
    whole = max(pd.to_datetime(dated["interval_end"]).max() + pd.Timedelta(days=1), starts[-1]) - starts[0]
    return (low, high) if (high - low) <= MAX_FOCUS_SHARE * whole else None


def _focus(figure: go.Figure, dated: pd.DataFrame) -> None:
    """Open on the dense period, saying at each edge how many events lie beyond it (zoom out to see them)."""
    window = focus_window(dated)
    if window is None:
        return
    low, high = window
    figure.update_xaxes(range=[low, high], row=1, col=1)
    figure.update_xaxes(range=[low, high], row=2, col=1)
    starts = pd.to_datetime(dated["interval_start"])
    ends = pd.to_datetime(dated["interval_end"]) + pd.Timedelta(days=1)
    for text, outside, x, anchor in (("◀ {} earlier {} ({})", dated[ends <= low], 0, "left"),
                                     ("{} later {} ({}) ▶", dated[starts >= high], 1, "right")):
        if len(outside):
            years = sorted({d.year for d in outside["interval_start"]})
            span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
            text = text.format(len(outside), "event" if len(outside) == 1 else "events", span)
            figure.add_annotation(text=escape_plotly(text), xref="paper", yref="paper", x=x, y=1.0,
                                  xanchor=anchor, yanchor="bottom", showarrow=False,
                                  font={"size": 11, "color": "#555555"}, bgcolor="rgba(255,255,255,0.8)")


def overview_figure(counts: pd.Series, key: pd.DataFrame, total: int, title: str | None = None,
                       theme: str = "light") -> go.Figure:
    """The overview from counted days (Timestamp -> events), as a store counts them without reading events."""
    # One WebGL spike per day from zero to its count: a million events over decades is thousands of
    # days, too many SVG bars to stay quick, and a spike needs no zero days filled in between.
    x = [v for day in counts.index for v in (day, day, None)]
    y = [v for n in counts.values for v in (0, int(n), None)]
    figure = go.Figure(go.Scattergl(
        x=x, y=y, customdata=[v for n in counts.values for v in (int(n), int(n), None)], mode="lines",
        line={"color": "#0072B2", "width": 2}, name=OVERVIEW_NAME,
        hovertemplate="%{x|%Y-%m-%d}: %{customdata} events<extra></extra>"))
    key = key[has_own_date(key)] if len(key) else key
    if len(key):
        x = pd.to_datetime(key["interval_start"])
        y = [int(counts.get(day.normalize(), 0)) for day in x]
        figure.add_trace(go.Scatter(
            x=x, y=y, mode="markers+text", name="key events", customdata=key["event_id"],
            text=[escape_plotly(_shorten(d, 32)) for d in key["description"]], textposition="top center",
            hovertext=_hover(key, 60), hoverinfo="text", marker={"color": "#D55E00", "size": 9, "symbol": "star"},
            cliponaxis=False))
    figure.update_layout(
        title={"text": escape_plotly(f"{title or 'Event timeline'}: {total:,} events per day "
                                     "(zoom in for the events themselves)"), "x": 0.01},
        template=THEMES.get(theme, "plotly_white"), height=460, dragmode="zoom",
        margin={"l": 10, "r": 10, "t": 50, "b": 10}, legend={"orientation": "h", "y": -0.2})
    figure.update_xaxes(type="date", rangeslider={"visible": True, "thickness": 0.08})
    figure.update_yaxes(title={"text": "events"}, rangemode="tozero")
    return figure


def _lane_labels(dated: pd.DataFrame, lanes: str) -> dict[str, str]:
    """event id -> lane: one per event, or by a column (the busiest values, the rest as "other")."""
    if lanes == "event":
        return {
            eid: f"{escape_plotly(_shorten(desc, 48))} · {eid}"
            for eid, desc in zip(dated["event_id"], dated["description"])
        }
    if lanes == "event-dated":  # for print: the date as written and normalised instead of the id
        labels, seen = {}, {}
        for row in dated.itertuples():
            written = f"“{escape_plotly(row.date_text)}”" if row.date_text else row.date_basis
            label = f"{escape_plotly(_shorten(row.description, 44))} · {written} = {escape_plotly(row.value)}"
            seen[label] = seen.get(label, 0) + 1
            labels[row.event_id] = label if seen[label] == 1 else f"{label} ({seen[label]})"
        return labels
    column = LANE_COLUMNS.get(lanes, "status")
    first = dated[column].map(lambda cell: (split_cell(cell) or ["(none)"])[0])
    counts = first.value_counts()
    keep = set(sorted(counts.index, key=lambda lane: (-counts[lane], lane))[:MAX_LANES])
    return {eid: escape_plotly(lane if lane in keep else "other") for eid, lane in zip(dated["event_id"], first)}


def _hover(rows: pd.DataFrame, label_width: int) -> list[str]:
    return [
        f"<b>{escape_plotly(_shorten(r.description, label_width))}</b><br>"
        f"{escape_plotly(r.date_text) or 'no date of its own'} → {escape_plotly(r.value or 'reported ' + str(r.reported_date or ''))}"
        f"<br>date {escape_plotly(BASIS_WORDS.get(r.date_basis, r.date_basis))}"
        f"{'<br>' + escape_plotly(r.time_note) if r.time_note else ''}"
        f"<br>{escape_plotly(r.status)} · {r.n_sources} source{'s' if r.n_sources != 1 else ''}"
        for r in rows.itertuples()
    ]


def _open(symbol: str) -> str:
    return symbol if symbol.endswith("-open") else f"{symbol}-open"


def _add_status(figure, rows, lane_of, status, colour, symbol, label_width) -> None:
    points = rows[rows["granularity"].isin(POINT_GRANULARITIES)]
    spans = rows[~rows["granularity"].isin(POINT_GRANULARITIES)]
    stated_spans = is_stated(spans) if len(spans) else None
    for stated in (True, False):
        part = spans[stated_spans == stated] if len(spans) else spans
        if len(part):
            _add_spans(figure, part, lane_of, status, colour, stated, label_width)
    if len(points):
        stated = is_stated(points)
        figure.add_trace(go.Scattergl(
            x=pd.to_datetime(points["interval_start"]), y=[lane_of[e] for e in points["event_id"]], mode="markers",
            marker={"color": colour, "size": 10 + 2 * points["n_sources"].clip(upper=5),
                    "symbol": [symbol if s else _open(symbol) for s in stated],
                    "opacity": [STATED_OPACITY if s else INFERRED_OPACITY for s in stated],
                    "line": {"width": 2, "color": colour}},
            customdata=points["event_id"], hovertext=_hover(points, label_width), hoverinfo="text",
            name=status, legendgroup=status,
        ), row=1, col=1)
    elif len(spans):
        figure.data[-1].showlegend = True
        figure.data[-1].name = status


def _add_spans(figure, spans, lane_of, status, colour, stated, label_width) -> None:
    """Week, month and year events as WebGL lines over their whole interval (an SVG bar each would
    make a large timeline slow to draw); a vertex at each end and the middle carries the hover."""
    starts = pd.to_datetime(spans["interval_start"])
    ends = pd.to_datetime(spans["interval_end"]) + pd.Timedelta(days=1)
    middles = starts + (ends - starts) / 2
    lanes = [lane_of[e] for e in spans["event_id"]]
    hover = _hover(spans, label_width)
    figure.add_trace(go.Scattergl(
        x=[v for row in zip(starts, middles, ends) for v in (*row, None)],
        y=[v for lane in lanes for v in (lane, lane, lane, None)],
        customdata=[v for e in spans["event_id"] for v in (e, e, e, None)],
        hovertext=[v for h in hover for v in (h, h, h, None)], hoverinfo="text", mode="lines",
        line={"color": colour, "width": 12, "dash": "solid" if stated else "dot"},
        opacity=STATED_SPAN_OPACITY if stated else INFERRED_SPAN_OPACITY,
        name=f"{status} (span)", legendgroup=status, showlegend=False,
    ), row=1, col=1)


def _add_inferred_key(figure) -> None:
    """A legend entry saying how inferred dates look (it draws nothing)."""
    figure.add_trace(go.Scatter(
        x=[None], y=[None], mode="markers", name=INFERRED_NOTE, hoverinfo="skip",
        marker={"color": "#777777", "symbol": "circle-open", "opacity": INFERRED_OPACITY, "size": 10},
    ), row=1, col=1)


def _add_reported(figure, strip, status, colour, symbol, label_width) -> None:
    figure.add_trace(go.Scattergl(
        x=pd.to_datetime(strip["reported_date"]), y=[REPORTED_LANE] * len(strip), mode="markers",
        marker={"color": colour, "symbol": symbol, "size": 8, "opacity": 0.7},
        customdata=strip["event_id"], hovertext=_hover(strip, label_width), hoverinfo="text",
        name=status, legendgroup=status, showlegend=False,
    ), row=2, col=1)


def _add_highlight(figure, table, selected, lane_of) -> None:
    rows = table[table["event_id"] == selected]
    if not len(rows):
        return
    row = rows.iloc[0]
    on_strip = not has_own_date(rows).iloc[0]
    x = row["reported_date"] if on_strip else row["interval_start"]
    figure.add_trace(go.Scatter(
        x=[pd.to_datetime(x)], y=[REPORTED_LANE if on_strip else lane_of.get(selected, "")], mode="markers",
        marker={"size": 26, "color": "rgba(0,0,0,0)", "line": {"width": 3, "color": "#000000"}},
        hoverinfo="skip", name="selected", showlegend=False,
    ), row=2 if on_strip else 1, col=1)


def _layout(figure, title, theme, lane_count) -> None:
    figure.update_layout(
        title={"text": escape_plotly(title), "x": 0.01}, template=THEMES.get(theme, "plotly_white"),
        barmode="overlay", hovermode="closest", legend={"title": {"text": "status"}, "orientation": "h", "y": -0.25},
        height=max(420, 140 + 28 * lane_count), margin={"l": 10, "r": 10, "t": 50, "b": 10}, dragmode="zoom",
    )
    figure.update_xaxes(type="date", row=1, col=1)
    figure.update_xaxes(type="date", rangeslider={"visible": True, "thickness": 0.08}, row=2, col=1)
    figure.update_yaxes(automargin=True, row=1, col=1, autorange="reversed")
    figure.update_yaxes(automargin=True, row=2, col=1, showticklabels=True)


def _empty(figure, title, theme) -> go.Figure:
    figure.add_annotation(text="No events to show: widen the filters or add articles.", showarrow=False,
                          xref="paper", yref="paper", x=0.5, y=0.6, font={"size": 16})
    figure.update_layout(title={"text": escape_plotly(title or "Event timeline")}, template=THEMES.get(theme, "plotly_white"),
                         height=420)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _shorten(text: str, width: int) -> str:
    text = str(text or "")
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def escape_plotly(text) -> str:
    """Text safe to hand to plotly, which renders some HTML (<a>, <b>, <span>, <br>): markup becomes entities."""
    # Quotes need no escaping: outside a tag plotly draws them as they are.
    return str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def use_debian_chromium() -> None:
    """Point kaleido at Debian's Chromium unless BROWSER_PATH says otherwise (it never downloads one)."""
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)


def figure_image(figure: go.Figure, image_format: str, width: int = 1400, height: int | None = None) -> bytes:
    """PNG/SVG/PDF bytes through kaleido, with Debian's Chromium (BROWSER_PATH)."""
    use_debian_chromium()
    return figure.to_image(format=image_format, width=width, height=height or figure.layout.height or 600)


def figure_html(figure: go.Figure, offline: bool = True) -> str:
    """A self-contained <div> snippet (plotly.js inlined), or a light one loading plotly.js from a CDN."""
    return figure.to_html(full_html=False, include_plotlyjs=True if offline else "cdn")
