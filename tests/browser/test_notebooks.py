"""The demo notebook post in real headless Chromium: its image file loads, its table is styled, no script runs."""

from __future__ import annotations

import pytest

from .conftest import build_demo, serve_folder

pytestmark = pytest.mark.browser


def test_notebook_post_shows_its_outputs(browser, tmp_path):
    server, url = serve_folder(build_demo(tmp_path))
    try:
        page = browser.new_page(color_scheme="dark")
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(url + "posts/least-squares-notebook/")
        page.wait_for_load_state("networkidle")
        image = page.eval_on_selector(".nb-image", "i => [i.complete, i.naturalWidth, i.getAttribute('src')]")
        assert image == [True, 480, "/posts/least-squares-notebook/cell6-1.png"]
        cell = page.eval_on_selector(".dataframe tbody td", "td => getComputedStyle(td).textAlign")
        assert cell == "right"
        assert page.eval_on_selector_all(".nb-outputs script, .nb-outputs style", "found => found.length") == 0
        assert "ValueError: matmul" in page.inner_text(".nb-error")
        assert "\x1b" not in page.inner_text(".nb-error")
        assert errors == []
    finally:
        server.shutdown()
