"""GitHub alerts and Obsidian callouts: a blockquote whose first line is `[!type]` becomes a titled box.

One syntax covers both. GitHub's five alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`,
`[!CAUTION]`) are Obsidian callouts with the default title; Obsidian adds any type, a title after
the marker (`> [!info] Custom title`, Markdown allowed), title-only boxes, nesting (`> > [!note]`)
and folding: `[!faq]-` starts closed, `[!faq]+` open, both as `<details>`. The type is read
case-insensitively and, with no title, titles the box ("faq" → "Faq"), as in both.

Every type is drawn in one of GitHub's five looks (colour and icon). Obsidian's built-in types and
aliases go to the nearest one; GitHub's names keep GitHub's look (so `[!important]` is purple,
not Obsidian's cyan, and `[!caution]` red); any other type gets the note look and keeps its name
in `data-callout` for a site's own CSS. markdown-it-py's own alerts (five types only, no titles)
are turned off, so this is the one place that makes these boxes.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

# The type: anything up to "]" but blanks; "+" or "-" folds; a title after a blank. A marker followed by
# other text ("[!x](url)" is a link) is not a callout.
_MARKER = re.compile(r"\[!([^\]\s]+)\]([+-]?)(?:[ \t]+(.*))?$")
_LOOKS = {
    "note": ("note", "info", "todo", "abstract", "summary", "tldr", "quote", "cite"),
    "tip": ("tip", "hint", "success", "check", "done"),
    "important": ("important", "question", "help", "faq", "example"),
    "warning": ("warning", "attention"),
    "caution": ("caution", "failure", "fail", "missing", "danger", "error", "bug"),
}
LOOK = {name: look for look, names in _LOOKS.items() for name in names}
# 24×24 stroke icons in the theme's style (stroke and size from .icon): info, bulb, speech bubble, triangle, octagon
_SHAPES = {
    "note": '<circle cx="12" cy="12" r="9"/><path d="M12 16v-5M12 8h.01"/>',
    "tip": '<path d="M9 18h6M10 21.5h4M12 3a6 6 0 0 0-3.5 10.9c.4.3.5.7.5 1.1V16h6v-1c0-.4.1-.8.5-1.1'
           'A6 6 0 0 0 12 3z"/>',
    "important": '<path d="M20 15a2 2 0 0 1-2 2H8l-4 4V5a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2zM12 7v4M12 14h.01"/>',
    "warning": '<path d="M10.3 4 2.6 17.5A2 2 0 0 0 4.3 20.5h15.4a2 2 0 0 0 1.7-3L13.7 4a2 2 0 0 0-3.4 0z'
               'M12 9v4M12 17h.01"/>',
    "caution": '<path d="M8 2.5h8l5.5 5.5v8L16 21.5H8L2.5 16V8zM12 8v4.5M12 16h.01"/>',
}
ICONS = {look: f'<svg class="icon" aria-hidden="true" width="20" height="20" viewBox="0 0 24 24">{shape}</svg>'
         for look, shape in _SHAPES.items()}


def callout_plugin(md: MarkdownIt) -> None:
    """Rewrite marked blockquotes after block parsing, so titles are parsed as inline Markdown."""
    md.options["alerts"] = False  # markdown-it-py's own GitHub alerts, which gfm_plugin turns on
    md.core.ruler.after("block", "callouts", _callouts)
    md.add_render_rule("callout_title_open", _title_open)


def _title_open(self, tokens: list[Token], idx: int, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + ICONS[tokens[idx].meta["look"]] + " "


def _callouts(state: StateCore) -> None:
    tokens, opened, out, i = state.tokens, [], [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "blockquote_open":
            marker = _marker(tokens, i)
            opened.append(marker)
            if marker:
                title, keep = _open(token, tokens[i + 1], tokens[i + 2], *marker)
                out.extend(title)
                i += 1 if keep else 4  # an empty first paragraph goes with its closing token
                continue
        elif token.type == "blockquote_close" and opened.pop():
            token.type, token.tag = "callout_close", _tag(out, token.level)
        out.append(token)
        i += 1
    state.tokens = out


def _marker(tokens: list[Token], i: int) -> tuple[str, str, str | None] | None:
    """(type, fold, title) when the blockquote at `i` starts with a `[!type]` line."""
    if i + 3 >= len(tokens) or tokens[i + 1].type != "paragraph_open" or tokens[i + 2].type != "inline":
        return None
    match = _MARKER.match(tokens[i + 2].content.split("\n", 1)[0].rstrip())
    return (match.group(1).lower(), match.group(2), match.group(3)) if match else None


def _open(quote: Token, paragraph: Token, inline: Token, kind: str, fold: str,
          title: str | None) -> tuple[list[Token], bool]:
    """The box's opening tokens and its title, and whether the first paragraph has more than the marker line
    (which leaves it)."""
    look = LOOK.get(kind, "note")
    details = bool(fold)
    quote.type, quote.tag = "callout_open", "details" if details else "div"
    quote.attrs = {"class": f"callout callout-{look}", "data-callout": kind}
    if fold == "+":
        quote.attrSet("open", "")
    line = inline.map[0] if inline.map else 0
    title_open = Token("callout_title_open", "summary" if details else "p", 1, block=True, level=quote.level + 1,
                       attrs={"class": "callout-title"}, meta={"look": look})
    text = Token("inline", "", 0, content=(title or "").strip() or kind[:1].upper() + kind[1:], map=[line, line + 1],
                 level=quote.level + 2, children=[])
    title_close = Token("callout_title_close", title_open.tag, -1, block=True, level=quote.level + 1)
    rest = inline.content.split("\n", 1)[1] if "\n" in inline.content else ""
    if rest.strip():
        inline.content = rest
        for token in (paragraph, inline):
            if token.map:
                token.map = [token.map[0] + 1, token.map[1]]
    return [quote, title_open, text, title_close], bool(rest.strip())


def _tag(out: list[Token], level: int) -> str:
    """The tag of the callout this close token ends: the last callout opened at its level."""
    return next(t.tag for t in reversed(out) if t.type == "callout_open" and t.level == level)
