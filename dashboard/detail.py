"""The detail panel: every mention of the selected event, its article and sentence, as text only."""

from __future__ import annotations

from dash import Input, Output, html

from dashboard import ids
from timeline.models import BASIS_WORDS

PROMPT = "Click an event on the chart or a row in the table to see its sources."
MARK_COLOURS = {"trigger": "#F0E442", "timex": "#56B4E9"}


def layout() -> html.Div:
    return html.Div(id=ids.DETAIL, children=html.P(PROMPT, style={"fontSize": "0.8rem", "color": "#444"}))


def register(app, store) -> None:
    @app.callback(Output(ids.DETAIL, "children"), Input(ids.SELECTED_EVENT, "data"), Input(ids.STORE_VERSION, "data"))
    def show_detail(event_id, _version):
        return detail(store, event_id) if isinstance(event_id, str) and event_id else html.P(PROMPT)


def detail(store, event_id: str) -> list:
    """The event's date, status and conflicts, and each mention with its article (Dash escapes all text)."""
    row = store.row(event_id)
    if row is None:  # gone (a page from before a restart) or never there
        return [html.P(PROMPT)]
    basis = BASIS_WORDS.get(row["date_basis"], row["date_basis"])
    written = f"; written “{row['date_text']}”" if row["date_text"] else ""
    date_line = (f"{row['value']} ({row['granularity']}; {basis}{written})"
                 if row["value"] else f"no date of its own; reported {row['reported_date']}")
    according = f" (according to {row['according_to']})" if row.get("according_to") else ""
    parts = [html.H4(row["description"]), html.P(f"Date: {date_line}")]
    if row.get("time_note"):
        parts.append(html.P(f"Also said: “{row['time_note']}”"))
    parts.append(html.P(f"Status: {row['status']}{according}"))
    if row["conflicts"]:
        parts.append(html.P(f"Sources disagree on the date: {row['conflicts']}", className="conflict",
                            style={"color": "#D55E00", "fontWeight": "bold"}))
    parts.append(html.Ul([_mention_item(m) for m in store.mentions_of(event_id)], id=ids.DETAIL_MENTIONS))
    return parts


def _mention_item(mention: dict) -> html.Li:
    title = mention.get("title") or mention["doc_id"]
    url = mention.get("url")  # already checked: http(s) only
    link = html.A(title, href=url, target="_blank", rel="noopener noreferrer") if url else html.Span(title)
    return html.Li([
        html.Div([link, html.Span("".join(f" · {part}" for part in (
            mention.get("source"), f"published {mention['published']}" if mention.get("published") else None)
            if part))]),
        html.Blockquote(highlighted(mention), className="mention-sentence",
                        style={"margin": "0.3rem 0 0.8rem 0", "borderLeft": "3px solid #0072B2",
                               "paddingLeft": "0.5rem"}),
    ])


def highlighted(mention: dict) -> list:
    """The sentence with its trigger and time expression marked (as text, never as HTML)."""
    sentence, base = mention["sentence"], mention["sentence_start"]
    spans = [(mention["trigger_start"] - base, mention["trigger_end"] - base, "trigger")]
    if mention["timex_start"] != "":
        spans.append((mention["timex_start"] - base, mention["timex_end"] - base, "timex"))
    spans = sorted(s for s in spans if 0 <= s[0] < s[1] <= len(sentence))
    pieces, cursor = [], 0
    for start, end, kind in spans:
        if start < cursor:
            continue
        pieces.append(sentence[cursor:start])
        pieces.append(html.Mark(sentence[start:end], className=kind, style={"background": MARK_COLOURS[kind]}))
        cursor = end
    pieces.append(sentence[cursor:])
    return pieces
