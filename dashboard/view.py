"""The view: filters, the timeline chart and the event table, kept in step on the server."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from dash import Input, Output, State, ctx, dcc, html, no_update

from dashboard import ids
from dashboard.store import GRID_LIMIT
from timeline.figures import OVERVIEW_NAME, lanes_for, overview_figure, timeline_figure
from timeline.models import STATUSES
from timeline.table import Filters, json_rows

GRID_COLUMNS = ("value", "description", "status", "according_to", "date_text", "time_note", "granularity", "date_basis",
                "actors", "locations", "n_sources", "sources", "conflicts", "confidence", "event_id")
LANE_CHOICES = [("one row per event", "event"), ("status", "status"), ("actor", "actor"),
                ("location", "location"), ("source", "source")]
LABEL_STYLE = {"fontSize": "0.8rem", "color": "#444"}
# The filter controls, in the order callbacks receive their values.
FILTER_CONTROLS = ((ids.DATE_RANGE, "start_date"), (ids.DATE_RANGE, "end_date"), (ids.ACTOR_FILTER, "value"),
                   (ids.LOCATION_FILTER, "value"), (ids.SOURCE_FILTER, "value"), (ids.STATUS_FILTER, "value"),
                   (ids.MIN_SOURCES, "value"), (ids.SEARCH, "value"), (ids.STATED_ONLY, "value"),
                   (ids.KEY_COUNT, "value"), (ids.SHOW_ALL, "value"))
STATED_LABEL = "stated dates only"
SHOW_ALL_LABEL = "show all events"
DEFAULT_KEY_EVENTS = 30  # the page opens on this many key events (highest salience)
OVERVIEW_EVENTS = 2000  # past this many matching events the chart is a daily histogram
OVERVIEW_LABELS = 10  # key events labelled on the histogram
# relayoutData -> the zoom store: [start, end] when an overview is zoomed, null when a zoomed view
# returns to the whole (double click), else unchanged.
FOLLOW_ZOOM = """function(relayout, figure, zoom) {
    const r = relayout || {}, range = r['xaxis.range'] || [r['xaxis.range[0]'], r['xaxis.range[1]']];
    const overview = !!(figure && figure.data && figure.data.length && figure.data[0].name === %s);
    if (range[0] !== undefined && range[1] !== undefined) {
        return overview ? [String(range[0]).slice(0, 10), String(range[1]).slice(0, 10)]
                        : window.dash_clientside.no_update;
    }
    return r['xaxis.autorange'] && zoom ? null : window.dash_clientside.no_update;
}""" % json.dumps(OVERVIEW_NAME)


def filter_inputs() -> list[Input]:
    return [Input(i, prop) for i, prop in FILTER_CONTROLS]


def filter_states() -> list[State]:
    return [State(i, prop) for i, prop in FILTER_CONTROLS]


def filters_from(start, end, actors, locations, sources, statuses, min_sources, text, stated=None,
                 key_count=DEFAULT_KEY_EVENTS, show_all=None) -> Filters:
    """The table filters from the controls' values (as the page sends them)."""
    as_date = lambda v: dt.date.fromisoformat(str(v)[:10]) if v else None  # noqa: E731
    return Filters(as_date(start), as_date(end), list(actors or []), list(locations or []), list(sources or []),
                   list(statuses or []), int(min_sources or 1), str(text or ""),
                   stated_only=STATED_LABEL in (stated or []),
                   top=None if SHOW_ALL_LABEL in (show_all or []) else _count(key_count))


