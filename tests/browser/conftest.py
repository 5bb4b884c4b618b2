"""Browser test helpers: Debian's Chromium via Playwright, a static server, the demo journal built."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from stufen.cli import main

REPO = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    from playwright import sync_api as playwright  # a dev dependency: missing means a broken setup, not a skip
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        yield chromium
        chromium.close()


def serve_folder(folder: Path, mount: str = "/"):
    """Serve `folder` at http://127.0.0.1:<port><mount>, as GitHub Pages serves a project site."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            path = path.split("?")[0]
            inner = "/" + path[len(mount):] if path.startswith(mount) else "/__outside__"
            return super().translate_path(inner)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{mount}"


def build_demo(tmp: Path, base_url: str | None = None, extra_posts: dict[str, str] | None = None) -> Path:
    for part in ("content", "static", "templates", "stufen.toml"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp / part)
    if base_url:
        toml = (tmp / "stufen.toml").read_text().replace('base_url = "https://stufen-demo.github.io/"',
                                                          f'base_url = "{base_url}"')
        (tmp / "stufen.toml").write_text(toml)
    for name, text in (extra_posts or {}).items():
        (tmp / "content/posts" / name).write_text(text, encoding="utf-8")
    assert main(["-C", str(tmp), "build"]) == 0
    return tmp / "_site"
