"""Memoised render + incremental write: fast rebuilds that are byte-identical to cold builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import post
from stufen.build import Session, build
from stufen.config import load_config
from stufen.dates import now
from stufen.errors import ConfigError
from stufen.incremental.store import STAMPS_FILE, Store
from stufen.output.write import MARKER
from stufen.serve.reindex import refresh
from stufen.site.assemble import Mode
from stufen.theme import theme_dir


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def journal(site):
    return site({
        "stufen.toml": 'title = "T"\nposts_per_page = 2\n',
        "content/posts/a.md": post("Alpha", "2024-01-01", "Alpha body.", tags='["one"]', description="A."),
        "content/posts/b.md": post("Beta", "2024-02-01", "Beta body.", tags='["two"]', description="B."),
        "content/posts/c.md": post("Gamma", "2024-03-01", "Gamma body.", tags='["two"]', description="C."),
        "content/posts/d.md": post("Delta", "2024-04-01", "Delta body.", tags='["three"]', description="D."),
    })


class Serving:
    """Builds like the dev server's: one store and one session across rebuilds."""

    def __init__(self, root: Path):
        self.root, self.cache, self.memo = root, Store(None), Session()
        self.out = root / ".stufen-serve"

    def build(self):
        report = build(load_config(self.root), mode=Mode(now()), cache=self.cache, out=self.out, session=self.memo)
        if self.memo.index is not None:  # as the server does, after the reload
            refresh(self.out, self.memo.index)
        return report

    def rebuild_after(self, rel: str, old: str, new: str) -> list[str]:
        """Build, replace `old` by `new` in one file, rebuild: the URLs the rebuild rendered."""
        self.build()
        path = self.root / rel
        path.write_text(path.read_text().replace(old, new))
        self.build()
        return sorted(self.memo.rendered)


def cold(root: Path, out: str, cache: Store | None = None) -> dict[str, bytes]:
    build(load_config(root), mode=Mode(now()), cache=cache or Store(None), out=root / out)
    return files_of(root / out)


def test_cold_cached_and_incremental_builds_are_byte_identical(journal):
    session = Serving(journal)
    session.build()
    disk = Store(journal / ".stufen-cache")
    assert files_of(session.out) == cold(journal, "cold") == cold(journal, "warm-up", disk)
    edit = journal / "content/posts/b.md"
    edit.write_text(edit.read_text().replace("Beta", "Bravo"))
    (journal / "content/posts/d.md").unlink()
    (journal / "content/posts/e.md").write_text(post("Echo", "2024-05-01", "Echo.", tags='["one"]', description="E."))
    report = session.build()
    assert 0 < report.written < report.files
    assert files_of(session.out) == cold(journal, "cold2") == cold(journal, "cached", disk)
    assert (disk.hits, disk.misses) == (2, 6)  # the second cold build re-parsed only b and e


def test_second_build_renders_and_writes_nothing(journal):
    session = Serving(journal)
    first = session.build()
    assert len(session.memo.rendered) == first.pages and first.written == first.files
    again = session.build()
    assert session.memo.rendered == [] and again.written == 0
    assert again.format().endswith(f"(0 written, {again.files} unchanged)")


def test_body_edit_rerenders_only_pages_that_hold_the_post(journal):
    rendered = Serving(journal).rebuild_after("content/posts/a.md", "Alpha body.", "Alpha body, revised.")
    # a is the oldest post: home (recent posts), its page, its newer neighbour b, the second posts page,
    # its tag, the archives. Pages that only link to it re-render too: their context holds the whole post.
    assert rendered == ["/", "/archives/", "/posts/2/", "/posts/a/", "/posts/b/", "/tags/one/"]


def test_title_edit_reaches_lists_and_neighbours_but_not_unrelated_posts(journal):
    session = Serving(journal)
    rendered = session.rebuild_after("content/posts/d.md", "Delta", "Delta, renamed")
    assert rendered == ["/", "/archives/", "/posts/", "/posts/c/", "/posts/d/", "/tags/three/"]
    assert "Delta, renamed" in (session.out / "posts/c/index.html").read_text()


