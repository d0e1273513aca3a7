"""The dashboard: an explorable timeline with provenance, filters, exports and uploads.

Everything the page shows comes from `TimelineStore` on the server; article text is always
rendered as text (Dash escapes it), never as HTML.
"""

from __future__ import annotations

import base64
import datetime as dt
import pickle
import tempfile
from pathlib import Path

from timeline.events import STATUSES

GRID_COLUMNS = ("value", "description", "status", "date_text", "granularity", "date_basis", "actors",
                "locations", "n_sources", "sources", "conflicts", "confidence", "event_id")
UPLOAD_SUFFIXES = (".txt", ".html", ".htm")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LANE_CHOICES = [("one row per event", "event"), ("status", "status"), ("actor", "actor"),
                ("location", "location"), ("source", "source")]


def _build(corpus):
    """A `timeline build` output folder is read back; anything else is built (the seeds by default)."""
    from timeline.build import build, load_build
    from timeline.documents import seeds_dir

    if corpus and len(corpus) == 1 and (Path(corpus[0]) / "events.json").is_file():
        print(f"reading the timeline built in {corpus[0]}", flush=True)
        return load_build(Path(corpus[0]))
    print(f"building the timeline of {', '.join(map(str, corpus)) if corpus else 'the seed articles'} ...", flush=True)
    return build(corpus or [seeds_dir()])


def build_app(result=None, corpus: list[Path] | None = None):
    """The Dash app over a built timeline (built from `corpus`, or the seeds, when not given)."""
    import diskcache
    from dash import Dash, DiskcacheManager

    from dashboard.store import TimelineStore

    store = TimelineStore(result if result is not None else _build(corpus))
    cache_dir = tempfile.mkdtemp(prefix="timeline-dash-")
    manager = DiskcacheManager(diskcache.Cache(cache_dir))
    app = Dash(__name__, title="timeline", background_callback_manager=manager,
               suppress_callback_exceptions=True)
    app.server.config["MAX_CONTENT_LENGTH"] = 4 * MAX_UPLOAD_BYTES
    app.layout = _layout(store)
    _callbacks(app, store, Path(cache_dir))
    app.timeline_store = store
    return app


# ---------------------------------------------------------------- layout


