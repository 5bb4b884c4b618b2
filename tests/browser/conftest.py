"""Shared browser fixtures: real headless Chromium (Debian's) driven by Playwright, and two ways to serve a site.

`browser` is launched once per session; `page` is a fresh tab per test;
`serve_site(root)` builds a site folder and serves it with the watcher on, like
`stufen serve --watch`, on a free port, and returns the site's address;
`serve_folder` serves a finished `stufen build` as GitHub Pages would.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from stufen.cli import main
from stufen.config import load_config
from stufen.devsite import live_site
from stufen.httpd import open_server
from stufen.watch import Watcher

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright  # a dev dependency: missing means a broken setup, not a skip

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def demo_journal(tmp_path) -> Path:
    """A copy of the repository's demo journal (it holds the seed post), safe to edit."""
    root = tmp_path / "journal"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "stufen.toml", root / "stufen.toml")
    return root


@pytest.fixture
def serve_site():
    """serve_site(root) → "http://127.0.0.1:PORT/base/": built, served and watched until the test ends."""
    running = []

    def start(root: Path) -> str:
        site, _ = live_site(root)
        site.rebuild()
        server = open_server(site, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        watcher = Watcher(root, site.rebuild, load_config(root).content_dir)
        running.append((site, server, watcher))
        return f"http://127.0.0.1:{server.server_address[1]}{site.base_path}"

    yield start
    for site, server, watcher in running:
        watcher.stop()
        site.close()
        server.shutdown()
        server.server_close()


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
