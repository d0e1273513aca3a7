"""Exports of the current view: CSV (formula-safe), the chart as PNG, SVG or an HTML snippet."""

from __future__ import annotations

import base64

from dash import Input, Output, State, ctx, dcc, html

from dashboard import ids
from dashboard.view import filter_states, filters_from
from timeline.export import csv_text
from timeline.figures import figure_html, figure_image, timeline_figure
from timeline.table import EVENT_COLUMNS, json_rows

IMAGE_BUTTONS = {ids.EXPORT_PNG: "png", ids.EXPORT_SVG: "svg"}


def layout() -> html.Div:
    return html.Div([
        html.Button("CSV of this view", id=ids.EXPORT_CSV), html.Button("chart PNG", id=ids.EXPORT_PNG),
        html.Button("chart SVG", id=ids.EXPORT_SVG), html.Button("chart HTML snippet", id=ids.EXPORT_HTML),
        dcc.Download(id=ids.DOWNLOAD),
    ], style={"display": "flex", "gap": "0.5rem", "margin": "0.5rem 0"})


def register(app, store) -> None:
    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.EXPORT_CSV, "n_clicks"), Input(ids.EXPORT_PNG, "n_clicks"), Input(ids.EXPORT_SVG, "n_clicks"),
        Input(ids.EXPORT_HTML, "n_clicks"), *filter_states(), State(ids.LANES, "value"), prevent_initial_call=True,
    )
    def export(_csv, _png, _svg, _html, *values):
        *controls, lanes = values
        view = store.select(filters_from(*controls)).table
        return download(ctx.triggered_id, view, lanes)


def download(button: str, view, lanes: str | None) -> dict:
    """The dcc.Download payload for one export button."""
    if button == ids.EXPORT_CSV:
        return {"content": table_csv(view), "filename": "timeline-events.csv"}
    figure = timeline_figure(view, lanes=lanes or "status")
    if button == ids.EXPORT_HTML:
        return {"content": figure_html(figure), "filename": "timeline.html"}
    image_format = IMAGE_BUTTONS[button]
    data = figure_image(figure, image_format)
    return {"content": base64.b64encode(data).decode(), "filename": f"timeline.{image_format}", "base64": True}


def table_csv(view) -> str:
    """The selected events as CSV, cells neutralised against spreadsheet formulas."""
    return csv_text(EVENT_COLUMNS, json_rows(view))
