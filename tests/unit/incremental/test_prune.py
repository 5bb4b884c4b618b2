"""Pruning the store: a whole `stufen build` drops what neither it nor the build before it used."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import post
from stufen.incremental import prune
from stufen.serve.command import Builder

KINDS = ("posts", "cards", "shards", "images")


def journal(site, search: bool = False) -> Path:
    return site({
        "stufen.toml": f'title = "T"\nsearch = {str(search).lower()}\n',
        **{f"content/posts/p{n}.md": post(f"Post {n}", f"2024-0{n + 1}-01T09:00:00Z", f"Body {n}.",
                                          description=f"D{n}.") for n in range(4)},
        "content/posts/draft.md": post("A draft", "2024-06-01T09:00:00Z", "Not yet.", description="D.",
                                       draft="true"),
    })


def entries(root: Path) -> set[str]:
    """Every entry of the store, as kind/key."""
    store = root / ".stufen-cache"
    found = {f"{kind}/{p.name}" for kind in ("posts", "cards", "images") for p in (store / kind).glob("*/*")}
    return found | {f"shards/{p.name}" for p in (store / "shards").glob("*")}


def retitle(root: Path, n: int, title: str) -> None:
    """An edit that changes a post and its card: new entries for both."""
    (root / "content/posts/p1.md").write_text(post(title, "2024-02-01T09:00:00Z", f"Body {n}.", description="D1."))


def build(stufen, root: Path) -> set[str]:
    code, out, err = stufen(root, "build")
    assert code == 0, out + err
    return entries(root)


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def test_entries_of_old_edits_disappear_and_a_following_build_is_still_fully_cached(site, stufen):
    root = journal(site, search=True)
    first = build(stufen, root)
    assert {e.split("/")[0] for e in first} == {"posts", "cards", "shards"}
    retitle(root, 2, "Second title")
    second = build(stufen, root)
    new_in_second = second - first
    assert {e.split("/")[0] for e in new_in_second} == {"posts", "cards", "shards"}
    retitle(root, 3, "Third title")
    third = build(stufen, root)
    gone = first - third
    assert {e.split("/")[0] for e in gone} == {"posts", "cards", "shards"}  # the first version: used since by no build
    assert len(gone) == len(new_in_second)  # one of each kind per version
    assert new_in_second <= third  # the previous build's stay: undoing the last edit is free
    retitle(root, 4, "Fourth title")
    fourth = build(stufen, root)
    assert new_in_second.isdisjoint(fourth) and third - fourth == new_in_second
    before = inodes(root / "_site")
    for path in (root / "content").rglob("*"):  # same bytes, new mtimes: a real build, all of it from the store
        os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    fifth = build(stufen, root)
    assert fifth <= fourth  # nothing made again
    assert fourth - fifth == third - second  # only the third version's, two builds old now
    after = inodes(root / "_site")
    assert [p for p in after if p.endswith(".html") and after[p] != before.get(p)] == []  # every page linked


def test_a_failed_build_prunes_nothing(site, stufen):
    root = journal(site)
    build(stufen, root)
    retitle(root, 2, "Second")
    build(stufen, root)
    retitle(root, 3, "Third")
    (root / "content/posts/broken.md").write_text("---\ntitle: [\n---\n")
    stored = entries(root)
    assert stufen(root, "build")[0] == 1
    assert entries(root) >= stored and (root / ".stufen-cache" / prune.MARK).exists()
    (root / "content/posts/broken.md").unlink()
    assert len(stored - build(stufen, root)) == 2  # the first version's post and card, once a build succeeds


def test_the_dev_server_beside_a_build_keeps_what_it_uses_and_builds_after_a_prune(site, stufen):
    root = journal(site)
    build(stufen, root)
    retitle(root, 2, "Second")
    build(stufen, root)
    cli = entries(root)
    server = Builder(root)  # drafts shown: it stores the draft's card, which `stufen build` never draws
    server()
    drafts = entries(root) - cli
    assert [e.split("/")[0] for e in drafts] == ["cards"]
    retitle(root, 3, "Third")
    assert drafts <= build(stufen, root)  # written by the server after the previous build started: kept
    retitle(root, 4, "Fourth")
    assert drafts.isdisjoint(build(stufen, root))  # used by nothing since: gone
    (root / "content/posts/draft.md").write_text(post("A draft, edited", "2024-06-01T09:00:00Z", "Not yet.",
                                                      description="D.", draft="true"))
    report = server()  # the server's store lost entries under it: it builds on
    assert report.posts == 5
    assert "A draft, edited" in (root / ".stufen-serve/posts/draft/index.html").read_text()
