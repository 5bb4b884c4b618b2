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


def is_toc_title(children: Sequence[Token]) -> bool:
    """Whether a heading's text (its inline children) asks for a TOC: "Table of contents", "Contents", "toc"."""
    return bool(_TOC_TITLE.match("".join(c.content for c in children if c.type == "text").strip()))


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
