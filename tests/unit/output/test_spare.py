"""The spare: `stufen build` fills the site it last replaced instead of a new folder (output.swap.FreshFolder)."""

from __future__ import annotations

import shutil

from conftest import files, post

POSTS = {f"content/posts/p{n}.md": post(f"Post {n}", date=f"2024-05-{n + 1:02}T09:00:00Z", description="d",
                                        body=f"Body {n}.", tags=f"[t{n % 2}]") for n in range(5)}
SPARE = "._site.stufen-spare"


def reference(root, stufen) -> dict[str, bytes]:
    """The site as a build from nothing makes it."""
    assert stufen(root, "build", "--no-cache", "--out", "ref")[0] == 0
    site = files(root / "ref")
    shutil.rmtree(root / "ref")
    shutil.rmtree(root / "._ref.stufen-spare", ignore_errors=True)
    return site


def edit(root, n: int, text: str) -> None:
    (root / f"content/posts/p{n}.md").write_text(POSTS[f"content/posts/p{n}.md"].replace(f"Body {n}.", text))


def test_a_build_into_the_spare_never_writes_through_a_page_it_shares_with_the_live_site(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    edit(root, 1, "First edit.")
    assert stufen(root, "build")[0] == 0  # the first site is now the spare; unchanged pages are links into it
    live = files(root / "_site")
    assert (root / SPARE / "posts/p3/index.html").stat().st_ino == (root / "_site/posts/p3/index.html").stat().st_ino
    edit(root, 3, "Second edit.")  # p3's page is shared by the live site and the spare: it must be replaced
    assert stufen(root, "build")[0] == 0
    assert files(root / SPARE) == live  # the site just replaced is intact: nothing was written through
    assert "Second edit." in (root / "_site/posts/p3/index.html").read_text()
    assert files(root / "_site") == reference(root, stufen)


def test_whatever_is_in_the_spare_the_build_makes_exactly_the_site(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    assert stufen(root, "build", "--drafts")[0] == 0  # another build, so a spare exists
    spare = root / SPARE
    (spare / "stray.html").write_text("left from an older site")
    (spare / "deep/er").mkdir(parents=True)
    (spare / "deep/er/file.txt").write_text("x")
    shutil.rmtree(spare / "posts/p2")
    (spare / "posts/p2").write_text("a file where the site has a folder")
    shutil.rmtree(spare / "tags")
    (spare / "tags").symlink_to(root / "content")  # a link must be removed, never followed
    (spare / "posts/p4/index.html").unlink()
    (spare / "posts/p4/index.html").mkdir()  # a folder where the site has a file
    (spare / "posts/p1/index.html").unlink()  # no longer the live page's file: the spare's own, stale
    (spare / "posts/p1/index.html").write_text("a page of another inode")
    (root / "content/posts/p0.md").unlink()  # and a post gone since
    code, _, err = stufen(root, "build")
    assert code == 0, err
    assert files(root / "_site") == reference(root, stufen)
    assert sorted(p.name for p in (root / "content/posts").iterdir()) == [f"p{n}.md" for n in range(1, 5)]