def _count(value) -> int:
    """The number of key events asked for, within 1..GRID_LIMIT (the default when the box is empty)."""
    try:
        return max(1, min(GRID_LIMIT, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_KEY_EVENTS


# ---------------------------------------------------------------- layout


def _field(name: str, control, min_width: str = "11rem") -> html.Div:
    return html.Div([html.Div(name, style=LABEL_STYLE), control], style={"minWidth": min_width, "flex": "1"})


def filters_layout(store) -> html.Div:
    lanes = lanes_for(store.dated)
    return html.Div([
        _field("date range", dcc.DatePickerRange(id=ids.DATE_RANGE, clearable=True, display_format="YYYY-MM-DD")),
        _field("actors", dcc.Dropdown(id=ids.ACTOR_FILTER, options=store.options("actors"), multi=True)),
        _field("locations", dcc.Dropdown(id=ids.LOCATION_FILTER, options=store.options("locations"), multi=True)),
        _field("sources", dcc.Dropdown(id=ids.SOURCE_FILTER, options=store.options("sources"), multi=True)),
        # Checkboxes, not a searchable dropdown: seven fixed choices, and a dropdown's Enter key
        # could pick the first option before the search had narrowed the list.
        _field("status", dcc.Checklist(id=ids.STATUS_FILTER, options=[str(s) for s in STATUSES], value=[],
                                       inline=True, inputStyle={"marginRight": "0.2rem"},
                                       labelStyle={"display": "inline-block", "marginRight": "0.6rem"}),
               min_width="24rem"),
        _field("min. sources", dcc.Slider(id=ids.MIN_SOURCES, min=1, max=5, step=1, value=1,
                                          marks={i: str(i) for i in range(1, 6)})),
        _field("search", dcc.Input(id=ids.SEARCH, type="search", debounce=True, placeholder="words in the event",
                                   style={"width": "100%"})),
        _field("dates", dcc.Checklist(id=ids.STATED_ONLY, options=[STATED_LABEL], value=[],
                                      inputStyle={"marginRight": "0.2rem"})),
        _field("key events", html.Div([
            dcc.Input(id=ids.KEY_COUNT, type="number", min=1, max=GRID_LIMIT, step=1, value=DEFAULT_KEY_EVENTS,
                      debounce=True, style={"width": "5rem"}),
            dcc.Checklist(id=ids.SHOW_ALL, options=show_all_options(store.total), value=[], inline=True,
                          inputStyle={"marginRight": "0.2rem", "marginLeft": "0.6rem"}),
        ], style={"display": "flex", "alignItems": "center"})),
        _field("lanes", dcc.Dropdown(id=ids.LANES, options=[{"label": a, "value": b} for a, b in LANE_CHOICES],
                                     value=lanes, clearable=False, style={"maxWidth": "16rem"})),
    ], style={"display": "flex", "flexWrap": "wrap", "gap": "0.8rem", "alignItems": "end"})


def show_all_options(total: int) -> list[dict]:
    """The one-click way from the key events to every event."""
    return [{"label": f"show all {total:,} events", "value": SHOW_ALL_LABEL}]


def chart_layout() -> dcc.Graph:
    return dcc.Graph(id=ids.CHART, config={"displaylogo": False, "scrollZoom": True,
                                           "toImageButtonOptions": {"filename": "timeline"}})


def grid_layout():
    import dash_ag_grid as dag

    return dag.AgGrid(
        id=ids.GRID, rowData=[], getRowId="params.data.event_id",
        columnDefs=[{"field": c, "filter": True, "sortable": True} for c in GRID_COLUMNS],
        defaultColDef={"resizable": True},
        dashGridOptions={"rowSelection": {"mode": "singleRow", "enableClickSelection": True, "checkboxes": False}},
        style={"height": "40vh"},
    )


# ---------------------------------------------------------------- callbacks


def register(app, store) -> None:
    """The view's callbacks: refresh chart, table and notes; follow a selection from chart or table."""

    @app.callback(
        Output(ids.CHART, "figure"), Output(ids.GRID, "rowData"), Output(ids.GRID_NOTE, "children"),
        Output(ids.SUMMARY, "children"), Output(ids.SHOW_ALL, "options"),
        *filter_inputs(), Input(ids.LANES, "value"), Input(ids.SELECTED_EVENT, "data"),
        Input(ids.STORE_VERSION, "data"), Input(ids.ZOOM, "data"),
    )
    def refresh(*values):
        *controls, lanes, selected, _version, zoom = values
        return refreshed_view(store, filters_from(*controls), lanes, selected, _as_range(zoom))

    # In the browser, not on the server: only a zoom of an overview (or the return from one) is
    # sent on. A server callback here would also be sent every resize, and Dash drops the answer
    # to a zoom when a later call of the same callback (a resize just after) overtakes it.
    app.clientside_callback(FOLLOW_ZOOM, Output(ids.ZOOM, "data"), Input(ids.CHART, "relayoutData"),
                            State(ids.CHART, "figure"), State(ids.ZOOM, "data"), prevent_initial_call=True)

    @app.callback(
        Output(ids.SELECTED_EVENT, "data"), Output(ids.GRID, "selectedRows"),
        Input(ids.CHART, "clickData"), Input(ids.GRID, "selectedRows"),
        State(ids.GRID, "rowData"), prevent_initial_call=True,
    )
    def follow_selection(click, selected_rows, rows):
        return selection_from(ctx.triggered_id, click, selected_rows, rows)


def _as_range(zoom) -> tuple[dt.date, dt.date] | None:
    """The zoom store's [start, end] as dates."""
    return zoomed_range({"xaxis.range": zoom}) if zoom else None


def zoomed_range(relayout) -> tuple[dt.date, dt.date] | None:
    """The dates a reader zoomed the chart to, from plotly's relayout data (None when not zoomed)."""
    relayout = relayout if isinstance(relayout, dict) else {}
    bounds = relayout.get("xaxis.range") or [relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")]
    try:
        low, high = (dt.date.fromisoformat(str(b)[:10]) for b in bounds)
    except (TypeError, ValueError):
        return None
    return (low, high) if low <= high else None


def refreshed_view(store, filters: Filters, lanes: str | None, selected: str | None,
                   zoom: tuple[dt.date, dt.date] | None = None):
    """(figure, grid rows, grid note, summary, show-all choice) for the current filters.

    Past OVERVIEW_EVENTS matching events the chart shows events per day (counted by the store,
    never read row by row) with the key events labelled; a zoom redraws the stretch zoomed to,
    event by event once it holds at most OVERVIEW_EVENTS.
    """
    matched = store.count(filters)
    if matched > OVERVIEW_EVENTS and zoom is not None:
        # The zoomed stretch only: its events when few enough, else its own overview (so the reader
        # can zoom on, step by step, down to the events; a double click returns to the whole).
        filters = replace(filters, start=max(filter(None, (filters.start, zoom[0]))),
                          end=min(filter(None, (filters.end, zoom[1]))))
        matched = store.count(filters)
    if matched > OVERVIEW_EVENTS:
        selection = store.select(filters, limit=GRID_LIMIT, matched=matched)
        labelled = replace(filters, top=min(filters.top or OVERVIEW_LABELS, OVERVIEW_LABELS))
        figure = overview_figure(store.daily_counts(filters), store.select(labelled, matched=matched).table, matched)
    else:
        selection = store.select(filters, matched=matched)
        figure = timeline_figure(selection.table, lanes=lanes or "status", selected=selected)
    listed = min(filters.top, matched) if filters.top is not None else matched
    shown = min(listed, GRID_LIMIT)
    note = f"{listed:,} events" + (
        f": the key ones of {matched:,} that match (highest salience)" if matched > listed else "") + (
        f"; the first {shown} are listed, narrow the filters to see others" if shown < listed else "")
    rows = [{k: r[k] for k in GRID_COLUMNS} for r in json_rows(selection.table, GRID_LIMIT)]
    return figure, rows, note, store.summary(), show_all_options(store.total)


def selection_from(trigger: str | None, click, selected_rows, rows):
    """(selected event id, grid selection) from a click on the chart or a row of the table."""
    if trigger == ids.CHART:
        points = (click or {}).get("points") or []
        event_id = points[0].get("customdata") if points else None
        if not event_id:
            return no_update, no_update
        return event_id, [r for r in rows or [] if r["event_id"] == event_id]
    if selected_rows:
        return selected_rows[0]["event_id"], no_update
    return no_update, no_update
