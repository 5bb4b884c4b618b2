"""Search in real headless Chromium: the index answers from the built site, also under a base path."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from stufen.cli import main

pytestmark = pytest.mark.browser
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


def search(page, url: str, query: str) -> list[str]:
    page.goto(url)
    page.fill("#search-input", query)
    page.wait_for_function("document.getElementById('search-status').textContent !== ''")
    return page.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.getAttribute('href'))")


def test_typing_hesse_lists_the_seed_post(browser, tmp_path):
    server, root = serve_folder(build_demo(tmp_path))
    try:
        page = browser.new_page()
        assert search(page, root + "search/", "Hesse") == ["/posts/diving-into-machine-learning/"]
        assert "Hesse" in page.inner_text("#search-results mark")
        assert page.inner_text("#search-status") == "1 post found"
        assert search(page, root + "search/", "zzzzqqq") == []
        assert page.inner_text("#search-status") == "No posts found for “zzzzqqq”."
    finally:
        server.shutdown()


def test_slash_opens_search_and_cjk_posts_are_found_under_a_base_path(browser, tmp_path):
    cjk = ("---\ntitle: 机器学习入门\npubDatetime: 2024-01-01\ndescription: 中文\n---\n"
           "我今天开始学习深度学习和神经网络。日本語の文章も検索できます。한국어 검색도 됩니다.\n")
    site = build_demo(tmp_path, "https://user.github.io/journal/", {"cjk.md": cjk})
    server, root = serve_folder(site, "/journal/")
    try:
        page = browser.new_page()
        page.goto(root + "posts/numpy-first-steps/")
        page.keyboard.press("/")
        page.wait_for_url(root + "search/")
        for query in ("神经", "深度学习", "検索", "검색"):
            assert search(page, root + "search/", query) == ["/journal/posts/cjk/"], query
        assert search(page, root + "search/", "broadcasting") == ["/journal/posts/numpy-first-steps/"]
        page.goto(root + "search/?q=Hesse")
        page.wait_for_function("document.getElementById('search-status').textContent !== ''")
        assert page.input_value("#search-input") == "Hesse"
    finally:
        server.shutdown()
