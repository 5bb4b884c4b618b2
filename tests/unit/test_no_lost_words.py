"""Every word of every post reaches its page: content never vanishes silently.

The words of each input file are compared with the words of its built page. What an author writes
that is legitimately not text on the page is removed from the input by rule, not listed by hand:
front matter keys and values the page does not show, link and image URLs, reference labels, code
fence info strings, HTML tags and comments, formulas (shown as MathML), task-list boxes and
markdown-it's own typographic replacements. A word the page lacks, or holds fewer times, fails.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest
from markdown_it.rules_core.replacements import SCOPED_ABBR_RE

from conftest import post
from stufen.cli import main
from stufen.load.frontmatter import decode, split
from stufen.load.post import discover, read_slug

REPO = Path(__file__).parents[2]
CORPUS = Path("/work/shared/bench/make_corpus.py")
SHOWN_KEYS = ("title", "description", "tags", "author", "series")  # front matter the post page shows as text
_WORD = re.compile(r"[^\W_]+")
_RULES = (  # (pattern, replacement), applied in order to Markdown text
    (re.compile(r"^([ \t>]*)(`{3,}|~{3,})[ \t]*math[ \t]*\n.*?^\1\2", re.M | re.S | re.I), " "),  # ```math (MathML)
    (re.compile(r"^([ \t>]*(?:[-*+]|\d+[.)])?[ \t]*(?:`{3,}|~{3,}))[^\n`]*$", re.M), r"\1"),  # fence info strings
    (re.compile(r"\[\^[^\]\s]+\]:?"), " "),  # footnote labels (the page numbers them)
    (re.compile(r"^[ \t>]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M), ""),  # reference definitions: label, URL, title
    (re.compile(r"\]\((?:<[^>\n]*>|[^)\s]*)"), "]("),  # inline link and image URLs (a title stays)
    (re.compile(r"\]\[[^\]\n]*\]"), "]"),  # reference labels of [text][label]
    (re.compile(r"^([ \t>]*(?:[-*+]|\d+[.)])[ \t]+)\[[ xX]\]", re.M), r"\1"),  # task-list boxes
    (re.compile(r"^([ \t>]*)\d{1,9}[.)](?=[ \t]|$)", re.M), r"\1"),  # ordered list numbers (<ol> counts)
    (re.compile(r"<([a-zA-Z][\w+.-]*:[^\s<>]*)>"), r" \1 "),  # autolinks show their URL: keep it, lose <>
    (re.compile(r"<!--.*?-->", re.S), " "),  # HTML comments
    (re.compile(r"</?[a-zA-Z][^>]*>"), " "),  # HTML tags and their attributes
    (re.compile(r"\$\$.*?\$\$", re.S), " "),  # display math (becomes MathML)
    (re.compile(r"(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$"), " "),  # inline math
    (SCOPED_ABBR_RE, " "),  # (c) (tm) (r) → © ™ ®, markdown-it's replacements
)


def markdown_words(text: str) -> Counter:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return words(html.unescape(text))


def words(text: str) -> Counter:
    return Counter(w.casefold() for w in _WORD.findall(text))


def front_matter_words(meta) -> Counter:
    found = Counter()
    for key in SHOWN_KEYS:
        value = meta.get(key)
        for item in value if isinstance(value, list) else [value] if value else []:
            found += words(str(item))
    return found


def source_words(path: Path) -> Counter:
    """The words of a post file that its page must show."""
    if path.suffix != ".ipynb":
        parts = split(decode(path.read_bytes(), path), path)
        return front_matter_words(parts.meta) + markdown_words(parts.body)
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = front_matter_words(notebook.get("metadata", {}).get("stufen", {}))
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found += markdown_words(text)
        elif cell["cell_type"] == "code":
            found += words(text)
        elif text.lstrip().startswith("---"):  # a raw cell holding the front matter
            found += front_matter_words(split(text, path).meta)
    return found


class _PageText(HTMLParser):
    """Text of a page, plus the attributes a reader is shown (alt, title, aria-label) or a search engine is."""

    SHOWN_ATTRS = ("alt", "title", "aria-label", "content")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRS and value]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_words(page: Path) -> Counter:
    parser = _PageText()
    parser.feed(page.read_text(encoding="utf-8"))
    return words(" ".join(parser.parts))


def lost_words(root: Path) -> dict[str, list[str]]:
    """{post: words of the post its page lacks}, for every post of the site at `root`."""
    out = root / "_site"
    assert main(["-C", str(root), "build", "--drafts", "--no-cache", "--out", str(out)]) == 0
    lost = {}
    for path in discover(root / "content"):
        source = PurePosixPath(path.relative_to(root).as_posix())
        slug = read_slug(path.read_bytes(), source, "content/posts")
        missing = source_words(path) - page_words(out / "posts" / slug / "index.html")
        if missing:
            lost[source.as_posix()] = sorted(missing)[:20]
    return lost


def test_every_word_of_the_demo_journal_is_on_its_page(tmp_path):
    root = tmp_path / "demo"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "stufen.toml", root / "stufen.toml") if (REPO / "stufen.toml").exists() else None
    assert len(discover(root / "content")) >= 5
    assert lost_words(root) == {}


@pytest.mark.skipif(not CORPUS.exists(), reason="the benchmark corpus generator is not on this machine")
def test_every_word_of_a_benchmark_corpus_is_on_its_page(tmp_path):
    posts = tmp_path / "corpus" / "content" / "posts"
    subprocess.run([sys.executable, str(CORPUS), "--posts", "50", "--out", str(posts)], check=True,
                   capture_output=True)
    assert len(discover(posts.parent)) == 50
    assert lost_words(tmp_path / "corpus") == {}


def _list(depth: int) -> str:
    return "".join("  " * i + f"- level{i}\n" for i in range(depth))


def _quotes(depth: int) -> str:
    return "".join(">" * (i + 1) + f" quote{i}\n" for i in range(depth))


def test_deep_lists_and_blockquotes_keep_every_word(site):
    root = site({"content/posts/lists.md": post(description="x", body=_list(40) + "\nThe rest survives.\n"),
                 "content/posts/quotes.md": post(title="Quotes", description="x", body=_quotes(60) + "\nAfter.\n")})
    assert lost_words(root) == {}


def test_nesting_past_the_limit_is_an_error_at_its_line_not_a_truncation(site, stufen):
    root = site({"content/posts/deep.md": post(description="x", body="Intro.\n\n" + _quotes(1000) + "\nEnd.\n")})
    code, _, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines()[0] == (
        "content/posts/deep.md:207: lists or blockquotes nested too deeply (over 100 lists or 199 blockquotes "
        "inside each other) (nest less deeply; the rest of the post would be lost)")
    assert not (root / "_site").exists()
