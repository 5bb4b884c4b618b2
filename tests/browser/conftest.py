"""Shared browser fixtures: real headless Chromium (Debian's) driven by Playwright, and a live dev server.

`browser` is launched once per session; `page` is a fresh tab per test;
`serve_site(root)` builds a site folder and serves it with the watcher on, like
`stufen serve --watch`, on a free port, and returns the site's address.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from stufen.config import load_config
from stufen.devsite import SERVE_DIR, make_builder
from stufen.httpd import open_server
from stufen.serve import LiveSite
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
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

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
        site = LiveSite(make_builder(root), root / SERVE_DIR, load_config(root).base_path)
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