def _layout(store):
    import dash_ag_grid as dag
    from dash import dcc, html

    from timeline.figures import default_lanes

    label = {"fontSize": "0.8rem", "color": "#444"}
    field = lambda name, control: html.Div([html.Div(name, style=label), control],  # noqa: E731
                                           style={"minWidth": "11rem", "flex": "1"})
    filters = html.Div([
        field("date range", dcc.DatePickerRange(id="date-range", clearable=True, display_format="YYYY-MM-DD")),
        field("actors", dcc.Dropdown(id="actor-filter", options=store.options("actors"), multi=True)),
        field("locations", dcc.Dropdown(id="location-filter", options=store.options("locations"), multi=True)),
        field("sources", dcc.Dropdown(id="source-filter", options=store.options("sources"), multi=True)),
        field("status", dcc.Dropdown(id="status-filter", options=list(STATUSES), multi=True)),
        field("min. sources", dcc.Slider(id="min-sources", min=1, max=5, step=1, value=1,
                                         marks={i: str(i) for i in range(1, 6)})),
        field("search", dcc.Input(id="search", type="search", debounce=True, placeholder="words in the event",
                                  style={"width": "100%"})),
        field("lanes", dcc.Dropdown(id="lanes", options=[{"label": a, "value": b} for a, b in LANE_CHOICES],
                                    value=default_lanes(store.table) if len(store.table) else "status",
                                    clearable=False, style={"maxWidth": "16rem"})),
    ], style={"display": "flex", "flexWrap": "wrap", "gap": "0.8rem", "alignItems": "end"})
    exports = html.Div([
        html.Button("CSV of this view", id="export-csv"), html.Button("chart PNG", id="export-png"),
        html.Button("chart SVG", id="export-svg"), html.Button("chart HTML snippet", id="export-html"),
        dcc.Download(id="download"),
    ], style={"display": "flex", "gap": "0.5rem", "margin": "0.5rem 0"})
    upload = html.Details([
        html.Summary("Add articles"),
        html.Div([
            dcc.Upload(id="upload", multiple=True, max_size=MAX_UPLOAD_BYTES,
                       children=html.Div(["Drop .txt or .html files here, or ", html.A("choose files")]),
                       style={"border": "1px dashed #888", "padding": "1rem", "textAlign": "center"}),
            html.Div(id="upload-chosen", style=label),
            html.Div([html.Span("publication date ", style=label),
                      dcc.DatePickerSingle(id="upload-date", display_format="YYYY-MM-DD")]),
            html.Button("Add to the timeline", id="upload-button"),
            html.Progress(id="upload-progress", value="0", max="1", style={"width": "100%"}),
            html.Ul(id="upload-messages"),
        ], style={"display": "grid", "gap": "0.5rem", "maxWidth": "40rem"}),
    ])
    grid = dag.AgGrid(
        id="event-grid", rowData=[], getRowId="params.data.event_id",
        columnDefs=[{"field": c, "filter": True, "sortable": True} for c in GRID_COLUMNS],
        defaultColDef={"resizable": True}, dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True, "checkboxes": False}},
        style={"height": "40vh"},
    )
    return html.Div([
        html.H2("Event timeline"),
        html.P(id="summary", style=label),
        filters, exports,
        dcc.Graph(id="timeline-chart", config={"displaylogo": False, "scrollZoom": True,
                                               "toImageButtonOptions": {"filename": "timeline"}}),
        html.Div([
            html.Div([html.H3("Events"), html.P(id="grid-note", style=label), grid], style={"flex": "3"}),
            html.Div([html.H3("Event detail"), html.Div(id="detail", children=html.P(
                "Click an event on the chart or a row in the table to see its sources.", style=label))],
                style={"flex": "2", "minWidth": "20rem"}),
        ], style={"display": "flex", "gap": "1rem", "flexWrap": "wrap"}),
        upload,
        dcc.Store(id="selected-event"), dcc.Store(id="store-version", data=store.version),
        dcc.Store(id="upload-result"),
    ], style={"fontFamily": "system-ui, sans-serif", "margin": "1rem", "maxWidth": "110rem"})


# ---------------------------------------------------------------- callbacks


def _filters(start, end, actors, locations, sources, statuses, min_sources, text):
    from dashboard.store import Filters

    as_date = lambda v: dt.date.fromisoformat(v[:10]) if v else None  # noqa: E731
    return Filters(as_date(start), as_date(end), actors or [], locations or [], sources or [],
                   statuses or [], int(min_sources or 1), text or "")


FILTER_INPUTS = ("date-range.start_date", "date-range.end_date", "actor-filter.value", "location-filter.value",
                 "source-filter.value", "status-filter.value", "min-sources.value", "search.value")


