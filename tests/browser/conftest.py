"""One Chromium per test module, and the demo journal built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXED_NOW  # tests/conftest.py: the pinned clock

from .demo import CHROMIUM, build_demo, serve_folder


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
