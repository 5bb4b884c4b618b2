"""The watcher: one rebuild per burst of real file events, none for temp files or reads."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import warnings

import pytest

from stufen.serve.watch import Debouncer, Watcher, is_temp_file


@pytest.mark.parametrize("name", [
    ".#post.md", "#post.md#",  # Emacs: lock file, auto-save file
    "post.md~", ".post.md.swp", ".post.md.swx", ".post.md.swo", "4913", "5036", "12345",  # Vim: backup, swap, probe
    "post.md.tmp", ".goutputstream-AB12",  # GNOME's atomic save
    "post.md___jb_tmp___", "post.md___jb_old___",  # JetBrains' safe write
    "post.md.bak", "image.png.part", "image.png.crdownload",  # backups, downloads in progress
])
def test_editor_temp_files_are_ignored(name):
    assert is_temp_file(f"/site/content/posts/{name}")


@pytest.mark.parametrize("name", ["post.md", "style.css", "stufen.toml", "base.html", "2024.md", "#1-notes.md",
                                  "c#", "#"])
def test_real_files_are_not_ignored(name):
    assert not is_temp_file(f"/site/content/{name}")


class Calls:
    def __init__(self):
        self.count, self.event = 0, threading.Event()

    def __call__(self):
        self.count += 1
        self.event.set()

    def settle(self, seconds: float = 0.4) -> int:
        """Wait for a first call (if any), then long enough for a wrongly doubled one."""
        self.event.wait(seconds)
        time.sleep(0.2)
        return self.count


def test_a_burst_of_pokes_is_one_call():
    calls = Calls()
    debouncer = Debouncer(calls, delay=0.05)
    try:
        for _ in range(50):
            debouncer.poke()
        assert calls.settle() == 1
        debouncer.poke()
        assert calls.settle() == 2
    finally:
        debouncer.stop()


@pytest.fixture
def watched(tmp_path):
    root = tmp_path / "site"
    for folder in ("content/posts", "templates", "static"):
        (root / folder).mkdir(parents=True)
    (root / "content/posts/a.md").write_text("one")
    (root / "stufen.toml").write_text('title = "T"\n')
    (root / "README.md").write_text("not a source")
    calls = Calls()
    watcher = Watcher(root, calls, delay=0.05)
    yield root, calls
    watcher.stop()


def test_an_atomic_save_is_one_rebuild(watched):
    root, calls = watched
    temp = root / "content/posts/.a.md.tmp"
    temp.write_text("two")
    os.replace(temp, root / "content/posts/a.md")
    (root / "content/posts/a.md~").write_text("backup")
    assert calls.settle() == 1


def test_several_files_at_once_are_one_rebuild(watched):
    root, calls = watched
    for name in ("b", "c", "d"):
        (root / f"content/posts/{name}.md").write_text(name)
    (root / "templates/base.html").write_text("<html>")
    (root / "static/x.css").write_text("x")
    assert calls.settle() == 1


def test_config_change_rebuilds(watched):
    root, calls = watched
    (root / "stufen.toml").write_text('title = "U"\n')
    assert calls.settle() == 1


def test_temp_files_reads_and_other_files_do_not_rebuild(watched):
    root, calls = watched
    (root / "content/posts/.#a.md").write_text("lock")
    (root / "content/posts/4913").write_text("")
    (root / "content/posts/5036").write_text("")
    (root / "content/posts/#a.md#").write_text("auto-save")
    (root / "content/posts/a.md").read_bytes()
    (root / "README.md").write_text("still not a source")
    (root / ".stufen-serve").mkdir()
    assert calls.settle(0.3) == 0


def test_stopping_while_files_change_logs_nothing(tmp_path, caplog):
    """watchdog logs "queue_events() called when the thread is inactive" when it is stopped mid-event."""
    (tmp_path / "content").mkdir()
    level = logging.getLogger("watchdog").level
    def write(done: threading.Event) -> None:
        n = 0
        while not done.is_set():
            (tmp_path / f"content/{n % 5}.md").write_text(str(n))
            n += 1

    for _ in range(10):
        watcher, writing = Watcher(tmp_path, lambda: None), threading.Event()
        writer = threading.Thread(target=write, args=(writing,))
        writer.start()
        time.sleep(0.02)
        watcher.stop()
        writing.set()
        writer.join()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("watchdog")] == []
    assert logging.getLogger("watchdog").level == level  # quiet only while stopping


def test_folders_and_config_made_after_watching_began_are_watched(tmp_path):
    root = tmp_path / "site"
    (root / "posts-elsewhere").mkdir(parents=True)
    calls = Calls()
    watcher = Watcher(root, calls, delay=0.05)
    try:
        for folder, name in (("templates", "base.html"), ("static", "x.css"), ("content/posts", "a.md")):
            (root / folder).mkdir(parents=True)
            first = calls.settle()
            assert first >= 1  # the new folder itself is a change
            (root / folder / name).write_text("one")
            assert calls.settle() == first + 1, folder  # …and what is written into it later too
        (root / "stufen.toml").write_text('title = "T"\n')
        assert calls.settle() == first + 2
        shutil.rmtree(root / "templates")
        (root / "templates").mkdir()
        settled = calls.settle()
        (root / "templates/post.html").write_text("again")
        assert calls.settle() == settled + 1  # a folder made anew is watched anew
    finally:
        watcher.stop()


def test_posts_moved_away_and_back_rebuild_without_a_warning(watched, tmp_path):
    root, calls = watched
    with warnings.catch_warnings(record=True) as seen:
        (root / "content/posts").rename(tmp_path / "posts")
        assert calls.settle(1.5) == 1
        (tmp_path / "posts").rename(root / "content/posts")
        assert calls.settle() == 2
        (root / "content/posts/b.md").write_text("new")
        assert calls.settle() == 3
    assert [str(w.message) for w in seen] == []
