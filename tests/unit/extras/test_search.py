"""Search stage: the index language, the index itself, and the search page."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import PurePosixPath

import pytest

from conftest import files, post
from stufen.extras.search import index_language, shard_of
from stufen.load.post import Settings, load_post
from stufen.routes import MAX_SHARDS, shard_count


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


def test_a_build_scans_for_chinese_and_japanese_only_the_posts_the_last_build_did_not(site, stufen, monkeypatch):
    from stufen.extras import search

    root = site({"content/posts/a.md": post("Alpha", description="d", body="Hermann Hesse"),
                 "content/posts/b.md": post("Beta", description="d", body="Stufen")})
    assert stufen(root, "build")[0] == 0
    scanned = []
    scan = search._cjk_post
    monkeypatch.setattr(search, "_cjk_post", lambda p: scanned.append(p.title) or scan(p))
    (root / "content/posts/b.md").write_text(post("Beta", description="d", body="Stufen, edited"))
    assert stufen(root, "build")[0] == 0
    assert sorted(scanned) == ["Alpha", "Beta"]  # a cold build fingerprints nothing, so it remembered nothing
    scanned.clear()
    (root / "content/posts/b.md").write_text(post("Beta", description="d", body="Stufen, 深度学习"))
    assert stufen(root, "build")[0] == 0
    assert scanned == ["Beta"]  # the unchanged post's answer came with the last build's record
    entry = json.loads((root / "_site/pagefind/0/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh"]  # …and the edited one turned the index Chinese
    (root / "content/posts/b.md").write_text(post("Beta", description="d", body="Stufen"))
    assert stufen(root, "build")[0] == 0
    entry = json.loads((root / "_site/pagefind/0/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]


def test_build_writes_one_index_and_a_search_page(site, stufen):
    root = site({"content/posts/a.md": post("Alpha", description="d", body="Hermann Hesse"),
                 "content/posts/b.md": post("机器学习入门", description="d", body="深度学习")})
    code, _, err = stufen(root, "build")
    assert code == 0, err
    entry = json.loads((root / "_site/pagefind/0/pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["zh"]
    assert entry["languages"]["zh"]["page_count"] == 2  # posts only, not lists or tags
    page = (root / "_site/search/index.html").read_text()
    assert 'data-bundle="/pagefind/" data-shards="1"' in page and "<noscript>" in page
    assert not list((root / "_site/pagefind").rglob("pagefind-ui.js"))  # Pagefind's own UI is not shipped
    assert 'id="search-link" aria-keyshortcuts="/ Control+K"' in page


def test_search_can_be_turned_off(site, stufen):
    root = site({"stufen.toml": "search = false\n", "content/posts/a.md": post("Alpha", description="d")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/pagefind").exists()
    assert not (root / "_site/search").exists()
    assert "Search" not in (root / "_site/index.html").read_text()


def test_shards_are_stable_and_balanced():
    sizes = (0, 1, 50, 51, 100, 101, 1000, 100_000)
    assert [shard_count(n) for n in sizes] == [1, 1, 1, 2, 2, 3, MAX_SHARDS, MAX_SHARDS]
    paths = [f"posts/post-{n}/index.html" for n in range(1000)]
    counts = Counter(shard_of(path, 10) for path in paths)
    assert sorted(counts) == list(range(10)) and max(counts.values()) < 140
    assert shard_of("posts/post-7/index.html", 10) == shard_of("posts/post-7/index.html", 10)


def test_each_shard_is_reindexed_only_when_its_pages_change(site, stufen, monkeypatch):
    from stufen import routes
    from stufen.extras import search
    monkeypatch.setattr(routes, "SHARD_POSTS", 2)  # 5 posts → 3 shards
    runs = []
    real = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda *args: (runs.append(args), real(*args)))
    files = {f"content/posts/p{n}.md": post(f"Post {n}", description="d", body=f"Body {n} Hesse") for n in range(5)}
    root = site(files)
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 3
    assert 'data-shards="3"' in (root / "_site/search/index.html").read_text()
    entries = [json.loads((root / f"_site/pagefind/{n}/pagefind-entry.json").read_text()) for n in range(3)]
    assert sum(e["languages"]["en"]["page_count"] for e in entries) == 5
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 3  # nothing changed: every shard is linked from the cache
    (root / "content/posts/p3.md").write_text(post("Post 3", description="d", body="Body 3, edited"))
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 4  # one post changed: only its shard is indexed again
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert len(runs) == 7  # --no-cache: no cached index either
    assert not (root / "_site/.pagefind-scratch").exists()


def test_shards_index_one_at_a_time_when_two_would_not_fit_the_memory_budget(site, stufen, monkeypatch):
    """Pagefind's memory grows with the pages of its shard: shards run side by side only while their
    estimates fit `PAGEFIND_MEMORY` together, and the index is the same either way."""
    import threading
    import time

    from stufen import routes
    from stufen.extras import search
    monkeypatch.setattr(routes, "SHARD_POSTS", 2)  # 6 posts → 3 shards
    lock, running, most = threading.Lock(), [0], [0]
    real = search._run_pagefind

    def counted(*args):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)  # wide enough for a second shard to start beside it, if allowed
        try:
            return real(*args)
        finally:
            with lock:
                running[0] -= 1
    monkeypatch.setattr(search, "_run_pagefind", counted)
    from stufen.incremental import pool
    monkeypatch.setattr(pool, "cores", lambda: 2)
    files = {f"content/posts/p{n}.md": post(f"Post {n}", description="d", body=f"Body {n} Hesse") for n in range(6)}
    root = site(files)
    monkeypatch.setattr(search, "PAGEFIND_MEMORY", search.PAGEFIND_BASE)  # one shard's worth: one at a time
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert most[0] == 1
    one_at_a_time = _index_files(root)
    monkeypatch.setattr(search, "PAGEFIND_MEMORY", 4 * search.PAGEFIND_BASE)  # small shards: two at once
    most[0] = 0
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert most[0] == 2
    assert _index_files(root) == one_at_a_time


def _index_files(root) -> dict[str, bytes]:
    folder = root / "_site/pagefind"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_site_without_posts_builds_with_the_search_cache_on(site, stufen):
    """Nothing to index makes no shard and no cache folder; pruning that folder must not fail."""
    root = site({"content/about.md": "---\ntitle: Me\n---\nHi.\n"})
    (root / "content/posts").mkdir()  # an empty posts folder: a journal yet to start (no folder is an error)
    assert stufen(root, "build")[0] == 0
    assert (root / "_site/search/index.html").is_file()


def shard_site(site, monkeypatch, runs: list):
    """Five posts in three shards and an about page (editing it rebuilds the site but no shard); Pagefind's
    runs are counted in `runs`."""
    from stufen import routes
    from stufen.extras import search
    monkeypatch.setattr(routes, "SHARD_POSTS", 2)
    real = search._run_pagefind
    monkeypatch.setattr(search, "_run_pagefind", lambda *args: (runs.append(args), real(*args)))
    files = {f"content/posts/p{n}.md": post(f"Post {n}", description="d", body=f"Body {n} Hesse") for n in range(5)}
    return site({**files, "content/about.md": "---\ntitle: About\n---\nHi.\n"})


def edit_about(root, n: int) -> None:
    (root / "content/about.md").write_text(f"---\ntitle: About\n---\nHi, edit {n}.\n")


def shard_files(folder) -> dict[str, int]:
    """The search index of a site: each file by path → its inode."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.glob("pagefind/**/*"))
            if p.is_file()}