def _callbacks(app, store, cache_dir: Path) -> None:
    from dash import Input, Output, State, ctx, html, no_update

    from dashboard.store import grid_rows
    from timeline.figures import figure_html, figure_image, timeline_figure

    filter_inputs = [Input(*name.split(".")) for name in FILTER_INPUTS]

    @app.callback(
        Output("timeline-chart", "figure"), Output("event-grid", "rowData"), Output("grid-note", "children"),
        Output("summary", "children"),
        *filter_inputs, Input("lanes", "value"), Input("selected-event", "data"), Input("store-version", "data"),
    )
    def refresh(start, end, actors, locations, sources, statuses, min_sources, text, lanes, selected, _version):
        view = store.filtered(_filters(start, end, actors, locations, sources, statuses, min_sources, text))
        figure = timeline_figure(view, lanes=lanes or "status", selected=selected)
        shown = min(len(view), 500)
        note = f"{len(view)} events" + (f"; the first {shown} are listed, narrow the filters to see others"
                                         if shown < len(view) else "")
        dated = int((store.table["value"] != "").sum()) if len(store.table) else 0
        summary = (f"{len(store.table)} events from {len(store.documents)} articles; {dated} have a date of their "
                   "own, the others are shown in the 'reported only' strip at the date they were reported.")
        rows = [{k: r[k] for k in GRID_COLUMNS} for r in grid_rows(view)]
        return figure, rows, note, summary

    @app.callback(
        Output("selected-event", "data"), Output("event-grid", "selectedRows"),
        Input("timeline-chart", "clickData"), Input("event-grid", "selectedRows"),
        State("event-grid", "rowData"), prevent_initial_call=True,
    )
    def select(click, selected_rows, rows):
        if ctx.triggered_id == "timeline-chart":
            points = (click or {}).get("points") or []
            event_id = points[0].get("customdata") if points else None
            if not event_id:
                return no_update, no_update
            chosen = [r for r in rows or [] if r["event_id"] == event_id]
            return event_id, chosen
        if selected_rows:
            return selected_rows[0]["event_id"], no_update
        return no_update, no_update

    @app.callback(Output("detail", "children"), Input("selected-event", "data"), Input("store-version", "data"))
    def detail(event_id, _version):
        if not event_id or event_id not in store.events:
            return html.P("Click an event on the chart or a row in the table to see its sources.")
        return _detail(store, event_id)

    @app.callback(
        Output("download", "data"),
        Input("export-csv", "n_clicks"), Input("export-png", "n_clicks"), Input("export-svg", "n_clicks"),
        Input("export-html", "n_clicks"), *[State(*name.split(".")) for name in FILTER_INPUTS],
        State("lanes", "value"), prevent_initial_call=True,
    )
    def export(_csv, _png, _svg, _html, start, end, actors, locations, sources, statuses, min_sources, text, lanes):
        view = store.filtered(_filters(start, end, actors, locations, sources, statuses, min_sources, text))
        if ctx.triggered_id == "export-csv":
            return {"content": table_csv(view), "filename": "timeline-events.csv"}
        figure = timeline_figure(view, lanes=lanes or "status")
        if ctx.triggered_id == "export-html":
            return {"content": figure_html(figure), "filename": "timeline.html"}
        image_format = "png" if ctx.triggered_id == "export-png" else "svg"
        data = figure_image(figure, image_format)
        return {"content": base64.b64encode(data).decode(), "filename": f"timeline.{image_format}", "base64": True}

    @app.callback(Output("upload-chosen", "children"), Input("upload", "filename"))
    def chosen(names):
        return ", ".join(names or []) or "no files chosen"

    @app.callback(
        Output("upload-result", "data"),
        Input("upload-button", "n_clicks"),
        State("upload", "contents"), State("upload", "filename"), State("upload-date", "date"),
        background=True, prevent_initial_call=True,
        running=[(Output("upload-button", "disabled"), True, False)],
        progress=[Output("upload-progress", "value"), Output("upload-progress", "max")],
    )
    def process_upload(set_progress, _clicks, contents, names, published):
        return process_files(set_progress, contents or [], names or [], published, cache_dir)

    @app.callback(
        Output("store-version", "data"), Output("upload-messages", "children"),
        Output("actor-filter", "options"), Output("location-filter", "options"), Output("source-filter", "options"),
        Input("upload-result", "data"), prevent_initial_call=True,
    )
    def merge_upload(result_info):
        messages = [html.Li(m) for m in (result_info or {}).get("messages", [])]
        token = (result_info or {}).get("token")
        if token:
            with open(cache_dir / token, "rb") as handle:
                built = pickle.load(handle)
            failures = store.add(built)
            added = len(built.built)
            messages = [html.Li(f"added {added} article(s)")] + messages + [html.Li(f) for f in failures]
        return (store.version, messages, store.options("actors"), store.options("locations"),
                store.options("sources"))


