"""Cache entries are written atomically, and a torn or foreign one is a miss, never a wrong page."""

from __future__ import annotations

import os

from conftest import files, post
from stufen.incremental.store import Cache


def test_an_entry_appears_whole_or_not_at_all(tmp_path):
    cache = Cache(tmp_path)
    key = Cache.key(b"post bytes", "settings")
    cache.put(key, {"html": "<p>x</p>" * 1000})
    (entry,) = [p for p in (tmp_path / "posts").rglob("*") if p.is_file()]
    assert entry.name == f"{key}.pickle"  # written to a temporary name, then renamed: no leftovers
    assert Cache(tmp_path).get(key) == {"html": "<p>x</p>" * 1000}


def test_torn_empty_or_foreign_entries_are_misses(tmp_path):
    key = Cache.key(b"post bytes")
    Cache(tmp_path).put(key, ("a post", 1))
    (entry,) = (tmp_path / "posts").rglob("*.pickle")
    whole = entry.read_bytes()
    for torn in (whole[: len(whole) // 2], b"", b"\x80\x05garbage", b"not a pickle at all"):
        entry.write_bytes(torn)
        cache = Cache(tmp_path)
        assert cache.get(key) is None and cache.misses == 1
        cache.put(key, ("a post", 1))  # the next build simply writes it again
        assert Cache(tmp_path).get(key) == ("a post", 1)


def test_a_build_over_torn_entries_and_a_killed_writers_leftovers_is_byte_identical(site, stufen):
    root = site({f"content/posts/p{n}.md": post(f"P{n}", description="d", body=f"Body {n}.\n\n```python\nx = {n}\n```")
                 for n in range(4)})
    assert stufen(root, "build", "--no-cache")[0] == 0
    expected = files(root / "_site")
    assert stufen(root, "build")[0] == 0
    entries = sorted((root / ".stufen-cache/posts").rglob("*.pickle"))
    assert len(entries) == 4
    for n, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) * n // 4])  # 0, ¼, ½ and ¾ of an entry
        entry.with_suffix(".tmp99999").write_bytes(data[:7])  # as a SIGKILLed build leaves a half-written temp file
    for source in (root / "content/posts").iterdir():  # same bytes, newer mtime: a real build, not "up to date"
        os.utime(source, ns=(source.stat().st_mtime_ns + 10**9,) * 2)
    code, out, err = stufen(root, "build")
    assert (code, err) == (0, "") and out.startswith("Built 4 posts"), out
    assert files(root / "_site") == expected
