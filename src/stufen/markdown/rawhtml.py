"""Links in a body's raw HTML (`<img src="/x.png">`, `<a href="/posts/y/">`), treated as Markdown links are.

A root-relative `href` or `src` is marked to get base_url's path at render, so it works
on a project site (`https://user.github.io/repo/`), and every internal or unparseable one is
kept with its file line for the link check. Comments are skipped, and of a
`<script>` or `<style>` element only the opening tag is read.
"""

from __future__ import annotations

import html
import re
from functools import partial

from ..model import Link
from ..routes import is_external, malformed, site_link

_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<(?:script|style)\b[^<>]*>.*?(?:</(?:script|style)\s*>|\Z)|<[a-zA-Z][^<>]*>",
                  re.S | re.I)
URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
IMG = re.compile(r"<img\b", re.I)


def image_sources(body: str) -> tuple[str, ...] | None:
    """The `src` of every `<img>` in a rendered `body`, unescaped and sorted; None when it has no `<img>` at all
    (what the media stage needs of a body, render/media.py)."""
    return image_facts(body)[0]


def image_facts(body: str) -> tuple[tuple[str, ...] | None, int]:
    """`image_sources(body)` and how many `<img>` tags it has, in one scan: what the load stage notes of a
    body it leaves in the store (load/posts.py), for the media stage, which then does not read it."""
    found, tags = set(), 0
    for tag in IMG.finditer(body):
        tags += 1
        end = body.find(">", tag.start())
        found.update(attribute_value(m) for m in URL_ATTRIBUTE.finditer(body, tag.start(), end + 1) if is_src(m))
    return (tuple(sorted(found)) if tags else None), tags


def attribute_value(attribute: re.Match) -> str:
    """The URL a `URL_ATTRIBUTE` match holds, unescaped, as `Link.target` has it."""
    return html.unescape(next(v for v in attribute.groups()[1:] if v is not None)).strip()


def is_src(attribute: re.Match) -> bool:
    return attribute.group(1).strip()[:3].lower() == "src"


def rewrite_links(text: str, line: int, links: list[Link]) -> str:
    """`text`, an html_block's or html_inline's content, with its root-relative links marked for the base path;
    adds its internal links to `links`. `line` is the file line `text` starts on (markdown.walk calls this)."""
    if "=" not in text:
        return text
    out, done, counted = [], 0, 0
    for tag in _TAG.finditer(text):
        if tag.group(0).startswith("<!--"):
            continue
        opening = tag.group(0)[: tag.group(0).find(">") + 1]  # a script's or style's content is not HTML
        line += text.count("\n", counted, tag.start())
        counted = tag.start()
        fixed = URL_ATTRIBUTE.sub(partial(_attribute, opening=opening, line=line, links=links), opening)
        if fixed != opening:
            out += [text[done:tag.start()], fixed]
            done = tag.start() + len(opening)
    return "".join([*out, text[done:]]) if out else text


def _attribute(attr: re.Match, opening: str, line: int, links: list[Link]) -> str:
    raw = next(value for value in attr.groups()[1:] if value is not None)
    target = html.unescape(raw).strip()
    bad = bool(target) and malformed(target)  # kept as written; the link check warns
    if not target or (is_external(target) and not bad):
        return attr.group(0)
    links.append(Link(target, line + opening.count("\n", 0, attr.end(1))))
    if bad or not target.startswith("/"):
        return attr.group(0)
    quote = '"' if attr.group(2) is not None else "'" if attr.group(3) is not None else ""
    return f"{attr.group(1)}{quote}{site_link(raw.strip())}{quote}"