def process_files(set_progress, contents: list[str], names: list[str], published: str | None, cache_dir: Path) -> dict:
    """Decode, check and build uploaded files (in a background process); the result is pickled to disk."""
    from timeline.build import build_from_items
    from timeline.corpus import iter_corpus

    messages, folder = [], Path(tempfile.mkdtemp(dir=cache_dir))
    for content, name in zip(contents, names):
        problem = _upload_problem(name, content)
        if problem:
            messages.append(problem)
            continue
        data = base64.b64decode(content.split(",", 1)[1])
        (folder / Path(name).name).write_bytes(data)
    files = sorted(folder.iterdir())
    if not files:
        return {"token": None, "messages": messages or ["no file to add"]}
    date = dt.date.fromisoformat(published[:10]) if published else None
    done = []

    def progress(item):
        done.append(item)
        set_progress((str(len(done)), str(len(files))))

    result = build_from_items(iter_corpus(files, date), progress=progress)
    token = f"{folder.name}.pickle"
    with open(cache_dir / token, "wb") as handle:
        pickle.dump(result, handle)
    if date is None:
        messages.append("no publication date given: dates were taken from the files where possible")
    return {"token": token, "messages": messages}


def _upload_problem(name: str, content: str | None) -> str | None:
    """Why an uploaded file is refused (type, size, encoding of the upload), or None."""
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        return f"{name}: only {', '.join(UPLOAD_SUFFIXES)} files can be added"
    if not content or "," not in content:
        return f"{name}: empty upload"
    if len(content) * 3 // 4 > MAX_UPLOAD_BYTES:
        return f"{name}: larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
    return None


def table_csv(view) -> str:
    """The filtered events as CSV, cells neutralised against spreadsheet formulas."""
    from dashboard.store import grid_rows
    from timeline.build import EVENT_COLUMNS
    from timeline.export import csv_text

    return csv_text(EVENT_COLUMNS, grid_rows(view, limit=len(view)))


def _detail(store, event_id: str):
    from dash import html

    event = store.events[event_id]
    row = store.table[store.table["event_id"] == event_id].iloc[0]
    date_line = (f"{row['value']} ({row['granularity']}, {row['date_basis']}; written “{row['date_text']}”)"
                 if row["value"] else f"no date of its own; reported {row['reported_date']}")
    parts = [html.H4(row["description"]), html.P(f"Date: {date_line}"), html.P(f"Status: {row['status']}")]
    if row["conflicts"]:
        parts.append(html.P(f"Sources disagree on the date: {row['conflicts']}", className="conflict",
                            style={"color": "#D55E00", "fontWeight": "bold"}))
    mentions = []
    for mention in store.mentions_of(event_id):
        link = html.A(mention["title"], href=mention["url"], target="_blank", rel="noopener noreferrer") \
            if mention.get("url", "").startswith(("http://", "https://")) else html.Span(mention["title"])
        mentions.append(html.Li([
            html.Div([link, html.Span(f" · {mention.get('source', '')} · published {mention.get('published', '')}")]),
            html.Blockquote(_highlighted(mention), className="mention-sentence",
                            style={"margin": "0.3rem 0 0.8rem 0", "borderLeft": "3px solid #0072B2",
                                   "paddingLeft": "0.5rem"}),
        ]))
    parts.append(html.Ul(mentions, id="detail-mentions"))
    return parts


def _highlighted(mention: dict) -> list:
    """The sentence with its trigger and time expression marked (as text, never as HTML)."""
    from dash import html

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
        colour = "#F0E442" if kind == "trigger" else "#56B4E9"
        pieces.append(html.Mark(sentence[start:end], className=kind, style={"background": colour}))
        cursor = end
    pieces.append(sentence[cursor:])
    return pieces


def run(host: str = "127.0.0.1", port: int = 8050, corpus: list[Path] | None = None) -> None:
    """Build the timeline (the seeds by default) and serve the page."""
    app = build_app(corpus=corpus)
    print(f"timeline dashboard: http://{host}:{port}/", flush=True)
    app.run(host=host, port=port, debug=False)
