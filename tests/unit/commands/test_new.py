"""`stufen new "Title"`: a complete post in the site's timezone; an existing file is never overwritten."""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from conftest import post
from stufen.load.post import Settings, load_post


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
    assert err == ("Error: content/posts/hello.md already exists; choose another title, give the post its own "
                   "with --slug, or edit that file\n")
    assert (root / "content/posts/hello.md").read_text() == "mine\n"


def test_new_needs_a_title(site, stufen):
    code, out, err = stufen(site({}), "new", "  ")
    assert code == 2 and "the title is empty" in err


def test_new_refuses_a_url_another_post_has_even_a_draft_and_takes_a_slug(site, stufen):
    taken = "content/posts/2023-08-11-diving-into-machine-learning.md"
    root = site({taken: post("Diving in", draft="true"),
                 "content/posts/notes.md": post("Notes", slug="backprop-by-hand"),
                 "content/posts/lab.ipynb": notebook(slug="a-lab")})
    before = sorted(p.name for p in (root / "content/posts").iterdir())
    assert stufen(root, "new", "Diving into Machine Learning") == (1, "", (
        f"Error: {taken} already has the URL /posts/diving-into-machine-learning/; choose another title, "
        "or give the post its own with --slug\n"))
    assert stufen(root, "new", "Backprop by Hand")[2] == (
        "Error: content/posts/notes.md already has the URL /posts/backprop-by-hand/; choose another title, "
        "or give the post its own with --slug\n")
    assert stufen(root, "new", "A Lab")[2].startswith(
        "Error: content/posts/lab.ipynb already has the URL /posts/a-lab/;")
    assert sorted(p.name for p in (root / "content/posts").iterdir()) == before
    code, out, err = stufen(root, "new", "Diving into Machine Learning", "--slug", "Diving in, again")
    assert (code, out, err) == (0, "content/posts/diving-in-again.md\n", "")
    assert 'title: "Diving into Machine Learning"' in (root / "content/posts/diving-in-again.md").read_text()
    assert stufen(root, "new", "X", "--slug", " ")[0] == 2


def notebook(**keys) -> str:
    meta = {"stufen": {"title": "Lab", "pubDatetime": "2024-05-01", **keys}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": meta, "cells": []})
