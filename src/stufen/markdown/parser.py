"""Markdown → HTML, with everything later stages need of a body.

`make_markdown()` is the one place every markdown-it plugin is registered.
`render_markdown()` is pure: the same text and settings always give the same
`Rendered`, which is what makes the load stage cacheable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache, partial

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.smartquotes import QUOTE_RE, process_inlines
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.gfm import gfm_plugin

from ..model import Heading, Link, Rendered, WikiLink
from ..routes import is_external, site_link
from ..slugs import heading_id
from .callouts import callout_plugin
from .context import link_contexts
from .highlight import highlight_code
from .math import MATH_TOKENS, math_plugin, math_text, to_mathml
from .obsidian import obsidian_plugin, shown_text
from .rawhtml import raw_html_links
from .toc import build_toc, find_toc_heading

_ID = re.compile(r'\sid="([^"]+)"')
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+")
# markdown-it's smartquotes copies a paragraph's text once per quote in it: quadratic, so a paragraph of
# 50,000 quotes took minutes. Past this many quotes × characters a paragraph keeps straight quotes.
_QUOTE_BUDGET = 50_000_000
_LABEL_CHILDREN = ("text", "code_inline", *MATH_TOKENS)  # what a heading's id and TOC label are made of
_MULTILINE_CHILDREN = ("html_inline", "image", *MATH_TOKENS)  # HTML, alt text and formulas may span lines
# A table scrolls sideways in its own box on a phone, rather than widening the page or breaking its words;
# the box takes keyboard focus, so it can be scrolled without a mouse
_TABLE_WRAP = '<div class="table-wrap" tabindex="0">\n'

# How deep blocks may nest (a list level counts 2, a blockquote 1). markdown-it's commonmark preset allows 20 and
# silently drops everything after a deeper block: a list 10 levels deep lost the rest of the post. Past this a
# post is an error at the line; nesting is recursion in the parser, so the limit also bounds the Python stack.
MAX_NESTING = 200


@lru_cache(maxsize=8)
def make_markdown(unsafe_html: bool = True, inline_tags: bool = False, www_links: bool = True) -> MarkdownIt:
    """GFM plus definition lists, heading anchors, MathML math, build-time highlighting and Obsidian's syntax
    (`inline_tags`: `#tag` in the text is a tag of the post, stufen.toml's `inline_tags = true`).

    `www_links=False` is the same parser without GFM's `www.` autolinks, for a body where none can be
    (`may_have_www_links`): that rule makes every "w" stop markdown-it's text scanner and try every inline
    rule there: about a fifth of parsing an English post."""
    md = MarkdownIt("commonmark", {"html": unsafe_html, "typographer": True,
                                   "highlight": highlight_code})
    md.enable(["replacements", "smartquotes"])
    md.core.ruler.at("smartquotes", _bounded_smartquotes)
    md.use(gfm_plugin).use(deflist_plugin).use(math_plugin).use(callout_plugin)
    if not www_links:
        _without_www_links(md)
    md.use(obsidian_plugin, inline_tags=inline_tags)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_id,
           permalink=True, permalinkSymbol='<span aria-hidden="true">#</span>')
    md.core.ruler.before("anchor", "unique_heading_ids", _unique_heading_ids)
    md.options["maxNesting"] = MAX_NESTING
    md.block.tokenize = partial(_tokenize_or_report, md.block.tokenize)
    md.add_render_rule("list_item_open", _task_item)
    md.add_render_rule("table_open", lambda self, tokens, i, options, env:
                       _TABLE_WRAP + self.renderToken(tokens, i, options, env))
    md.add_render_rule("table_close", lambda self, tokens, i, options, env:
                       self.renderToken(tokens, i, options, env) + "</div>\n")
    return md


def _without_www_links(md: MarkdownIt) -> None:
    """Take back what the gfm_autolink plugin's `www.` rule added: the rule and "w" as a text terminator.
    The pattern is `[…]` of re.escape'd characters, where a "w" is only ever the literal letter."""
    md.disable("gfm_autolink_www")
    md.inline.terminator_re = re.compile(md.inline.terminator_re.pattern.replace("w", ""))


def may_have_www_links(text: str) -> bool:
    """Whether parsing `text` without the `www.` autolink rule could change its HTML: exactly when "www." is
    in the text, ignoring case.

    Why that is exact: the rule starts only at a literal, lower-case "www." of an inline token's source. Every
    inline source is cut from the body's lines (joined by newlines, a table cell's escaped pipe without its
    backslash, blanks for tabs), except a callout's default title: its type lower-cased (`[!(WWW.x.org]`),
    and lower-casing makes no "w" or "." of another character. No other inline rule can start at a "w" (each
    checks its own first character; tests/unit/markdown/test_www_links.py runs every registered rule there),
    so the extra stops at each "w" give the same tokens."""
    return "www." in text.lower()


def _task_item(self, tokens: list[Token], idx: int, options, env) -> str:
    """A task-list checkbox named by its item's text: a bare checkbox has no accessible name."""
    html = self.renderToken(tokens, idx, options, env)
    meta = tokens[idx].meta
    if not meta or "checked" not in meta:
        return html
    inline = tokens[idx + 2] if idx + 2 < len(tokens) and tokens[idx + 2].type == "inline" else None
    name = " ".join(_plain_text(inline.children or []).split()) if inline else ""
    checked = ' checked=""' if meta["checked"] else ""
    return (f'{html}<input class="task-list-item-checkbox" disabled="" type="checkbox"{checked}'
            f' aria-label="{escapeHtml(name or "Task")}"> ')


def _tokenize_or_report(tokenize, state: StateBlock, start: int, end: int) -> None:
    """markdown-it's block tokenizer, noting in `env` the first line it would skip for nesting too deep."""
    if state.level >= state.md.options.maxNesting and "too_deep" not in state.env:
        line = state.skipEmptyLines(start)
        if line < end and state.sCount[line] >= state.blkIndent:
            state.env["too_deep"] = line
    tokenize(state, start, end)


def _bounded_smartquotes(state: StateCore) -> None:
    """markdown-it's own smartquotes rule, skipping paragraphs whose cost would pass `_QUOTE_BUDGET`."""
    for token in state.tokens:
        if token.type == "inline" and token.children and QUOTE_RE.search(token.content):
            quotes = token.content.count("'") + token.content.count('"')
            if quotes * len(token.content) <= _QUOTE_BUDGET:
                process_inlines(token.children, state)


def _unique_heading_ids(state: StateCore) -> None:
    """The ids the anchors plugin would give, in linear time: its unique_slug retries `-1`, `-2`, … from 1 for
    every repeat, so 10,000 headings with one title cost 50 million tries. Ids written in the source stay."""
    taken = {str(t.attrGet("id")) for t in state.tokens if t.type == "heading_open" and t.attrGet("id")}
    next_suffix: dict[str, int] = {}
    for token, inline in zip(state.tokens, state.tokens[1:], strict=False):
        if token.type != "heading_open" or token.attrGet("id"):
            continue
        base = heading_id(_id_source(inline.children or ()))
        slug, n = base, next_suffix.get(base, 1)
        while slug in taken:  # a slug once taken stays taken, so resuming at the last suffix gives the same ids
            slug, n = f"{base}-{n}", n + 1
        next_suffix[base] = n
        taken.add(slug)
        token.attrSet("id", slug)


def render_markdown(text: str, *, unsafe_html: bool = True, first_line: int = 1, inline_tags: bool = False) -> Rendered:
    """Render a post body; `first_line` is the file line the body starts on.

    Root-relative links are stored marked (`routes.site_link`), not with base_url's path:
    rendering gives them that (`routes.with_base`), so a parsed body is the same for any base_url.
    """
    md = make_markdown(unsafe_html, inline_tags, may_have_www_links(text))
    env: dict = {"problems": []}
    tokens = md.parse(text, env)
    if "too_deep" in env:
        env["problems"].append((first_line + env["too_deep"], "lists or blockquotes nested too deeply (over "
                                f"{MAX_NESTING // 2} lists or {MAX_NESTING - 1} blockquotes inside each other)",
                                "nest less deeply; the rest of the post would be lost"))
    headings = _headings(tokens)
    links, wikilinks = _links(tokens, first_line)
    links += raw_html_links(tokens, first_line)
    toc_at = find_toc_heading(tokens)
    if toc_at is not None:
        toc_html = build_toc([h for i, h, top in headings if i > toc_at and top])
        tokens.insert(toc_at + 3, Token("html_block", "", 0, content=toc_html))
    _stamp_math_lines(tokens, first_line)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html,
        toc=tuple(h for _, h, top in headings if top),
        links=tuple(links),
        ids=frozenset(_ID.findall(html)),
        first_paragraph=_first_paragraph(tokens),
        words=len(_WORD.findall(text)),
        problems=tuple(env["problems"]),
        warnings=tuple(env.get("math_warnings", ())),
        wikilinks=tuple(wikilinks),
        inline_tags=tuple(env.get("inline_tags", ())),
    )


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


