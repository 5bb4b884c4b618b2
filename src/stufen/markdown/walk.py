"""What later stages need of a body's tokens, gathered in one walk over them after parsing.

The headings (TOC entries, the permalinks' names) and the TOC heading, the links and wikilinks with their
lines and sentences (root-relative ones marked for the base path), the links in raw HTML, each formula's line
for its warnings, and the first paragraph. Each was once a loop of its own over the tokens, three of them
counting lines through every paragraph; one walk visits each token, and each paragraph's children, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ..model import Heading, Link, WikiLink
from ..routes import is_external, site_link
from .context import link_contexts
from .math import MATH_TOKENS, math_text, to_mathml
from .obsidian import shown_text
from .rawhtml import rewrite_links
from .toc import is_toc_title

LABEL_CHILDREN = ("text", "code_inline", *MATH_TOKENS)  # what a heading's id and TOC label are made of
_MULTILINE_CHILDREN = ("html_inline", "image", *MATH_TOKENS)  # HTML, alt text and formulas may span lines


@dataclass
class Walked:
    headings: list[tuple[int, Heading, bool]] = field(default_factory=list)  # (token index, heading, top level)
    toc_at: int | None = None  # the token index of the heading asking for a TOC
    links: list[Link] = field(default_factory=list)  # Markdown links and images
    raw_links: list[Link] = field(default_factory=list)  # href/src in raw HTML
    wikilinks: list[WikiLink] = field(default_factory=list)
    first_paragraph: str | None = None  # plain text of the first top-level paragraph


def walk(tokens: list[Token], first_line: int) -> Walked:
    """Everything `Walked` holds; marks root-relative links (`routes.site_link`), numbers wikilinks for their
    placeholders, names the permalinks and stamps each formula's and fence's file line in `meta["line"]`
    (the math renderer reports it). `first_line` is the file line the body starts on."""
    found = Walked()
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            _inline(token, first_line, found)
        elif kind == "heading_open":
            _heading(tokens, i, found)
        elif kind == "html_block":
            token.content = rewrite_links(token.content, first_line + (token.map[0] if token.map else 0),
                                          found.raw_links)
        elif kind in MATH_TOKENS or kind == "fence":
            token.meta["line"] = first_line + (token.map[0] if token.map else 0)
        elif kind == "paragraph_open" and token.level == 0 and found.first_paragraph is None:
            found.first_paragraph = " ".join(plain_text(tokens[i + 1].children or []).split())
    return found


def child_lines(inline: Token, first_line: int) -> Iterator[tuple[Token, int]]:
    """Each child of an inline token with the file line it is on: `first_line` is the body's first line.

    A paragraph is one inline token; its soft and hard line breaks are children, so counting them
    (and the newlines inside inline HTML, alt text and formulas) gives the line of a link three lines down."""
    line = first_line + (inline.map[0] if inline.map else 0)
    for child in inline.children or ():
        yield child, line
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in _MULTILINE_CHILDREN:
            line += child.content.count("\n")


def _inline(token: Token, first_line: int, found: Walked) -> None:
    contexts = None  # the sentence of each link, found once a paragraph has one
    for child, line in child_lines(token, first_line):
        kind = child.type
        if kind == "text" or kind == "softbreak":
            continue
        if kind in MATH_TOKENS:
            child.meta["line"] = line
        elif kind == "html_inline":
            child.content = rewrite_links(child.content, line, found.raw_links)
        elif kind == "wikilink":
            contexts = contexts if contexts is not None else _contexts(token)
            child.meta["n"] = len(found.wikilinks)
            found.wikilinks.append(replace(child.meta["link"], line=line, context=contexts.get(id(child), "")))
        elif kind == "link_open" or kind == "image":
            attr = "href" if kind == "link_open" else "src"
            target = str(child.attrGet(attr) or "")
            if not target or is_external(target) or child.attrGet("class") == "header-anchor":
                continue
            contexts = contexts if contexts is not None else _contexts(token)
            found.links.append(Link(target, line, context=contexts.get(id(child), "")))
            if target.startswith("/"):
                child.attrSet(attr, site_link(target))


def _contexts(inline: Token) -> dict[int, str]:
    return link_contexts(inline, lambda child: shown_text(child.meta["link"]))


def _heading(tokens: list[Token], i: int, found: Walked) -> None:
    """A heading's entry, and its permalink named by its text."""
    token, children = tokens[i], tokens[i + 1].children or []
    text, html = _heading_label(children)
    for child in children:
        if child.type == "link_open" and child.attrGet("class") == "header-anchor":
            child.attrSet("aria-label", f"Link to this section: {text}")
    top = token.level == 0
    found.headings.append((i, Heading(int(token.tag[1]), str(token.attrGet("id")), text, html), top))
    if found.toc_at is None and top and is_toc_title(children):
        found.toc_at = i


def _heading_label(children) -> tuple[str, str]:
    """A heading as plain text ("Why β matters") and as the TOC's HTML label (the formula as MathML)."""
    text, html = [], []
    for child in children:
        if child.type in MATH_TOKENS:
            latex = child.content.strip()
            text.append(math_text(latex))
            html.append(to_mathml(latex, False)[0] or escapeHtml(latex))
        elif child.type in LABEL_CHILDREN:
            text.append(child.content)
            html.append(escapeHtml(child.content))
    return "".join(text).strip(), "".join(html).strip()


def plain_text(children: list[Token]) -> str:
    """The text of an inline token's children, wikilinks as shown and line breaks as blanks."""
    return "".join(shown_text(c.meta["link"]) if c.type == "wikilink" else c.content if c.type != "softbreak"
                   else " " for c in children if c.type in ("text", "code_inline", "softbreak", "wikilink"))
