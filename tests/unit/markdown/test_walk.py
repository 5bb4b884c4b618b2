"""One walk over a body's tokens gathers headings, links with their lines, wikilinks, formulas' lines and
the first paragraph; ids are read off the rendered HTML and words off the source, as the old regexes did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stufen.markdown.parser import html_ids, render_markdown
from stufen.markdown.words import WORD, count_words
from stufen.routes import with_base

REPO = Path(__file__).parents[3]
FIXTURES = sorted([*(REPO / "tests/unit/markdown/markdown_cases").glob("*.md"), *(REPO / "content").rglob("*.md"),
                   *(REPO / "tests/golden").rglob("*.md")])
_ID = re.compile(r'\sid="([^"]+)"')  # what ids were: this regex over the rendered HTML

BODY = """\
# Contents

Intro [a](/posts/a/) and
[b](b/) with ![i](/i.png) and $x^2$ then
<img src="/raw.png"> [[Note|n]] and [[Other]].

## Part *one* $\\beta$

| t | u |
|---|---|
| [c](/posts/c/) | <a href="/cell/">x</a> |

<div>
<a href="/block/">b</a>
</div>

$$
\\frac{1}{
$$

Line one $\\badcommand{$
and [d](#part-one-beta) ^para
"""


def test_one_walk_finds_links_with_lines_headings_wikilinks_and_formulas():
    rendered = render_markdown(BODY, first_line=5)
    assert [(link.target, link.line) for link in rendered.links] == [
        ("/posts/a/", 7), ("b/", 8), ("/i.png", 8), ("/posts/c/", 15), ("#part-one-beta", 26),  # Markdown first
        ("/raw.png", 9), ("/cell/", 15), ("/block/", 18)]  # then raw HTML
    sentence = "Intro a and b with and then n and Other."
    assert [link.context for link in rendered.links[:5]] == [sentence, sentence, "", "c", "Line one and d"]
    assert [(w.target, w.line, w.context) for w in rendered.wikilinks] == [("Note", 9, sentence),
                                                                           ("Other", 9, sentence)]
    assert [(h.level, h.id, h.text) for h in rendered.toc] == [(1, "contents", "Contents"),
                                                               (2, "part-one-beta", "Part one β")]
    assert '<details class="toc">' in rendered.html and '<a href="#part-one-beta">' in rendered.html
    assert 'aria-label="Link to this section: Part one β"' in rendered.html
    assert rendered.first_paragraph == sentence
    assert [line for line, *_ in rendered.problems] == [21, 25]  # each broken formula at its line
    assert rendered.ids == {"contents", "part-one-beta", "^para"}
    assert with_base(rendered.html, "/r/").count('="/r/') == 6  # a, i, raw, c, cell, block: marked for the base path


def test_a_raw_link_after_an_entity_newline_is_on_its_own_line():
    """`&#10;` is a newline in the text, not in the file: the walk counts the file's lines."""
    assert [link.line for link in render_markdown('a&#10;b <a href="/x/">x</a>\n[c](/c/)').links] == [2, 1]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_ids_and_words_are_what_the_regexes_over_html_and_source_find(path):
    text = path.read_text(encoding="utf-8")
    rendered = render_markdown(text)
    assert rendered.ids == frozenset(_ID.findall(rendered.html))
    assert rendered.words == len(WORD.findall(text))


@pytest.mark.parametrize("html", ['<h2 id="a">', '\tid="b" \nid="c"\u00a0id="d"', 'x id="e"', 'id="f"', ' id=""x"',
                                  ' id="g', ' id="h" id="i"id="j"', ' id="k id="l"', '<p  id="m">', ""])
def test_html_ids_finds_what_the_regex_finds(html):
    assert html_ids(html) == frozenset(_ID.findall(html))


@pytest.mark.parametrize("text", ["", "a", " a", "a b_c d-e 42", "über naïve café", "l’été — “quoted” … fin",
                                  "机器学习 ok", "ｗｉｄｅ", "カタ・カナ ゠", "\ud800 lone surrogate",
                                  "one\ttwo\nthree", "x2 _ __ a_b", "née — x"])
def test_count_words_counts_as_the_regex(text):
    assert count_words(text) == len(WORD.findall(text))
