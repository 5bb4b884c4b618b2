"""Build-time syntax highlighting with Pygments: no JavaScript, one stylesheet.

An unknown or missing language is not an error: the code is shown as escaped
plain text, as GitHub does.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from pygments import highlight as pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)


@lru_cache(maxsize=256)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_code(code: str, lang: str, attrs: str = "") -> str:
    """A complete `<pre>` block; markdown-it uses it as-is because it starts with `<pre`."""
    name = lang.split()[0].lower() if lang else ""
    lexer = _lexer(name) if name else None
    body = pygmentize(code, lexer, _FORMATTER) if lexer else escape(code)
    label = f' data-lang="{escape(name)}"' if name else ""
    cls = f' class="language-{escape(name)}"' if name else ""
    return f'<pre class="highlight"{label} tabindex="0"><code{cls}>{body}</code></pre>\n'


def stylesheet(light: str, dark: str) -> str:
    """Light rules by default; dark ones when the reader or the toggle asks for dark."""
    light_css = HtmlFormatter(style=light).get_style_defs(".highlight")
    dark_rules = HtmlFormatter(style=dark).get_style_defs(".highlight")
    forced = _scoped(dark_rules, ':root[data-theme="dark"]')
    automatic = _scoped(dark_rules, ':root:not([data-theme="light"])')
    return (f"/* Pygments {light} (light) and {dark} (dark) */\n{light_css}\n{forced}\n"
            f"@media (prefers-color-scheme: dark) {{\n{automatic}\n}}\n")


def _scoped(css: str, scope: str) -> str:
    return "\n".join(f"{scope} {line}" if line.startswith(".highlight") else line
                     for line in css.splitlines() if not line.startswith(("pre {", "td.", "span.linenos")))
