"""A minimal client of a running dashboard's callbacks over HTTP (127.0.0.1 only), for the benchmarks.

It reads the page's callback list (/_dash-dependencies) and posts callback requests as the
browser does, so the benchmarks measure the real server path.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_dashboard(args: list[str], env: dict | None = None, timeout: float = 300) -> tuple[subprocess.Popen, str]:
    """`timeline serve ARGS` on a free loopback port, once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", *args, "--port", str(port)], cwd=ROOT,
                               env=dict(os.environ, **(env or {})), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None:
                raise SystemExit("the dashboard exited at start-up")
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the dashboard did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()


class Callbacks:
    """The callbacks of a running dashboard, callable by the id.property of their first output."""

    def __init__(self, base: str):
        self.base = base
        with urllib.request.urlopen(f"{base}/_dash-dependencies", timeout=30) as response:
            self.specs = [s for s in json.load(response) if not s.get("clientside_function")]

    def spec(self, first_output: str) -> dict:
        return next(s for s in self.specs if s["output"].strip(".").split("...")[0].split("@")[0] == first_output)

    def body(self, first_output: str, inputs: dict, state: dict | None = None) -> bytes:
        """The JSON a browser posts for one callback: input and state values by 'id.property'."""
        spec = self.spec(first_output)
        state = state or {}
        return json.dumps({
            "output": spec["output"],
            "outputs": [_prop(o) for o in spec["output"].strip(".").split("...")] if "..." in spec["output"]
            else _prop(spec["output"]),
            "inputs": [dict(i, value=inputs.get(f"{i['id']}.{i['property']}")) for i in spec["inputs"]],
            "state": [dict(s, value=state.get(f"{s['id']}.{s['property']}")) for s in spec["state"]],
            "changedPropIds": [f"{i['id']}.{i['property']}" for i in spec["inputs"][:1]],
        }).encode()

    def call(self, first_output: str, inputs: dict, state: dict | None = None, timeout: float = 600) -> dict:
        """Post one callback request and return its JSON answer."""
        request = urllib.request.Request(f"{self.base}/_dash-update-component",
                                         data=self.body(first_output, inputs, state),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text else {}


def _prop(output: str) -> dict:
    identifier, prop = output.rsplit(".", 1)
    return {"id": identifier, "property": prop.split("@")[0]}
