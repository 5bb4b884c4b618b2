"""GitHub alerts and Obsidian callouts: each form as GitHub and Obsidian define it, one implementation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from stufen.markdown.callouts import ICONS
from stufen.markdown.parser import render_markdown


class Boxes(HTMLParser):
    """Each callout's (tag, class, data-callout, open, title text, body text), in document order."""

    def __init__(self):
        super().__init__()
        self.boxes, self.stack, self.in_title = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "callout" in (attrs.get("class") or "").split():
            self.boxes.append({"tag": tag, "class": attrs["class"], "type": attrs.get("data-callout"),
                               "open": "open" in attrs, "title": "", "body": "", "icons": 0})
            self.stack.append((tag, len(self.boxes) - 1))
        elif self.stack and tag == self.stack[-1][0]:
            self.stack.append((tag, None))
        if attrs.get("class") == "callout-title":
            self.in_title = tag
        if tag == "svg" and self.in_title and self.stack:
            self.boxes[self._box()]["icons"] += 1

    def handle_endtag(self, tag):
        if tag == self.in_title:
            self.in_title = None
        if self.stack and tag == self.stack[-1][0]:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack:
            self.boxes[self._box()]["title" if self.in_title else "body"] += data

    def _box(self):
        return next(index for _, index in reversed(self.stack) if index is not None)


def boxes(markdown: str) -> list[dict]:
    parser = Boxes()
    parser.feed(render_markdown(markdown).html)
    return [{**b, "title": " ".join(b["title"].split()), "body": " ".join(b["body"].split())} for b in parser.boxes]


@pytest.mark.parametrize("kind, look, title", [
    ("NOTE", "note", "Note"), ("TIP", "tip", "Tip"), ("IMPORTANT", "important", "Important"),
    ("WARNING", "warning", "Warning"), ("CAUTION", "caution", "Caution"),
])
def test_the_five_github_alerts_have_their_own_look_and_title(kind, look, title):
    [box] = boxes(f"> [!{kind}]\n> Useful information.\n")
    assert box == {"tag": "div", "class": f"callout callout-{look}", "type": kind.lower(), "open": False,
                   "title": title, "body": "Useful information.", "icons": 1}
    assert ICONS[look] in render_markdown(f"> [!{kind}]\n> x\n").html


def test_the_type_is_case_insensitive_and_markdown_it_alerts_are_not_made_as_well():
    html = render_markdown("> [!Warning]\n> Careful.\n")
    assert boxes("> [!Warning]\n> Careful.\n")[0]["class"] == "callout callout-warning"
    assert "markdown-alert" not in html.html and "[!" not in html.html


@pytest.mark.parametrize("kind, look", [
    ("info", "note"), ("todo", "note"), ("abstract", "note"), ("summary", "note"), ("tldr", "note"),
    ("quote", "note"), ("cite", "note"), ("hint", "tip"), ("success", "tip"), ("check", "tip"), ("done", "tip"),
    ("question", "important"), ("help", "important"), ("faq", "important"), ("example", "important"),
    ("attention", "warning"), ("failure", "caution"), ("fail", "caution"), ("missing", "caution"),
    ("danger", "caution"), ("error", "caution"), ("bug", "caution"),
])
def test_obsidian_types_and_aliases_map_to_a_look_and_keep_their_name(kind, look):
    [box] = boxes(f"> [!{kind}]\n> Body.\n")
    assert (box["class"], box["type"], box["title"]) == (f"callout callout-{look}", kind, kind.capitalize())


def test_an_unknown_type_gets_the_note_look_and_its_own_name_as_title():
    [box] = boxes("> [!My-Type]\n> Body.\n")
    assert (box["class"], box["type"], box["title"], box["body"]) == ("callout callout-note", "my-type", "My-type",
                                                                     "Body.")


def test_a_custom_title_is_inline_markdown_and_its_link_keeps_its_line():
    rendered = render_markdown("Intro.\n\n> [!info] Read *this* [first](/posts/a/)\n> Then [this](/posts/b/).\n",
                               first_line=5)
    assert '<p class="callout-title">' in rendered.html and "<em>this</em>" in rendered.html
    assert [(link.target, link.line) for link in rendered.links] == [("/posts/a/", 7), ("/posts/b/", 8)]
    assert boxes("> [!info] Read *this*\n> Then.\n")[0]["title"] == "Read this"


def test_a_title_only_callout_has_no_body():
    [box] = boxes("> [!tip] Title-only callout\n")
    assert (box["title"], box["body"]) == ("Title-only callout", "")
    assert "<p></p>" not in render_markdown("> [!tip] Title-only callout\n").html


@pytest.mark.parametrize("fold, is_open", [("-", False), ("+", True)])
def test_a_foldable_callout_is_details_closed_or_open(fold, is_open):
    markdown = f"> [!faq]{fold} Are callouts foldable?\n> Yes! The content is hidden when collapsed.\n"
    [box] = boxes(markdown)
    assert (box["tag"], box["open"], box["title"]) == ("details", is_open, "Are callouts foldable?")
    assert box["body"] == "Yes! The content is hidden when collapsed."
    assert re.search(r'<details class="callout callout-important" data-callout="faq"( open="")?>\n'
                     r'<summary class="callout-title"><svg', render_markdown(markdown).html)


def test_callouts_nest_and_a_plain_quote_stays_a_blockquote():
    found = boxes("> [!question] Can callouts be nested?\n> > [!todo] Yes!, they can.\n> > > [!example]  "
                  "You can even use multiple layers of nesting.\n\n> Just a quote.\n")
    assert [(b["type"], b["title"]) for b in found] == [
        ("question", "Can callouts be nested?"), ("todo", "Yes!, they can."),
        ("example", "You can even use multiple layers of nesting.")]
    assert "<blockquote>\n<p>Just a quote.</p>\n</blockquote>" in render_markdown("> Just a quote.\n").html


@pytest.mark.parametrize("markdown", [
    "> [!note](https://example.com) is a link\n",   # the marker must end the type
    "> Text first\n> [!note]\n",                      # only on the first line
    "> - [!note] in a list\n",                         # of the quote's first paragraph
    "> [!]\n> empty type\n",
])
def test_what_is_not_a_callout_stays_a_quote_with_every_word(markdown):
    html = render_markdown(markdown).html
    assert "callout" not in html and "<blockquote>" in html
    words = re.findall(r"\w+", markdown)
    assert all(word in html for word in words)


def test_the_body_keeps_lists_code_and_math_and_their_lines():
    rendered = render_markdown("> [!warning]\n> - one\n> - two [x](/posts/x/)\n>\n> ```python\n> print(1)\n> ```\n"
                               "> $$x^$$\n")
    [box] = boxes("> [!warning]\n> - one\n> - two\n>\n> ```python\n> print(1)\n> ```\n")
    assert box["body"].startswith("one two") and "print" in box["body"]
    assert [(link.target, link.line) for link in rendered.links] == [("/posts/x/", 3)]
    assert [line for line, *_ in rendered.problems] == [8]
