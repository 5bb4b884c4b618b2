"""Store entries are written atomically and sealed: a torn, edited or foreign one is a miss, never a wrong page."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from conftest import files, post
from stufen.incremental.entries import StoredHtml, entry_parts, write_parts
from stufen.incremental.store import Store
from stufen.load.post import Settings, load_post


def parsed(body: str):
    source = PurePosixPath("content/posts/a.md")
    return load_post(post("A", description="d", body=body).encode(), source, Settings())


def store_post(cache: Store, key: str, value) -> None:
    write_parts(cache.entry("posts", key), *entry_parts(value, ((), 0)))


def test_an_entry_appears_whole_or_not_at_all(tmp_path):
    cache = Store(tmp_path)
    key = Store.key(b"post bytes", "settings")
    value = parsed("x " * 1000)
    store_post(cache, key, value)
    (entry,) = [p for p in (tmp_path / "posts").rglob("*") if p.is_file()]
    assert entry.name == key  # written to a temporary name, then renamed: no leftovers
    assert Store(tmp_path).get(key) == value
    left = Store(tmp_path).get(key, bodies=False)  # stufen build's: the body stays in the entry
    assert type(left[0].html) is StoredHtml and left[0].body_html() == value[0].html


def test_torn_empty_or_foreign_entries_are_misses(tmp_path):
    key = Store.key(b"post bytes")
    value = parsed("Some text.")
    store_post(Store(tmp_path), key, value)
    (entry,) = [p for p in (tmp_path / "posts").rglob("*") if p.is_file()]
    whole = entry.read_bytes()
    flipped = whole[:-1] + bytes([whole[-1] ^ 1])  # one bit of the body changed in place: same size, wrong content
    in_head = bytearray(whole)
    in_head[40] ^= 1  # one bit of the head
    for torn in (whole[: len(whole) // 2], b"", b"\x80\x05garbage", b"not a pickle at all", flipped, bytes(in_head)):
        entry.write_bytes(torn)
        cache = Store(tmp_path)
        assert cache.get(key) is None and cache.misses == 1
        if torn is not flipped:
            assert Store(tmp_path).get(key, bodies=False) is None
        store_post(cache, key, value)  # the next build simply writes it again
        assert Store(tmp_path).get(key) == value


def test_a_build_over_torn_entries_and_a_killed_writers_leftovers_is_byte_identical(site, stufen):
    root = site({f"content/posts/p{n}.md": post(f"P{n}", description="d", body=f"Body {n}.\n\n```python\nx = {n}\n```")
                 for n in range(4)})
    assert stufen(root, "build", "--no-cache")[0] == 0
    expected = files(root / "_site")
    assert stufen(root, "build")[0] == 0
    entries = sorted(p for p in (root / ".stufen-cache/posts").rglob("*") if p.is_file())
    assert len(entries) == 4
    for n, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) * n // 4])  # 0, ¼, ½ and ¾ of an entry
        leftover = entry.with_name(f".{entry.name}.stufen-tmp99999")  # as a SIGKILLed build leaves it
        leftover.write_bytes(data[:7])
    for source in (root / "content/posts").iterdir():  # same bytes, newer mtime: a real build, not "up to date"
        os.utime(source, ns=(source.stat().st_mtime_ns + 10**9,) * 2)
    code, out, err = stufen(root, "build")
    assert (code, err) == (0, "") and out.startswith("Built 4 posts"), out
    assert files(root / "_site") == expected


def test_the_build_id_follows_the_code_bytes_not_their_times(tmp_path):
    """Two installs of the same source (a fresh CI checkout, a reinstall) share one cache."""
    import shutil
    import subprocess
    import sys

    import stufen

    def build_id(tree: Path) -> str:
        code = "from stufen.incremental.buildid import build_id; print(build_id())"
        return subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(tree)},
                              capture_output=True, text=True, check=True).stdout.strip()

    copy = tmp_path / "install" / "stufen"
    shutil.copytree(Path(stufen.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = build_id(copy.parent)
    assert before == build_id(Path(stufen.__file__).parents[1])
    for path in copy.rglob("*.py"):
        os.utime(path, ns=(path.stat().st_mtime_ns + 10**10,) * 2)
    assert build_id(copy.parent) == before
    (copy / "report.py").write_text((copy / "report.py").read_text() + "\n# edited\n")
    assert build_id(copy.parent) != before
