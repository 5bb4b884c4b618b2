"""Search in real headless Chromium: the index answers from the built site, also under a base path."""

from __future__ import annotations

import pytest

from .demo import build_demo, serve_folder

pytestmark = pytest.mark.browser


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
        page.evaluate("window.samePage = true; document.activeElement.blur()")
        for key in ("/", "Control+k"):  # on the search page: back to the field, the query and results kept
            page.keyboard.press(key)
            assert page.evaluate("document.activeElement.id") == "search-input", key
            page.evaluate("document.activeElement.blur()")
        assert page.evaluate("window.samePage") is True and page.url == root + "search/?q=Hesse"
        assert page.input_value("#search-input") == "Hesse"
        assert page.eval_on_selector_all("#search-results li > a", "links => links.length") == 1
    finally:
        server.shutdown()


def test_results_come_from_every_shard_of_a_split_index(browser, tmp_path, monkeypatch):
    from stufen import routes
    monkeypatch.setattr(routes, "SHARD_POSTS", 2)  # the demo's posts, and these, over several shards
    extra = {f"shard-{n}.md": f"---\ntitle: Shard note {n}\npubDatetime: 2024-01-0{n + 1}\ndescription: d\n---\n"
                              f"Quaternion rotation, part {n}.\n" for n in range(4)}
    site = build_demo(tmp_path, None, extra)
    shards = int((site / "search/index.html").read_text().split('data-shards="')[1].split('"')[0])
    assert shards > 3
    server, root = serve_folder(site)
    try:
        page = browser.new_page()
        found = search(page, root + "search/", "quaternion")
        assert {f"/posts/shard-{n}/" for n in range(4)} <= set(found), found
        assert search(page, root + "search/", "Hesse") == ["/posts/diving-into-machine-learning/"]
    finally:
        server.shutdown()