def test_template_change_rerenders_only_pages_using_it(journal):
    session = Serving(journal)
    first = session.build()
    override = journal / "templates/tags.html"
    override.parent.mkdir()
    override.write_text((theme_dir() / "templates/tags.html").read_text().replace("</h1>", " (all)</h1>", 1))
    session.build()
    assert session.memo.rendered == ["/tags/"]
    override.write_text(override.read_text().replace(" (all)", " (every one)"))
    session.build()
    assert session.memo.rendered == ["/tags/"]
    assert "(every one)" in (session.out / "tags/index.html").read_text()
    base = journal / "templates/base.html"
    base.write_text((theme_dir() / "templates/base.html").read_text().replace("<body>", "<body class=x>"))
    session.build()
    assert len(session.memo.rendered) == first.pages


def test_config_change_rerenders_everything(journal):
    session = Serving(journal)
    first = session.build()
    (journal / "stufen.toml").write_text('title = "New title"\nposts_per_page = 2\n')
    session.build()
    assert len(session.memo.rendered) == first.pages
    assert "New title" in (session.out / "posts/a/index.html").read_text()


def test_removed_post_leaves_no_stale_files_or_folders(journal):
    session = Serving(journal)
    session.build()
    assert (session.out / "posts/d/index.html").exists()
    (journal / "content/posts/d.md").unlink()
    session.build()
    assert not (session.out / "posts/d").exists()
    assert (session.out / MARKER).exists()


def test_incremental_write_still_refuses_a_folder_it_did_not_make(journal):
    session = Serving(journal)
    session.build()
    (session.out / MARKER).unlink()
    with pytest.raises(ConfigError, match="it was not made by Stufen"):
        session.build()


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    cache, path = Store(None), tmp_path / "a.md"
    path.write_bytes(b"one")
    key = cache.file_key(path, "settings")
    assert key == Store.key("settings", b"one")
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    assert cache.file_key(path, "settings") == key and reads == []
    assert cache.file_key(path, "other settings") == Store.key("other settings", b"one") and reads == [path]
    path.write_bytes(b"two!")
    assert cache.file_key(path, "other settings") == Store.key("other settings", b"two!")


def test_the_next_build_trusts_the_stamps_this_one_kept(tmp_path, monkeypatch):
    """A `stufen build` process starts with the stamps the last one kept, so it reads only changed files."""
    store_folder, one, two = tmp_path / "store", tmp_path / "one.md", tmp_path / "two.md"
    one.write_bytes(b"one")
    two.write_bytes(b"two")
    first = Store(store_folder)
    keys = [first.file_key(path, "settings") for path in (one, two)]
    first.keep_stamps([one, two])
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    two.write_bytes(b"TWO")
    second = Store(store_folder)
    assert second.file_key(one, "settings") == keys[0] and reads == []
    assert second.file_key(two, "settings") == Store.key("settings", b"TWO") and reads == [two]
    monkeypatch.setattr("stufen.incremental.store.build_id", lambda: "another Stufen")
    assert Store(store_folder).file_key(one, "settings") and reads == [two, one]  # another Stufen's stamps: not trusted
    (store_folder / STAMPS_FILE).write_bytes(b"\x80\x05 torn")
    assert Store(store_folder).file_key(one, "settings") and reads == [two, one, one]  # unreadable: every file read


def test_a_first_about_page_or_series_rerenders_every_page_with_its_link(journal):
    session = Serving(journal)
    first = session.build()
    (journal / "content/about.md").write_text("---\ntitle: Me\n---\nHi.\n")
    edit = journal / "content/posts/a.md"
    edit.write_text(edit.read_text().replace("tags:", "series: Basics\ntags:"))
    session.build()
    assert len(session.memo.rendered) > first.pages  # every page, plus /about/ and the series pages
    home = (session.out / "index.html").read_text()
    assert '<a href="/about/">About</a>' in home and '<a href="/series/">Series</a>' in home
    assert files_of(session.out) == cold(journal, "cold")


def test_a_build_without_a_session_keeps_no_post_in_memory(journal):
    """`stufen build` lets go of the posts once the pages are written (their bodies are most of its
    memory); the next build reads them back from the store on disk, parsing none again."""
    disk = Store(journal / ".stufen-cache")
    first = cold(journal, "first", disk)
    assert disk.memory == {} and disk.misses == 4
    assert cold(journal, "second", disk) == first and (disk.hits, disk.misses) == (4, 4)
