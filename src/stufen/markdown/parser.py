"""Markdown → HTML, with everything later stages need of a body.

`make_markdown()` is the one place every markdown-it plugin is registered.
`render_markdown()` is pure: the same text and settings always give the same
`Rendered`, which is what makes the load stage cacheable.
"""

from __future__ import annotations

import re
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

from ..model import Rendered
from ..report import stage
from ..slugs import heading_id
from .callouts import callout_plugin
from .highlight import highlight_code
from .math import MATH_TOKENS, math_plugin
from .obsidian import obsidian_plugin
from .toc import build_toc
from .walk import LABEL_CHILDREN, plain_text, walk
from .walk import child_lines as child_lines  # commands/lint.py counts lines as the walk does
from .words import count_words

# markdown-it's smartquotes copies a paragraph's text once per quote in it: quadratic, so a paragraph of
# 50,000 quotes took minutes. Past this many quotes × characters a paragraph keeps straight quotes.
_QUOTE_BUDGET = 50_000_000
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
    name = " ".join(plain_text(inline.children or []).split()) if inline else ""
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


@stage("markdown")
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
    found = walk(tokens, first_line)
    if found.toc_at is not None:
        toc_html = build_toc([h for i, h, top in found.headings if i > found.toc_at and top])
        tokens.insert(found.toc_at + 3, Token("html_block", "", 0, content=toc_html))
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        html=html,
        toc=tuple(h for _, h, top in found.headings if top),
        links=(*found.links, *found.raw_links),
        ids=html_ids(html),
        first_paragraph=found.first_paragraph or "",
        words=count_words(text),
        problems=tuple(env["problems"]),
        warnings=tuple(env.get("math_warnings", ())),
        wikilinks=tuple(found.wikilinks),
        inline_tags=tuple(env.get("inline_tags", ())),
    )


def html_ids(html: str) -> frozenset[str]:
    """Every `id="…"` value after a blank in `html`: the regex `\\sid="([^"]+)"`'s matches, found by str.find.

    The rendered HTML is where every id is, whoever wrote it: heading and block ids, the footnote plugin's
    renderer, raw HTML; it is read once, and finding the few `id="` costs a sixth of running that regex."""
    found = set()
    at = html.find('id="')
    while at >= 0:
        end = html.find('"', at + 4)
        if end < 0:
            break
        if at and html[at - 1].isspace() and end > at + 4:
            found.add(html[at + 4:end])
            at = html.find('id="', end + 1)
        else:
            at = html.find('id="', at + 1)
    return frozenset(found)


def _id_source(children) -> str:
    """What a heading's id is made of: its text and code, and a formula's LaTeX (`Why $\\beta$` → why-beta)."""
    return "".join(c.content.strip() if c.type in MATH_TOKENS else c.content for c in children
                   if c.type in LABEL_CHILDREN)
