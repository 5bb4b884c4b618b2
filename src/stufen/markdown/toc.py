"""The "## Table of contents" heading, filled in as AstroPaper's remark-toc + remark-collapse do.

Only top-level headings after the TOC heading are listed (headings quoted inside
a blockquote are not sections of the post), nested by level, inside a
collapsible `<details>` so a long TOC does not push the post below the fold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from markdown_it.token import Token

from ..model import Heading

_TOC_TITLE = re.compile(r"^(table[ -]of[ -])?contents?$|^toc$", re.IGNORECASE)


def find_toc_heading(tokens: Sequence[Token]) -> int | None:
    """Index of the first top-level heading_open whose text asks for a TOC, if any."""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0:
            text = "".join(c.content for c in tokens[i + 1].children or () if c.type == "text")
            if _TOC_TITLE.match(text.strip()):
                return i
    return None


def build_toc(headings: Sequence[Heading]) -> str:
    """A nested list of links, each level a `<ul>` inside its parent's `<li>`."""
    if not headings:
        return ""
    out = ['<details class="toc"><summary>Open Table of contents</summary>\n'
           '<nav aria-label="Table of contents">']
    depth = 0
    levels: list[int] = []
    for heading in headings:
        while levels and heading.level < levels[-1]:
            out.append("</li></ul>")
            levels.pop()
            depth -= 1
        if not levels or heading.level > levels[-1]:
            out.append("<ul>")
            levels.append(heading.level)
            depth += 1
        else:
            out.append("</li>")
        out.append(f'<li><a href="#{escape(heading.id)}">{heading.html}</a>')
    out.append("</li></ul>" * depth)
    out.append("</nav></details>\n")
    return "".join(out)
