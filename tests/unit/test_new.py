"""`stufen new "Title"`: a complete post in the site's timezone; an existing file is never overwritten."""

from __future__ import annotations

from pathlib import PurePosixPath

from stufen.content import Settings, load_post


def test_new_writes_a_post_that_loads(site, stufen):
    root = site({"stufen.toml": 'timezone = "Europe/Berlin"\n'})
    code, out, err = stufen(root, "new", "Über Backprop: Part 1")
    assert (code, out, err) == (0, "content/posts/uber-backprop-part-1.md\n", "")
    text = (root / "content/posts/uber-backprop-part-1.md").read_text()
    assert text.splitlines()[:8] == [
        "---",
        'title: "Über Backprop: Part 1"',
        'description: ""',
        "pubDatetime: 2026-01-01T01:00:00+01:00",  # the pinned clock, in Berlin
        "tags:",
        '  - "others"',
        "draft: true",
        "---",
    ]
    post, problems = load_post(text.encode(), PurePosixPath("content/posts/uber-backprop-part-1.md"), Settings())
    assert post.title == "Über Backprop: Part 1" and post.draft
    assert [p.message for p in problems] == ["no description; using the first paragraph"]


def test_new_never_overwrites(site, stufen):
    root = site({"content/posts/hello.md": "mine\n"})
    code, out, err = stufen(root, "new", "Hello")
    assert code == 1
    assert err == "Error: content/posts/hello.md already exists; choose another title or edit that file\n"
    assert (root / "content/posts/hello.md").read_text() == "mine\n"


def test_new_needs_a_title(site, stufen):
    code, out, err = stufen(site({}), "new", "  ")
    assert code == 2 and "the title is empty" in err