def assert_store_apart(root) -> None:
    """No file of the store is a file of the site or of its spare: a hand edit cannot reach the store."""
    stored = {p.stat().st_ino for p in (root / ".stufen-cache").rglob("*") if p.is_file()}
    published = {p.stat().st_ino for folder in (root / "_site", root / "._site.stufen-spare") if folder.exists()
                 for p in folder.rglob("*") if p.is_file()}
    assert stored and published and not stored & published


def test_an_unchanged_shard_is_linked_from_the_live_site_not_read_from_the_store(site, stufen, monkeypatch):
    runs = []
    root = shard_site(site, monkeypatch, runs)
    assert stufen(root, "build")[0] == 0
    first, index = shard_files(root / "_site"), files(root / "_site/pagefind")
    assert len(runs) == 3 and {path.split("/")[1] for path in first} == {"0", "1", "2"}
    for stored in (root / ".stufen-cache/shards").glob("*/*.json"):  # read from the store, they would not pass
        stored.write_bytes(b"{}")
    for n in range(1, 3):
        edit_about(root, n)
        assert stufen(root, "build")[0] == 0
        assert len(runs) == 3  # no shard indexed again, though the store's are now damaged
        assert shard_files(root / "_site") == first  # the very files of the last site: linked
        assert files(root / "_site/pagefind") == index
        assert_store_apart(root)


