"""Shared by `make screenshots` and `make audit`: build the demo into a temp folder and serve it."""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

from stufen.cli import main

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


def build_demo() -> Path:
    """The demo journal built from this checkout; the folder lives until the process ends."""
    tmp = Path(tempfile.mkdtemp(prefix="stufen-demo-"))
    for part in ("content", "static", "templates", "stufen.toml"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp / part)
    if main(["-C", str(tmp), "build"]) != 0:
        raise SystemExit("the demo does not build")
    return tmp / "_site"


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
