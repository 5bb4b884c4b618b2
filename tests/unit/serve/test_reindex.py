"""The search index while serving: refreshed in the background, after the reload, swapped in whole."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from conftest import post
from stufen.build import build
from stufen.config import load_config
from stufen.dates import now
from stufen.incremental.store import Store
from stufen.serve.command import SERVE_DIR, open_preview
from stufen.serve.live import Preview
from stufen.serve.reindex import Reindexer, refresh
from stufen.site.assemble import Mode


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def writer(files: dict[str, str], gate: threading.Event | None = None, ran: list | None = None):
    """An index job that writes `files` (after `gate` opens), as Pagefind writes its bundle."""
    def job(site: Path, output: Path) -> None:
        output.mkdir(parents=True)
        for name, text in files.items():
            (output / name).write_text(text)
            if gate is not None:
                assert gate.wait(10)
        if ran is not None:
            ran.append(files)
    return job


def test_refresh_swaps_in_a_whole_new_index_and_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "site"
    (folder / "pagefind").mkdir(parents=True)
    (folder / "pagefind/stale.pf_index").write_text("old")
    refresh(folder, writer({"pagefind.js": "new", "index.pf_index": "new"}))
    assert files_of(folder) == {"pagefind/pagefind.js": b"new", "pagefind/index.pf_index": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failing_index_keeps_the_old_one_and_is_reported(tmp_path):
    folder = tmp_path / "site"
    (folder / "pagefind").mkdir(parents=True)
    (folder / "pagefind/pagefind.js").write_text("old")

    def broken(site, output):
        output.mkdir()
        (output / "half").write_text("x")
        raise RuntimeError("Pagefind failed")

    said = []
    reindexer = Reindexer(folder, echo=said.append)
    reindexer.request(broken)
    assert reindexer.wait(10)
    assert files_of(folder) == {"pagefind/pagefind.js": b"old"}
    assert said == ["Search index not refreshed: Pagefind failed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_readers_see_the_old_index_until_the_new_one_is_complete(tmp_path):
    folder = tmp_path / "site"
    (folder / "pagefind").mkdir(parents=True)
    (folder / "pagefind/pagefind.js").write_text("old")
    gate = threading.Event()
    reindexer = Reindexer(folder)
    reindexer.request(writer({"pagefind.js": "new", "entry.json": "new"}, gate))
    assert not reindexer.wait(0.2)  # running, held at the gate with one file written
    assert files_of(folder) == {"pagefind/pagefind.js": b"old"}
    gate.set()
    assert reindexer.wait(10)
    assert files_of(folder) == {"pagefind/pagefind.js": b"new", "pagefind/entry.json": b"new"}


def test_requests_during_a_run_collapse_into_one_more_run_with_the_latest_job(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    gate, ran = threading.Event(), []
    reindexer = Reindexer(folder)
    reindexer.request(writer({"v": "1"}, gate, ran))
    for version in "234":
        reindexer.request(writer({"v": version}, gate, ran))
    reindexer.request(None)  # a build that changed no page owes no index
    gate.set()
    assert reindexer.wait(10)
    assert ran == [{"v": "1"}, {"v": "4"}] and reindexer.runs == 2
    assert files_of(folder) == {"pagefind/v": b"4"}


def test_the_index_starts_only_after_the_browsers_were_told_and_never_delays_them(tmp_path):
    gate, seen = threading.Event(), []

    def slow_index(site, output):
        seen.append(live.state()["version"])  # the reload was already announced
        assert gate.wait(10)  # Pagefind "running" for as long as the test likes
        output.mkdir()

    reindexer = Reindexer(tmp_path)
    report = type("Report", (), {"format": lambda self: "Built", "changed": ("index.html",)})
    live = Preview(report, tmp_path, after=lambda _: reindexer.request(slow_index))
    assert live.rebuild() == "Built"  # returns while the index is still being made
    assert live.next_state(None, 0) == {"version": 1, "assets": 0, "error": None}
    assert not reindexer.wait(0.1)
    gate.set()
    assert reindexer.wait(10) and seen == [1]


def test_a_failed_build_asks_for_no_index(tmp_path):
    def failing():
        raise RuntimeError("bug")

    called = []
    live = Preview(failing, tmp_path, after=called.append)
    live.rebuild()
    assert live.error is not None and called == []


def test_served_index_matches_stufen_build_and_follows_edits(site):
    root = site({"content/posts/a.md": post("Alpha", "2024-01-01", "Hesse wrote Siddhartha.", description="A."),
                 "content/posts/b.md": post("Beta", "2024-02-01", "Nothing here.", description="B.")})
    live, reindexer = open_preview(root)
    live.rebuild()
    assert reindexer.wait(60) and reindexer.runs == 1
    served = root / SERVE_DIR / "pagefind"
    cold = root / "cold"
    build(load_config(root), mode=Mode(now(), drafts=True, future=True), cache=Store(None), out=cold)
    assert files_of(served) == files_of(cold / "pagefind")

    (root / "content/posts/b.md").write_text(post("Beta", "2024-02-01", "Now Hesse too.", description="B."))
    live.rebuild()
    assert reindexer.wait(60) and reindexer.runs == 2
    assert files_of(served) != files_of(cold / "pagefind")
    build(load_config(root), mode=Mode(now(), drafts=True, future=True), cache=Store(None), out=cold)
    assert files_of(served) == files_of(cold / "pagefind")

    (root / "static").mkdir()
    (root / "static/notes.txt").write_text("no page changed")
    live.rebuild()
    assert reindexer.wait(60) and reindexer.runs == 2  # nothing to index again


def test_a_burst_of_rebuilds_is_indexed_once_after_it_settles(tmp_path):
    runs = []
    reindexer = Reindexer(tmp_path, settle=0.3)

    def job(site, output):
        runs.append(time.monotonic())
        output.mkdir()

    last = 0.0
    for _ in range(3):  # saves 0.1 s apart, as an author's editor makes them
        reindexer.request(job)
        last = time.monotonic()
        time.sleep(0.1)
    assert reindexer.wait(10)
    assert len(runs) == 1 and runs[0] - last >= 0.3


def test_once_closed_it_runs_nothing_more_and_says_nothing(tmp_path):
    gate, said, ran = threading.Event(), [], []

    def dying(site, output):  # Pagefind killed by the Ctrl-C that stops the server
        assert gate.wait(10)
        raise RuntimeError("search index: Pagefind failed: ")

    reindexer = Reindexer(tmp_path, echo=said.append)
    reindexer.request(dying)
    reindexer.request(writer({"v": "2"}, ran=ran))  # waiting behind the run under way
    reindexer.close()
    reindexer.request(writer({"v": "3"}, ran=ran))
    gate.set()
    assert reindexer.wait(10)
    assert said == [] and ran == [] and reindexer.runs == 1


def test_closing_drops_a_job_waiting_for_the_edits_to_settle(tmp_path):
    ran = []
    reindexer = Reindexer(tmp_path, settle=30)
    reindexer.request(writer({"v": "1"}, ran=ran))
    reindexer.close()
    assert reindexer.wait(5) and ran == []


def test_a_site_with_nothing_to_index_gets_an_empty_index_without_a_complaint(site):
    """No posts (and a template override): Pagefind is given no page, and writes no folder to swap in."""
    root = site({"templates/404.html": "{% extends 'base.html' %}{% block content %}<p>Lost.</p>{% endblock %}"})
    (root / "content/posts").mkdir(parents=True)
    said = []
    live, reindexer = open_preview(root, echo=said.append)
    live.rebuild()
    assert live.error is None
    assert reindexer.wait(60) and reindexer.runs == 1
    assert said == []
    assert list((root / SERVE_DIR / "pagefind").iterdir()) == []
    assert not any(p.name.endswith("pagefind-new") for p in (root).iterdir())
