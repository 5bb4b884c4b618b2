"""Search stage: the index language, the index itself, and the search page."""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from conftest import post
from stufen.content import Settings, load_post
from stufen.search import index_language


def loaded(title: str, body: str = "Text."):
    text = post(title, description="d", body=body)
    return load_post(text.encode(), PurePosixPath("content/posts/x.md"), Settings())[0]


def test_index_language_follows_the_posts():
    latin = [loaded("Hello"), loaded("Hallo", "Grüße")]
    assert index_language("auto", "en-GB", latin) == "en"
    assert index_language("auto", "en", [*latin, loaded("机器学习")]) == "zh"
    assert index_language("auto", "en", [*latin, loaded("Notes", "ひらがなの文章")]) == "zh"
    assert index_language("auto", "de", [*latin, loaded("한국어")]) == "de"  # Korean is split on spaces
    assert index_language("fr", "en", [loaded("机器学习")]) == "fr"


def test_build_writes_one_index_and_a_search_page(site, stufen):
    root = site({"content/posts/a.md": post("Alpha", description="d", body="Hermann Hesse"),
                 "content/posts/b.md": post("机器学习入门", description="d", body="深度学习")})
    code, _, err = stufen(root, "build")
    assert code == 0, err
    entry = json.loads((root / "_site/pagefind/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh"]
    assert entry["languages"]["zh"]["page_count"] == 2  # posts only, not lists or tags
    page = (root / "_site/search/index.html").read_text()
    assert 'data-bundle="/pagefind/"' in page and "<noscript>" in page
    assert 'id="search-link" aria-keyshortcuts="/ Control+K"' in page


def test_search_can_be_turned_off(site, stufen):
    root = site({"stufen.toml": "search = false\n", "content/posts/a.md": post("Alpha", description="d")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/pagefind").exists()
    assert not (root / "_site/search").exists()
    assert "Search" not in (root / "_site/index.html").read_text()


def test_an_index_is_reused_until_a_post_page_changes(site, stufen, monkeypatch):
    from stufen import search
    runs = []
    real = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda *args: (runs.append(args), real(*args)))
    root = site({"content/posts/a.md": post("Alpha", description="d", body="Hermann Hesse"),
                 "stufen.toml": 'title = "One"\n'})
    assert stufen(root, "build")[0] == 0
    entry = (root / "_site/pagefind/pagefind-entry.json").read_bytes()
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 1  # nothing changed: the cached index is linked in
    assert (root / "_site/pagefind/pagefind-entry.json").read_bytes() == entry
    (root / "content/posts/a.md").write_text(post("Alpha", description="d", body="Hermann Hesse, Stufen"))
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 2  # a post's page changed: indexed again
    (root / "content/posts/b.md").write_text(post("Beta", description="d"))
    assert stufen(root, "build")[0] == 0
    assert len(list((root / ".stufen-cache/pagefind").iterdir())) == search.KEEP  # old indexes pruned
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert len(runs) == 4  # --no-cache means no cached index either
