"""Markdown stage: snapshot pairs in markdown_cases/*.md → *.html, plus focused checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stufen.markdown.parser import render_markdown
from stufen.model import Heading

CASES = Path(__file__).parent / "markdown_cases"


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.md")))
def test_snapshot(case, update_golden):
    html = render_markdown((CASES / f"{case}.md").read_text(encoding="utf-8")).html
    expected = CASES / f"{case}.html"
    if update_golden or not expected.exists():
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")


def test_toc_lists_only_top_level_headings_after_it():
    rendered = render_markdown((CASES / "toc.md").read_text())
    toc = rendered.html.split('<details class="toc">')[1].split("</details>")[0]
    assert '<a href="#first-section">First section</a>' in toc
    assert '<a href="#a-subsection">A subsection</a>' in toc
    assert '<a href="#second-section">Second section</a>' in toc
    assert '<a href="#second-section-1">Second section</a>' in toc
    assert "quoted-heading" not in toc
    assert "table-of-contents" not in toc


def test_no_toc_without_the_heading():
    assert "<details" not in render_markdown("## One\n\n## Two\n").html


def test_heading_ids_are_unique_and_unicode_aware():
    rendered = render_markdown((CASES / "unicode-headings.md").read_text())
    assert [h.id for h in rendered.toc] == ["über-die-maße", "机器学习-入门", "same", "same-1"]


def test_toc_records_headings():
    assert render_markdown("## A `b` & c\n").toc == (Heading(2, "a-b--c", "A b & c", "A b &amp; c"),)


def test_a_formula_in_a_heading_is_in_its_id_its_toc_label_and_its_permalink_name():
    rendered = render_markdown("## Table of contents\n\n## Why $\\beta$ matters\n\n## Bad $x^$ one\n")
    beta = '<math alttext="\\beta" xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><mi>&#x003B2;</mi>'
    assert rendered.toc[1:] == (
        Heading(2, "why-beta-matters", "Why β matters", f"Why {beta}</mrow></math> matters"),
        Heading(2, "bad-x-one", "Bad x^ one", "Bad x^ one"),  # a broken formula is reported, and labelled by its source
    )
    assert f'<li><a href="#why-beta-matters">Why {beta}</mrow></math> matters</a></li>' in rendered.html
    assert 'aria-label="Link to this section: Why β matters"' in rendered.html
    assert [line for line, *_ in rendered.problems] == [5]


def test_root_relative_links_get_the_base_path_but_are_recorded_as_written():
    rendered = render_markdown("[a](/posts/x/) [b](other/) [c](https://e.com/) ![i](/images/i.png)",
                               base_path="/journal/")
    assert 'href="/journal/posts/x/"' in rendered.html
    assert 'src="/journal/images/i.png"' in rendered.html
    assert 'href="other/"' in rendered.html
    assert [link.target for link in rendered.links] == ["/posts/x/", "other/", "/images/i.png"]


def test_images_are_lazy():
    assert 'loading="lazy" decoding="async"' in render_markdown("![alt](/a.png)").html


def test_raw_html_can_be_escaped():
    assert "&lt;b&gt;" in render_markdown("<b>bold</b>", unsafe_html=False).html
    assert "<b>bold</b>" in render_markdown("<b>bold</b>").html


def test_first_paragraph_and_word_count():
    rendered = render_markdown("# Title\n\nOne *two* `three`\nfour.\n\nFive 机器学习")
    assert rendered.first_paragraph == "One two three four."
    assert rendered.words == 1 + 4 + 1 + 4  # CJK characters count one each


def test_the_seed_details_block_keeps_its_markdown():
    html = render_markdown((CASES / "details.md").read_text()).html
    assert html.startswith("<details>\n<summary>ChatGPT answer</summary>\n<blockquote>\n<h3")
    assert "<strong>Mathematics</strong>" in html and "<li><strong>Linear Algebra</strong>" in html


def test_repeated_headings_get_the_ids_github_gives_and_written_ids_are_reserved():
    html = render_markdown("# a\n\n## a\n\n## a\n\n## a-1\n\n## a\n").html
    assert re.findall(r'<h\d id="([^"]+)"', html) == ["a", "a-1", "a-2", "a-1-1", "a-3"]
