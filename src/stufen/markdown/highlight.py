"""Build-time syntax highlighting with Pygments: no JavaScript, one stylesheet.

An unknown or missing language is not an error: the code is shown as escaped
plain text, as GitHub does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from pygments import highlight as pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES
from pygments.token import Token as PygmentsToken
from pygments.util import ClassNotFound

from ..report import stage
from .contrast import luminance, readable

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@stage("highlighting")
def highlight_code(code: str, lang: str, attrs: str = "") -> str:
    """A complete `<pre>` block; markdown-it uses it as-is because it starts with `<pre`."""
    name = lang.split()[0].lower() if lang else ""
    body = _highlighted(code, name) if name else escape(code)
    label = f' data-lang="{escape(name)}"' if name else ""
    cls = f' class="language-{escape(name)}"' if name else ""
    return f'<pre class="highlight"{label} tabindex="0"><code{cls}>{body}</code></pre>\n'


# (language, code) → highlighted body, while a build remembers (`remember` … `forget`): Pygments compiles a
# language's rules on first use in a process (55 ms for Python, 35 for SQL), more than the rest of parsing
# the post an author just edited, whose code blocks rarely changed. Off elsewhere: a cold build's workers
# would hold every block of the site, and the dev server's lexers stay compiled between its builds.
_memo: dict[tuple[str, str], str] | None = None
_used: dict[tuple[str, str], str] = {}


def _highlighted(code: str, name: str) -> str:
    if _memo is None:
        return _pygmentize(code, name)
    key = (name, code)
    body = _memo.get(key)
    if body is None:
        body = _memo[key] = _pygmentize(code, name)
    _used[key] = body
    return body


def _pygmentize(code: str, name: str) -> str:
    lexer = _lexer(name)
    return pygmentize(code, lexer, _FORMATTER) if lexer else escape(code)


def remember(blocks: dict[tuple[str, str], str]) -> None:
    """Highlight through a memo holding `blocks`, which an earlier process made (`forget`) with the same
    Pygments and Stufen."""
    global _memo
    _memo = dict(blocks)
    _used.clear()


def forget() -> dict[tuple[str, str], str]:
    """Stop remembering: the blocks highlighted, or found in the memo, since `remember`."""
    global _memo
    blocks = dict(_used)
    _memo = None
    _used.clear()
    return blocks


def stylesheet(light: str, dark: str) -> str:
    """Compact light and dark rules for the two Pygments styles, every token colour at WCAG AA.

    Each token class is written once with both colours as custom properties; the
    dark one applies when the reader's OS or the toggle asks for dark. That keeps
    the file small (the theme's CSS budget is 20 KB) and never unreadable.
    """
    palettes = {"l": palette(light), "d": palette(dark)}
    rules = [f"/* Pygments {light} (light) and {dark} (dark), token colours raised to WCAG AA */",
             f"pre.highlight{{--code-bg:{palettes['l'].background};color:{palettes['l'].text}}}",
             ".highlight [class]{color:var(--l,inherit)}"]
    classes = sorted({*palettes["l"].tokens, *palettes["d"].tokens})
    for cls in classes:
        light_token, dark_token = palettes["l"].tokens.get(cls), palettes["d"].tokens.get(cls)
        props = [f"--{k}:{t.color}" for k, t in (("l", light_token), ("d", dark_token)) if t]
        shared = light_token or dark_token
        if shared.bold and (dark_token or shared).bold:
            props.append("font-weight:bold")
        if shared.italic and (dark_token or shared).italic:
            props.append("font-style:italic")
        rules.append(f".highlight .{cls}{{{';'.join(props)}}}")
    dark_rules = (f"pre.highlight{{--code-bg:{palettes['d'].background};color:{palettes['d'].text}}}"
                  "\n.highlight [class]{color:var(--d,inherit)}")
    forced = _scoped(dark_rules, ':root[data-theme="dark"]')
    automatic = _scoped(dark_rules, ':root:not([data-theme="light"])')
    return "\n".join([*rules, forced, f"@media (prefers-color-scheme: dark) {{\n{automatic}\n}}"]) + "\n"


@dataclass(frozen=True, slots=True)
class Token:
    color: str
    bold: bool
    italic: bool


@dataclass(frozen=True, slots=True)
class Palette:
    """A Pygments style as the stylesheet uses it: background, text and readable token colours."""

    background: str
    text: str
    tokens: dict[str, Token]


def palette(name: str) -> Palette:
    style = get_style_by_name(name)
    background = _hex(style.background_color) or "#ffffff"
    fallback = "#1f2328" if luminance(background) > 0.18 else "#e6edf3"
    base = style.style_for_token(PygmentsToken)
    text = readable(_hex(base["color"]) or fallback, background)
    tokens = {}
    for ttype, cls in STANDARD_TYPES.items():
        found = style.style_for_token(ttype)
        color = _hex(found["color"])
        if cls and (color or found["bold"] or found["italic"]) and found != base:
            tokens[cls] = Token(readable(color, background) if color else text, found["bold"], found["italic"])
    return Palette(background, text, tokens)


def _hex(color: str | None) -> str | None:
    return "#" + color.lstrip("#") if color and not color.startswith("ansi") else None


def _scoped(css: str, scope: str) -> str:
    return "\n".join(f"{scope} {line}" for line in css.splitlines())
