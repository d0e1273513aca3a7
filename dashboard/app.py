"""The dashboard: an explorable timeline with provenance, filters, exports and uploads.

The page is assembled from its panels (view, detail, exports, uploads), each a module with
its layout and the callbacks that serve it.  It is served by waitress (a production WSGI
server) with security headers; article text is always rendered as text, never as HTML.
"""

from __future__ import annotations

import signal
from pathlib import Path

from dash import Dash, dcc, html

from dashboard import detail, exports, ids, uploads, view

DEFAULT_FRAME_ANCESTORS = "'self'"
SERVER_THREADS = 8


def load_timeline(corpus: list[Path] | None):
    """A `timeline build` output folder is served where it lies (checked against its record, queried
    through DuckDB); anything else is built (the seeds by default)."""
    from dashboard.store import TimelineStore
    from timeline.build import build
    from timeline.corpus import seeds_dir
    from timeline.outputs import RECORD_NAME

    if corpus and len(corpus) == 1 and Path(corpus[0]).is_dir() and (
            (Path(corpus[0]) / RECORD_NAME).exists() or (Path(corpus[0]) / "events.json").exists()):
        print(f"reading the timeline built in {corpus[0]}", flush=True)
        return TimelineStore.of_build(Path(corpus[0]))
    print(f"building the timeline of {', '.join(map(str, corpus)) if corpus else 'the seed articles'} ...", flush=True)
    return TimelineStore(build(corpus or [seeds_dir()]))


def build_app(result=None, corpus: list[Path] | None = None, frame_ancestors: str = DEFAULT_FRAME_ANCESTORS,
              upload_workers: int = uploads.DEFAULT_WORKERS) -> Dash:
    """The Dash app over a built timeline (built from `corpus`, or the seeds, when not given)."""
    from dashboard.store import TimelineStore

    store = TimelineStore(result) if result is not None else load_timeline(corpus)
    queue = uploads.UploadQueue(store, workers=upload_workers)
    app = Dash(__name__, title="timeline", suppress_callback_exceptions=True)
    app.server.config["MAX_CONTENT_LENGTH"] = uploads.MAX_REQUEST_BYTES
    app.layout = page_layout(store)
    view.register(app, store)
    detail.register(app, store)
    exports.register(app, store)
    uploads.register(app, store, queue)
    secure(app, frame_ancestors)
    app.timeline_store, app.upload_queue = store, queue
    return app


def page_layout(store) -> html.Div:
    label = {"fontSize": "0.8rem", "color": "#444"}
    return html.Div([
        html.H2("Event timeline"),
        html.P(id=ids.SUMMARY, style=label),
        view.filters_layout(store), exports.layout(), view.chart_layout(),
        html.Div([
            html.Div([html.H3("Events"), html.P(id=ids.GRID_NOTE, style=label), view.grid_layout()],
                     style={"flex": "3"}),
            html.Div([html.H3("Event detail"), detail.layout()], style={"flex": "2", "minWidth": "20rem"}),
        ], style={"display": "flex", "gap": "1rem", "flexWrap": "wrap"}),
        uploads.layout(),
        dcc.Store(id=ids.SELECTED_EVENT), dcc.Store(id=ids.STORE_VERSION, data=store.version), dcc.Store(id=ids.ZOOM),
    ], style={"fontFamily": "system-ui, sans-serif", "margin": "1rem", "maxWidth": "110rem"})


def content_security_policy(app: Dash, frame_ancestors: str) -> str:
    """A policy Dash works under (checked in Chromium with no violation): its own scripts, inline ones by
    hash, plotly's WebGL, nothing loaded from elsewhere, no plugins, forms or workers."""
    return "; ".join([
        "default-src 'none'",
        # plotly.js's WebGL traces (regl) compile shader code with Function(): 'unsafe-eval'.
        "script-src " + " ".join(["'self'", *app.csp_hashes(), "'unsafe-eval'"]),
        # Dash, its date picker and dropdowns, ag-grid and plotly inject <style> elements and set styles.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",  # ag-grid's icons, plotly's image export of a WebGL chart
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
        f"frame-ancestors {frame_ancestors}",
    ])


def secure(app: Dash, frame_ancestors: str) -> None:
    """Security headers on every response; who may embed the page in a frame is configurable."""
    policy = {}
    # Older browsers read X-Frame-Options only; it cannot list other origins.
    frame_options = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(frame_ancestors.strip())

    @app.server.after_request
    def add_headers(response):
        if "csp" not in policy:  # the hashes are known once every callback is registered
            policy["csp"] = content_security_policy(app, frame_ancestors)
        response.headers["Content-Security-Policy"] = policy["csp"]
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if frame_options:
            response.headers["X-Frame-Options"] = frame_options
        return response


def run(host: str = "127.0.0.1", port: int = 8050, corpus: list[Path] | None = None,
        frame_ancestors: str = DEFAULT_FRAME_ANCESTORS, upload_workers: int = uploads.DEFAULT_WORKERS,
        threads: int = SERVER_THREADS) -> None:
    """Build the timeline (the seeds by default) and serve the page with waitress."""
    from waitress import serve

    app = build_app(corpus=corpus, frame_ancestors=frame_ancestors, upload_workers=upload_workers)
    # `kill` ends the server as Ctrl-C does, so uploaded files and workers are cleaned up at exit.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(f"timeline dashboard: http://{host}:{port}/", flush=True)
    try:
        serve(app.server, host=host, port=port, threads=threads, ident="timeline",
              max_request_body_size=uploads.MAX_REQUEST_BYTES)
    except KeyboardInterrupt:
        pass
    finally:
        app.upload_queue.close()