def _stamp_math_lines(tokens: list[Token], first_line: int) -> None:
    """Record each formula's file line in `token.meta`, so the math renderer can report it."""
    for token in tokens:
        if token.type in MATH_TOKENS or token.type == "fence":
            token.meta["line"] = first_line + (token.map[0] if token.map else 0)
        if token.type == "inline":
            for child, line in child_lines(token, first_line):
                if child.type in MATH_TOKENS:
                    child.meta["line"] = line


def _headings(tokens: list[Token]) -> list[tuple[int, Heading, bool]]:
    """(token index, heading, is top level) for every heading; labels the permalinks."""
    found = []
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        children = tokens[i + 1].children or []
        text, html = _heading_label(children)
        for child in children:
            if child.type == "link_open" and child.attrGet("class") == "header-anchor":
                child.attrSet("aria-label", f"Link to this section: {text}")
        heading = Heading(int(token.tag[1]), str(token.attrGet("id")), text, html)
        found.append((i, heading, token.level == 0))
    return found


def _id_source(children) -> str:
    """What a heading's id is made of: its text and code, and a formula's LaTeX (`Why $\\beta$` → why-beta)."""
    return "".join(c.content.strip() if c.type in MATH_TOKENS else c.content for c in children
                   if c.type in _LABEL_CHILDREN)


