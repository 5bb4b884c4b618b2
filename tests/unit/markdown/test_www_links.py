"""GFM's `www.` autolinks cost a stop at every "w"; a body without "www." (in any case) is parsed without them.

The proof is in `parser.may_have_www_links`; these tests check its two premises on the real parser (no other
inline rule starts at a "w"; the two parsers stop at the same characters but "w") and the cases where a
`www.` link hides: line starts, punctuation, links, tables, callouts, footnotes, and a callout's type.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it.rules_inline import StateInline

from stufen.markdown.parser import make_markdown, may_have_www_links, render_markdown

REPO = Path(__file__).parents[3]
FIXTURES = sorted([*(REPO / "tests/unit/markdown/markdown_cases").glob("*.md"), *(REPO / "content").rglob("*.md")])
# Text where every inline rule gets a go at a "w": before each rule's own start character, after a protocol,
# an e-mail's local part, emphasis, and as the start of "www." itself
AT_A_W = ["w", "www.example.com", "(www.x.org)", "a w*b* w_c_", "x w$y$ w$$z$$", "w] w[x](y) w![i](j)",
          "w[[x]] w![[y]]", "w==x== w%%c%%", "w:w https:w http://w", "w@x.org a.w@b.org", "w<b> w<!-- c -->",
          "w&amp; w&#119;", "w\\* w`c` w~~s~~ w~t~", "w[^1] w#tag", "w\nw  \nw\\\nw"]
TRICKY = {  # where a www. autolink can be: each must be one
    "line start": "www.example.com is here\n",
    "upper case": "See WWW.example.com and www.example.com\n",
    "after punctuation": "(www.a.org) *www.b.org* _www.c.org_ ~www.d.org~\n",
    "list item": "- www.example.com\n",
    "table cell": "| a | b |\n|---|---|\n| www.example.com | x |\n",
    "heading": "## Visit www.example.com\n",
    "callout title": "> [!note] See www.example.com\n> body\n",
    "callout body": "> [!tip]\n> www.example.com\n",
    "footnote": "Text[^1]\n\n[^1]: At www.example.com\n",
    "blockquote": "> quoted www.example.com\n",
}


@pytest.mark.parametrize("inline_tags", [False, True])
def test_no_inline_rule_but_www_starts_at_a_w(inline_tags):
    md = make_markdown(True, inline_tags)
    rules = dict(zip(md.inline.ruler.get_active_rules(), md.inline.ruler.getRules(""), strict=True))
    assert "gfm_autolink_www" in rules
    for name, rule in rules.items():
        if name in ("text", "gfm_autolink_www"):
            continue
        for src in AT_A_W:
            for pos in (p for p, c in enumerate(src) if c == "w"):
                for silent in (True, False):
                    state = StateInline(src, md, {}, [])
                    state.pos, state.pending = pos, src[:pos]
                    assert not rule(state, silent), (name, src, pos)
                    assert (state.pos, state.tokens) == (pos, []), (name, src, pos)


def test_the_lean_parser_stops_where_the_full_one_does_but_at_w():
    full, lean = make_markdown(www_links=True), make_markdown(www_links=False)
    assert full.inline.terminator_re.match("w") and not lean.inline.terminator_re.match("w")
    for char in map(chr, [*range(0x250), *range(0x2000, 0x2070), 0x3000, 0xff01]):
        if char != "w":
            assert bool(full.inline.terminator_re.match(char)) == bool(lean.inline.terminator_re.match(char)), char
    assert "gfm_autolink_www" not in lean.inline.ruler.get_active_rules()


@pytest.mark.parametrize("case", TRICKY)
def test_every_www_link_is_found(case):
    text = TRICKY[case]
    assert may_have_www_links(text)
    assert 'href="http://www.' in render_markdown(text).html
    assert _tokens(text, True) != _tokens(text, False)  # the lean parser would have lost it


def test_a_link_label_is_not_autolinked_either_way():
    text = "[www.a.org](https://b.org) and [see www.c.org](https://d.org)\n"
    assert render_markdown(text).html.count("<a ") == 2
    assert _tokens(text, True) == _tokens(text, False)


def test_a_callout_type_in_capitals_is_autolinked_in_its_title_as_github_would():
    """The default title is the type lower-cased: "WWW." in the source is "www." in the title."""
    text = "> [!(WWW.example.com]\n> body\n"
    assert may_have_www_links(text)
    assert '(<a href="http://www.example.com">www.example.com</a>' in render_markdown(text).html
    assert _tokens(text, True) != _tokens(text, False)  # why the check ignores case


@pytest.mark.parametrize("text", ["w", "ww.x.org w.w.w. www wwww", "wow, what a week\n\n- w\n- ww.\n",
                                  "`w` **w** [w](w) ![w](w.png) <w> w@w.org https://w.org/w\n", "| w | ww |\n|-|-|\n"])
def test_without_www_the_lean_parser_gives_the_same_tokens(text):
    assert not may_have_www_links(text)
    assert _tokens(text, True) == _tokens(text, False)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_real_posts_parse_the_same_with_the_parser_chosen_for_them(path):
    text = path.read_text(encoding="utf-8")
    for inline_tags in (False, True):
        assert _tokens(text, may_have_www_links(text), inline_tags) == _tokens(text, True, inline_tags)
        assert _tokens(text, False, inline_tags) == _tokens(text, True, inline_tags) or may_have_www_links(text)


def _tokens(text: str, www_links: bool, inline_tags: bool = False) -> list[dict]:
    return [t.as_dict() for t in make_markdown(True, inline_tags, www_links).parse(text, {"problems": []})]
