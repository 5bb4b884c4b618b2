"""Property tests: whatever a post file holds, Stufen answers with a Post or its own content errors.

Random front matter (known and unknown keys, every YAML type, control characters,
huge values, deep nesting) and random Markdown must never raise, and every
problem must name the file. The profile is derandomized so CI runs the same
examples every time; the deadline is a generous per-input time bound (growth
with input size is measured by bench/growth.py, not asserted here).
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_files
from stufen.cli import main
from stufen.content import KNOWN_KEYS, Settings, load_post
from stufen.errors import ContentError

SOURCE = PurePosixPath("content/posts/random.md")
# STUFEN_FUZZ=5000 pytest tests/unit/test_hostile_input.py searches deeper, with fresh random examples.
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
    assert main(["-C", str(root), "build", "--no-cache"]) in (0, 1)