def _heading_label(children) -> tuple[str, str]:
    """A heading as plain text ("Why β matters") and as the TOC's HTML label (the formula as MathML)."""
    text, html = [], []
    for child in children:
        if child.type in MATH_TOKENS:
            latex = child.content.strip()
            text.append(math_text(latex))
            html.append(to_mathml(latex, False)[0] or escapeHtml(latex))
        elif child.type in _LABEL_CHILDREN:
            text.append(child.content)
            html.append(escapeHtml(child.content))
    return "".join(text).strip(), "".join(html).strip()


def _links(tokens: list[Token], first_line: int) -> tuple[list[Link], list[WikiLink]]:
    """Collect internal hrefs/srcs with their lines and sentences, and mark root-relative ones for the base
    path; and the wikilinks, each numbered for its placeholder."""
    links, wikilinks = [], []
    for token in tokens:
        if token.type != "inline":
            continue
        contexts = None
        for child, line in child_lines(token, first_line):
            if child.type == "wikilink":
                contexts = contexts if contexts is not None else _contexts(token)
                child.meta["n"] = len(wikilinks)
                wikilinks.append(replace(child.meta["link"], line=line, context=contexts.get(id(child), "")))
                continue
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            target = str(child.attrGet(attr) or "") if attr else ""
            if not target or is_external(target) or child.attrGet("class") == "header-anchor":
                continue
            contexts = contexts if contexts is not None else _contexts(token)
            links.append(Link(target, line, context=contexts.get(id(child), "")))
            if target.startswith("/"):
                child.attrSet(attr, site_link(target))
    return links, wikilinks


def _contexts(inline: Token) -> dict[int, str]:
    return link_contexts(inline, lambda child: shown_text(child.meta["link"]))


def _first_paragraph(tokens: list[Token]) -> str:
    """Plain text of the first top-level paragraph: the fallback description."""
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return " ".join(_plain_text(tokens[i + 1].children or []).split())
    return ""


def _plain_text(children: list[Token]) -> str:
    return "".join(shown_text(c.meta["link"]) if c.type == "wikilink" else c.content if c.type != "softbreak"
                   else " " for c in children if c.type in ("text", "code_inline", "softbreak", "wikilink"))

