"""Obsidian's Markdown on top of CommonMark: `[[wikilinks]]`, `==highlights==`, `%%comments%%`,
`^block-ids` and inline `#tags` (callouts are callouts.py).

Everything here is markdown-it rules, so code spans and fences are left alone the way markdown-it
leaves them alone: a rule only ever sees text the parser has not already claimed. A wikilink renders
as a placeholder (`WikiLink.placeholder`): which post it names is only known once every post is
loaded, and the assemble stage fills it in (site/wikilinks.py).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

from ..model import WikiLink
from ..routes import tag_url
from ..slugs import slugify

# What Obsidian accepts between the brackets: no brackets, no line break (Quartz's wikilinkRegex, with `#`
# allowed more than once: Obsidian's [[Note#Heading#Subheading]] links to the last heading)
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+)\]\]")
_ALIAS = re.compile(r"\\?\|")  # in a table the pipe is written \|
_BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)$")
# Obsidian's tag: after a space or the start, letters, digits, _ - / and at least one that is not a digit
_TAG = re.compile(r"(?:(?<=\s)|^)#((?:[^\W_]|[_/-])*[^\W\d](?:[^\W_]|[_/-])*|[_/-]*[^\W\d_][\w/-]*)")


def obsidian_plugin(md: MarkdownIt, inline_tags: bool = False) -> None:
    md.inline.ruler.before("link", "wikilink", _wikilink)
    md.inline.ruler.before("emphasis", "highlight", _highlight)
    md.inline.ruler.before("emphasis", "comment", _inline_comment)
    md.block.ruler.before("paragraph", "comment_block", _block_comment)
    md.core.ruler.after("inline", "block_ids", _block_ids)
    if inline_tags:
        md.core.ruler.after("block_ids", "inline_tags", _inline_tags)
    md.add_render_rule("wikilink", lambda self, tokens, i, options, env: WikiLink.placeholder(tokens[i].meta["n"]))


def parse_wikilink(embed: bool, inner: str, line: int = 0) -> WikiLink:
    """`Target#Heading|alias` → its parts, as Obsidian reads them (the alias split off first)."""
    parts = _ALIAS.split(inner, maxsplit=1)
    ref, alias = parts[0], (parts[1].strip() if len(parts) > 1 else None)
    target, _, anchor = ref.partition("#")
    anchor = anchor.rsplit("#", 1)[-1].strip()
    return WikiLink(target.strip(), anchor, alias, embed, line)


def shown_text(link: WikiLink) -> str:
    """What Obsidian shows for a link without an alias: `Note > Heading`, `Heading`, `Note`."""
    if link.alias is not None:
        return link.alias
    if link.target and link.anchor:
        return f"{link.target} > {link.anchor}"
    return link.anchor or link.target


def _wikilink(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] not in "[!":
        return False
    match = _WIKILINK.match(state.src, state.pos, state.posMax)
    if match is None or not match.group(2).strip():
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"link": parse_wikilink(bool(match.group(1)), match.group(2))}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _highlight(state: StateInline, silent: bool) -> bool:
    """`==text==` → <mark>: the opening `==` is followed, and the closing one preceded, by a non-space."""
    start = state.pos
    if not state.src.startswith("==", start) or start + 2 >= state.posMax or state.src[start + 2] in " \t\n=":
        return False
    end = state.src.find("==", start + 3, state.posMax)
    if end < 0 or state.src[end - 1] in " \t\n":
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        old_max, state.pos, state.posMax = state.posMax, start + 2, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


def _inline_comment(state: StateInline, silent: bool) -> bool:
    """`%%comment%%` inside a paragraph: left out of the page (and so of search)."""
    if not state.src.startswith("%%", state.pos):
        return False
    end = state.src.find("%%", state.pos + 2, state.posMax)
    if end < 0:
        return False
    state.pos = end + 2
    return True


def _block_comment(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line that is only `%%comment%%`, or `%%` … `%%` over several lines (blank ones too): left out of the
    page. With text after the closing `%%` it is not a block: the paragraph's inline rule takes it."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]].rstrip()
    if not first.startswith("%%"):
        return False
    closing = first.find("%%", 2)
    if closing >= 0:  # closed on its first line: a block only when nothing follows
        if closing != len(first) - 2:
            return False
        if not silent:
            state.line = start + 1
        return True
    for line in range(start + 1, end):
        text = state.src[state.bMarks[line]:state.eMarks[line]]
        if "%%" in text:
            if text[text.index("%%") + 2:].strip():
                return False  # text after the closing %%: left to the paragraph's inline rule
            if not silent:
                state.line = line + 1
            return True
    return False  # never closed: the text stays, as Markdown


def _block_ids(state: StateCore) -> None:
    """A paragraph (or list item) ending in ` ^block-id` gets that id (`^block-id`, as Obsidian and Quartz
    link to it: `[[Note#^block-id]]`); the marker itself is not shown."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "inline" or not token.children or tokens[i - 1].type != "paragraph_open":
            continue
        last = token.children[-1]
        match = _BLOCK_ID.search(last.content) if last.type == "text" else None
        if match is None:
            continue
        last.content = last.content[:match.start()].rstrip()
        owner = tokens[i - 1]
        if owner.hidden:  # a tight list's item: the id goes on the <li>
            owner = next(t for t in reversed(tokens[:i]) if t.type == "list_item_open" and t.level < owner.level)
        owner.attrSet("id", "^" + match.group(1))


def _inline_tags(state: StateCore) -> None:
    """`#tag` in text becomes a link to the tag's page, and one of the post's tags (`env["inline_tags"]`)."""
    found = state.env.setdefault("inline_tags", [])
    for token in state.tokens:
        if token.type != "inline" or not token.children or "#" not in token.content:
            continue
        children, depth = [], 0
        for child in token.children:
            depth += child.type == "link_open"
            depth -= child.type == "link_close"
            children += _tagged(child, found) if child.type == "text" and depth == 0 else [child]
        token.children = children


def _tagged(text: Token, found: list[str]) -> list[Token]:
    out, at = [], 0
    for match in _TAG.finditer(text.content):
        name = match.group(1).rstrip("/-")
        if not slugify(name):
            continue
        found.append(name)
        before = Token("text", "", 0, content=text.content[at:match.start()])
        link = Token("link_open", "a", 1, attrs={"class": "tag", "href": tag_url(slugify(name))})
        label = Token("text", "", 0, content="#" + name)
        out += [before, link, label, Token("link_close", "a", -1)]
        at = match.start() + 1 + len(name)
    return [*out, Token("text", "", 0, content=text.content[at:])] if out else [text]
