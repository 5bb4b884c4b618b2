"""Shared browser fixtures: real headless Chromium (Debian's) driven by Playwright, and two ways to serve a site.

`browser` is launched once per session; `page` is a fresh tab per test;
`serve_site(root)` builds a site folder and serves it with the watcher on, like
`stufen serve --watch`, on a free port, and returns the site's address;
`demo_site`/`demo_url` are the demo journal built once and served as GitHub Pages would
(tests/browser/demo.py builds and serves).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from conftest import FIXED_NOW  # tests/conftest.py: the pinned clock
from stufen.config import load_config
from stufen.serve.command import open_preview
from stufen.serve.http import open_server
from stufen.serve.watch import Watcher

from .demo import build_demo, serve_folder

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
        site, _ = open_preview(root)
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


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo journal as `stufen build` writes it (clock pinned as in every test)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", FIXED_NOW)
        return build_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def demo_url(demo_site):
    server, root = serve_folder(demo_site)
    yield root
    server.shutdown()
