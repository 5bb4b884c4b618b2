"""Property tests: whatever a post file holds, Stufen answers with a Post or its own content errors.

Random front matter (known and unknown keys, every YAML type, control characters,
huge values, deep nesting) and random Markdown must never raise, and every
problem must name the file. The profile is derandomized so CI runs the same
examples every time; the deadline is a generous per-input time bound (growth
with input size is measured by bench/growth.py, not asserted here).
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import PurePosixPath

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import write_files
from stufen.cli import main
from stufen.errors import ContentError
from stufen.load.post import KNOWN_KEYS, Settings, load_post

SOURCE = PurePosixPath("content/posts/random.md")
# STUFEN_FUZZ=5000 pytest tests/unit/load/test_hostile_input.py searches deeper, with fresh random examples.
FUZZ = int(os.environ.get("STUFEN_FUZZ", "0"))
QUICK = settings(max_examples=FUZZ or 100, derandomize=not FUZZ, database=None, deadline=2000,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Any text without surrogates (a UTF-8 file cannot hold them), control characters included.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(min_value=-10**40, max_value=10**40)
           | st.floats() | TEXT | st.text(max_size=1).map(lambda ch: ch * 20_000)
           | st.dates() | st.datetimes())
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(TEXT, inner, max_size=4), max_leaves=30)
KEYS = st.sampled_from(KNOWN_KEYS) | TEXT
FRONT_MATTER = st.dictionaries(KEYS, VALUES, max_size=8)
# Markdown built from the characters its syntax reacts to, plus anything else.
MARKUP = st.sampled_from(["#", "*", "_", "`", "```", "$", "$$", "[", "]", "(", ")", "!", "<", ">", "|", "-",
                          "\n", "\n\n", "    ", "\t", "\\", "&", "<script>", "</", "~~~", ":", "1.", "[^1]",
                          "## Table of contents\n", "<details>", "http://x.y/", "\r"])
MARKDOWN = st.lists(MARKUP | TEXT, max_size=60).map("".join)


def check_answer(data: bytes) -> None:
    post, problems = load_post(data, SOURCE, Settings())
    assert all(isinstance(p, ContentError) and p.path == SOURCE for p in problems)
    assert all(isinstance(p.format(), str) for p in problems)
    if post is None:
        assert any(not p.warning for p in problems), "no post and no error saying why"
    else:
        assert isinstance(post.html, str) and post.source == SOURCE


def document(meta: dict, body: str) -> bytes:
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) if meta else ""
    return f"---\n{text}---\n{body}".encode("utf-8", "surrogatepass")


@QUICK
@given(FRONT_MATTER, MARKDOWN)
def test_random_front_matter_gives_a_post_or_content_errors(meta, body):
    check_answer(document(meta, body))


@QUICK
@given(MARKDOWN)
def test_random_markdown_body_gives_a_post_or_content_errors(body):
    check_answer(document({"title": "T", "pubDatetime": "2024-05-01", "description": "d"}, body))


@QUICK
@given(st.lists(MARKUP | TEXT | st.sampled_from(["---", "\n---\n", ": ", "- ", "{", "[", "&a", "*a", "!!"]),
                max_size=40).map("".join), MARKDOWN)
def test_random_yaml_text_gives_a_post_or_content_errors(yaml_text, body):
    check_answer(f"---\n{yaml_text}\n---\n{body}".encode())


CONTROLS = {*map(chr, range(0x20)), *map(chr, range(0x7f, 0xa0))} - {"\t", "\n"}


@QUICK
@given(st.dictionaries(st.sampled_from(["title", "description", "author", "series", "slug", "ogImage",
                                        "canonicalURL"]), TEXT, min_size=1), st.lists(TEXT, max_size=3), TEXT)
def test_no_control_character_of_the_front_matter_reaches_a_post(texts, tags, track):
    meta = {"title": "T", "pubDatetime": "2024-05-01", **texts, "tags": tags, "music": {"title": track, "url": track}}
    post, _ = load_post(document(meta, "Hi."), SOURCE, Settings())
    if post is not None:
        shown = [post.title, post.description, post.author, post.series or "", post.slug, post.og_image or "",
                 post.canonical_url or "", *(t.name for t in post.tags), *(f"{m.title}{m.url}" for m in post.music)]
        assert not CONTROLS & set("".join(shown))


@QUICK
@given(st.binary(max_size=300))
def test_random_bytes_give_a_post_or_content_errors(data):
    check_answer(b"---\ntitle: T\npubDatetime: 2024-05-01\n---\n" + data)
    check_answer(data)


@settings(QUICK, max_examples=FUZZ // 10 or 12, deadline=None)
@given(FRONT_MATTER, MARKDOWN)
def test_random_post_in_a_whole_build_never_raises(tmp_path_factory, meta, body):
    """The other stages (assemble, feeds, OG cards, templates) see whatever load let through."""
    root = write_files(tmp_path_factory.mktemp("site"), {
        "stufen.toml": 'base_url = "https://example.org/blog/"\nsearch = false\n',
        "content/posts/good.md": "---\ntitle: Good\npubDatetime: 2024-05-01\ndescription: d\n---\nHi.\n"})
    (root / "content/posts/random.md").write_bytes(document(meta, body))
    # 2: a stufen.toml error (edit_url and socials are checked by routes.url_problem since issue 16)
    assert main(["-C", str(root), "build", "--no-cache"]) in (0, 1, 2)


# Addresses as authors mistype them: placeholders in hosts, full-width delimiters, tabs, brackets, controls.
URL = st.lists(st.sampled_from(["https://", "http://", "//", "/", "mailto:", "[", "]", "[::1]", "TODO", ":", "@",
                                "#", "?", "%", "%zz", "..", "／", "＃", "℀", "\t", " ", "\n", "\x00", "&amp;", "'",
                                '"', "<", ">", "x", "posts", "a.png"]) | TEXT, max_size=8).map("".join)


def toml_string(text: str) -> str:
    return '"' + "".join(ch if " " <= ch <= "~" and ch not in '"\\' else f"\\U{ord(ch):08X}" for ch in text) + '"'


MISTYPED = ["https://[TODO]/", "http://[::1/", "https://ex＃ample.org/", "/\t/[x", " //[x]/", "https://a:b:c@[x/"]


@settings(QUICK, max_examples=FUZZ // 10 or 15, deadline=None)
@given(st.lists(st.sampled_from(MISTYPED) | URL, min_size=8, max_size=8))
@example([MISTYPED[0]] * 8)
@example(MISTYPED[1:] + MISTYPED[:3])
def test_random_urls_in_every_field_that_holds_one_never_raise(tmp_path_factory, urls):
    """Links, raw HTML href/src, ogImage, canonicalURL, music, edit_url and socials: a build or a report."""
    link, raw, image, og, canonical, track, edit, social = urls
    attr = raw.replace("&", "&amp;").replace('"', "&quot;")
    body = (f"[a]({link}) ![i]({image}) <a href=\"{attr}\">b</a> <img src='{attr}'>\n\n"
            f"<div><a href=\"{attr}\"></a></div>\n")
    meta = {"title": "T", "pubDatetime": "2024-05-01", "description": "d", "ogImage": og, "canonicalURL": canonical,
            "music": {"title": "Song", "url": track}}
    root = write_files(tmp_path_factory.mktemp("site"), {
        "stufen.toml": f'base_url = "https://example.org/blog/"\nsearch = false\nedit_url = {toml_string(edit)}\n'
                       f"[socials]\nhome = {toml_string(social)}\n"})
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/random.md").write_bytes(document(meta, body))
    # 2: a stufen.toml error (edit_url and socials are checked by routes.url_problem since issue 16)
    assert main(["-C", str(root), "build", "--no-cache"]) in (0, 1, 2)


# Notebooks: random JSON shaped like a notebook (cells of every kind, odd sources, outputs and metadata).
NB_SOURCE = PurePosixPath("content/posts/random.ipynb")
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=10)
CELL_SOURCE = MARKDOWN | st.lists(MARKDOWN, max_size=3) | JSON_VALUES
OUTPUT = st.fixed_dictionaries({"output_type": st.sampled_from(["stream", "display_data", "execute_result", "error"])
                                | TEXT}, optional={
    "name": st.sampled_from(["stdout", "stderr"]) | TEXT, "text": CELL_SOURCE, "metadata": JSON_VALUES,
    "data": st.dictionaries(st.sampled_from(["text/plain", "text/html", "text/markdown", "image/png",
                                             "image/svg+xml", "application/javascript"]) | TEXT, CELL_SOURCE,
                            max_size=3),
    "ename": TEXT, "evalue": TEXT, "traceback": st.lists(TEXT, max_size=3), "execution_count": JSON_VALUES})
CELL = st.fixed_dictionaries({"cell_type": st.sampled_from(["markdown", "code", "raw"]) | TEXT,
                              "source": CELL_SOURCE, "metadata": st.just({}) | JSON_VALUES}, optional={
    "outputs": st.lists(OUTPUT, max_size=3) | JSON_VALUES, "execution_count": JSON_VALUES,
    "attachments": JSON_VALUES, "id": TEXT})
FRONT_CELL = FRONT_MATTER.map(lambda meta: {"cell_type": "raw", "metadata": {},
                                            "source": "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---"})
NOTEBOOK = st.fixed_dictionaries({"cells": st.lists(CELL, max_size=4).flatmap(
    lambda cells: st.one_of(st.just(cells), FRONT_CELL.map(lambda front: [front, *cells]))),
    "metadata": st.dictionaries(st.sampled_from(["stufen", "title", "language_info", "kernelspec"]) | TEXT,
                                JSON_VALUES | FRONT_MATTER, max_size=3),
    "nbformat": st.just(4) | JSON_VALUES, "nbformat_minor": st.sampled_from([4, 5]) | JSON_VALUES})


@QUICK
@given(NOTEBOOK)
def test_random_notebook_gives_a_post_or_content_errors(notebook):
    import json

    post, problems = load_post(json.dumps(notebook, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass"),
                               NB_SOURCE, Settings())
    assert all(isinstance(p, ContentError) and p.path == NB_SOURCE for p in problems)
    assert post is not None or any(not p.warning for p in problems), "no post and no error saying why"


# Shapes hypothesis rarely reaches: each must end, quickly, in a post or the file's own error.
FRONT = "---\ntitle: T\npubDatetime: 2024-05-01\ndescription: d\n"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(  # 10⁹ items, by reference
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8))
EXTREMES = {
    "alias bomb kept in extra": FRONT + LAUGHS + "---\nHi.\n",
    "alias bomb as title": FRONT.replace("title: T\n", "") + LAUGHS + "title: *i\n---\nHi.\n",
    "alias bomb as tags": FRONT + LAUGHS + "tags: *i\n---\nHi.\n",
    "alias bomb as music": FRONT + LAUGHS + "music: *i\n---\nHi.\n",
    "5,000-digit number": FRONT + "seriesOrder: " + "1" * 5000 + "\n---\nHi.\n",
    "20,000-bit hex number": FRONT + "seriesOrder: 0x" + "f" * 5000 + "\n---\nHi.\n",
    "YAML nested 5,000 deep": FRONT + "x: " + "[" * 5000 + "]" * 5000 + "\n---\nHi.\n",
    "YAML block nested 2,000 deep": FRONT + "x:\n" + "".join(" " * i + "- \n" for i in range(1, 2000)) + "---\n",
    "quotes nested 20,000 deep": FRONT + "---\n" + ">" * 20_000 + " x\n",
    "lists nested 1,000 deep": FRONT + "---\n" + "".join("  " * i + "- x\n" for i in range(1000)),
    "HTML nested 20,000 deep": FRONT + "---\n" + "<div>" * 20_000 + "\n",
    "LaTeX nested 5,000 deep": FRONT + "---\n$" + "{" * 5000 + "}" * 5000 + "$\n",
    "40,000 quotes in one paragraph": FRONT + "---\n" + "<span a='" * 40_000 + "\n",
    "20,000 headings with one title": FRONT + "---\n" + "## Step\n\n" * 20_000,
    "2 MB title": FRONT.replace("title: T", "title: " + "x" * 2_000_000) + "---\nHi.\n",
    "2 MB key": FRONT + '"' + "k" * 2_000_000 + '": 1\n---\nHi.\n',
}


@pytest.mark.parametrize("name", EXTREMES)
def test_extreme_shapes_end_in_a_post_or_content_errors(name):
    with time_limit(20):  # a hang fails here, not the whole run; speed itself is bench/growth.py's job
        check_answer(EXTREMES[name].encode())


BROKEN_NOTEBOOKS = {
    "empty object": b"{}",
    "cells nested 100,000 deep": b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "metadata nested 900 deep": b'{"cells": [], "metadata": {"stufen": ' + b"[" * 900 + b"]" * 900 + b"}}",
    # nbformat's own converters raised UnboundLocalError / AssertionError on these
    "nbformat true": b'{"cells": [{"cell_type": "markdown", "source": "", "metadata": {}}], "metadata": {}, '
                     b'"nbformat": true, "nbformat_minor": 4}',
    "nbformat_minor null": b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": null}',
}


@pytest.mark.parametrize("name", BROKEN_NOTEBOOKS)
def test_broken_notebooks_are_content_errors(name):
    with time_limit(20):
        post, problems = load_post(BROKEN_NOTEBOOKS[name], NB_SOURCE, Settings())
    assert post is None and [p.path for p in problems] == [NB_SOURCE]


@contextlib.contextmanager
def time_limit(seconds: int):
    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