@pytest.mark.parametrize("edit", [lambda data: bytes([data[0] ^ 1]) + data[1:], lambda data: data + b" "],
                         ids=["same size", "other size"])
def test_a_shard_edited_in_the_live_site_is_copied_from_the_store(site, stufen, monkeypatch, edit):
    runs = []
    root = shard_site(site, monkeypatch, runs)
    assert stufen(root, "build")[0] == 0
    before, index = shard_files(root / "_site"), files(root / "_site/pagefind")
    edited = root / "_site/pagefind/1/pagefind-entry.json"
    with open(edited, "r+b") as handle:  # in place: the same inode, a new mtime
        data = handle.read()
        handle.seek(0)
        handle.write(edit(data))
    edit_about(root, 1)
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 3  # the store's copy was intact: nothing indexed again
    assert files(root / "_site/pagefind") == index
    after = shard_files(root / "_site")
    for path, inode in before.items():  # shard 1 copied whole from the store; the others linked
        assert (after[path] == inode) == (not path.startswith("pagefind/1/")), path
    assert_store_apart(root)


def test_a_restored_site_is_linked_once_its_bytes_are_checked(site, stufen, monkeypatch):
    """A site restored from a CI cache (every file a copy: new inodes and mtimes, another marker) is trusted by its
    bytes: an intact shard is linked from it, one whose bytes differ (at the same size) is copied from the store."""
    runs = []
    root = shard_site(site, monkeypatch, runs)
    assert stufen(root, "build")[0] == 0
    index = files(root / "_site/pagefind")
    shutil.copytree(root / "_site", root / "restored", copy_function=shutil.copyfile)
    shutil.rmtree(root / "_site")
    (root / "restored").rename(root / "_site")
    tampered = root / "_site/pagefind/2/pagefind-entry.json"
    tampered.write_bytes(bytes([tampered.read_bytes()[0] ^ 1]) + tampered.read_bytes()[1:])
    restored = shard_files(root / "_site")
    edit_about(root, 1)
    assert stufen(root, "build")[0] == 0
    assert len(runs) == 3
    assert files(root / "_site/pagefind") == index
    after = shard_files(root / "_site")
    for path, inode in restored.items():
        assert (after[path] == inode) == (not path.startswith("pagefind/2/")), path
    assert_store_apart(root)


def test_an_index_of_linked_and_copied_shards_is_a_cold_builds(site, stufen, monkeypatch, tmp_path):
    """Builds one after the other (through the recycled spare, shards linked from the site before): shards added,
    dropped, edited, and search turned off and on again leave exactly the files and folders of a cold build."""
    runs = []
    root = shard_site(site, monkeypatch, runs)

    def tree(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
                for p in sorted(folder.glob("pagefind/**/*"))}

    def build_and_compare(n):
        assert stufen(root, "build")[0] == 0
        cold = tmp_path / f"cold{n}"
        shutil.copytree(root, cold, ignore=shutil.ignore_patterns("_site", ".*"))
        assert stufen(cold, "build")[0] == 0
        assert tree(root / "_site") == tree(cold / "_site")
        assert_store_apart(root)

    build_and_compare(0)
    for n in range(5, 8):  # 8 posts: 4 shards
        (root / f"content/posts/p{n}.md").write_text(post(f"Post {n}", description="d", body=f"Body {n}"))
    build_and_compare(1)
    for n in range(1, 7):  # 2 posts: one shard
        (root / f"content/posts/p{n}.md").unlink()
    build_and_compare(2)
    (root / "content/posts/p7.md").write_text(post("Post 7", description="d", body="Body 7, edited"))
    build_and_compare(3)
    (root / "stufen.toml").write_text("search = false\n")
    build_and_compare(4)
    (root / "stufen.toml").write_text("search = true\n")
    for n in range(1, 5):
        (root / f"content/posts/p{n}.md").write_text(post(f"Post {n}", description="d", body=f"Body {n} again"))
    build_and_compare(5)
    edit_about(root, 1)
    build_and_compare(6)
