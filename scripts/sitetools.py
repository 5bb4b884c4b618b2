"""Shared by `make screenshots` and `make audit`: build the demo into a temp folder and serve it."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
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


COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".webmanifest", ".txt"}


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` as GitHub Pages does: text gzipped for clients that accept it."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if (path.suffix not in COMPRESSED or not path.is_file()
                    or "gzip" not in self.headers.get("Accept-Encoding", "")):
                return super().send_head()
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return io.BytesIO(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
