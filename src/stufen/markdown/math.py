"""Math → MathML at build time: `$…$`, `$$…$$` and ```` ```math ```` fences.

Browsers render MathML natively, so a post needs no KaTeX/MathJax download, shows
its formulas instantly, reads them to screen readers and keeps them in feed
readers. latex2mathml is lenient (an unknown command becomes an identifier, an
unclosed brace is silently closed, a stray "&" becomes a letter), so `latex_problem`
and the checks of its output add what an author needs: bad LaTeX is reported with
its line, never shipped. What it gets wrong in valid LaTeX is put right in mathcompat.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from html import escape, unescape

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_inline_dollar

from ..report import stage
from .mathcompat import finish, prepare
from .mathsource import read_source

MATH_TOKENS = ("math_inline", "math_inline_double", "math_block")
_UNKNOWN_COMMAND = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_TAG = re.compile(r"<[^>]*>")
_BACKTICKS = re.compile(r"(?<!`)`+(?!`)")
_OPENING_BACKTICKS = re.compile(r"(?<![`\\])`+(?!`)|(?<=\\`)`+(?!`)")  # "\`" is a literal backtick
# What latex2mathml leaves of a "&" or "\\" it could not place in a table: a stray "&", and a line break
# that no browser draws (MathML Core has none), so the rows would run together on one line
_LEFTOVERS = (("<mi>&</mi>", "'&' outside an environment with columns such as aligned, cases or a matrix "
               "(write \\& for an ampersand)"),
              ('linebreak="newline"', "'\\\\' outside an environment with rows such as aligned or gathered"))


def math_plugin(md: MarkdownIt) -> None:
    """Parse dollar math so that "costs $5 and $10" stays text, and render every formula as MathML."""
    dollarmath_plugin(md, allow_space=False, allow_digits=False, allow_labels=False,
                      allow_blank_lines=False, double_inline=True)
    md.inline.ruler.at("math_inline", _math_inline_outside_code(math_inline_dollar(False, False, True)))
    md.add_render_rule("math_inline", lambda self, tokens, i, options, env: _render(tokens[i], False, env))
    # $$…$$ inside a paragraph: displayed, but in a <span> (a <div> is invalid inside <p>)
    md.add_render_rule("math_inline_double",
                       lambda self, tokens, i, options, env: _render(tokens[i], True, env, tag="span"))
    md.add_render_rule("math_block", lambda self, tokens, i, options, env: _render(tokens[i], True, env))
    plain_fence = md.renderer.rules["fence"]

    def fence(self, tokens, i, options, env):
        if tokens[i].info.strip().lower() == "math":
            return _render(tokens[i], True, env)
        return plain_fence(tokens, i, options, env)

    md.add_render_rule("fence", fence)


def _math_inline_outside_code(dollar_rule):
    """The dollar rule, except where the formula would swallow the start of a code span: in
    "costs $10 a month; then set `$HOME`" the second "$" is code, so the first one is a dollar."""

    def rule(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not dollar_rule(state, True):
            return False
        end, state.pos = state.pos, start
        if _starts_code_span(state.src, start, end):
            return False
        return dollar_rule(state, silent)

    return rule


def _starts_code_span(src: str, start: int, end: int) -> bool:
    """Whether a backtick run in src[start:end] is closed by a run of the same length after it."""
    runs = _backtick_runs(src)
    for match in _OPENING_BACKTICKS.finditer(src, start, end):
        later = runs.get(len(match.group()), ())
        if bisect.bisect_right(later, match.start()) < len(later):
            return True
    return False


MATH_HINT = "check the formula's braces and commands"


@lru_cache(maxsize=8)
def _backtick_runs(src: str) -> dict[int, list[int]]:
    """Where each length of backtick run starts in a paragraph (a closing run may follow a backslash)."""
    runs: dict[int, list[int]] = {}
    for match in _BACKTICKS.finditer(src):
        runs.setdefault(len(match.group()), []).append(match.start())
    return runs


@stage("math")
def _render(token: Token, display: bool, env: dict, tag: str = "div") -> str:
    latex = token.content.strip()
    html, problem, warnings = convert_formula(latex, display)
    env.setdefault("math_warnings", []).extend((token.meta.get("line", 1), warning) for warning in warnings)
    if problem:
        env.setdefault("problems", []).append((token.meta.get("line", 1), problem, MATH_HINT))
        return f'<code class="math-error">{escape(latex)}</code>'
    if not display:
        return html
    return f'<{tag} class="math-display">{html}</{tag}>' + ("\n" if tag == "div" else "")


def to_mathml(latex: str, display: bool) -> tuple[str, str | None]:
    """(MathML, None), or ("", what is wrong with the LaTeX)."""
    return convert_formula(latex, display)[:2]


@lru_cache(maxsize=1024)
def convert_formula(latex: str, display: bool) -> tuple[str, str | None, tuple[str, ...]]:
    """(MathML, None, warnings), or ("", what is wrong with the LaTeX, warnings): the warnings name
    what of the formula is not shown (see mathsource)."""
    source, warnings = read_source(latex, display)
    problem = latex_problem(source)
    if problem:
        return "", problem, warnings
    prepared, names = prepare(source)
    try:
        from latex2mathml.converter import convert  # here: most builds have no formula to pay its import for

        html = finish(convert(prepared, display="block" if display else "inline"), names)
    except Exception as exc:  # latex2mathml raises bare Exception subclasses with no message
        return "", f"invalid LaTeX in ${latex}$: {_describe(exc)}", warnings
    unknown = _UNKNOWN_COMMAND.search(html)
    if unknown:
        return "", f"invalid LaTeX in ${latex}$: unknown command {unknown.group(1)}", warnings
    for leftover, problem in _LEFTOVERS:
        if leftover in html:
            return "", f"invalid LaTeX in ${latex}$: {problem}", warnings
    return html.replace("<math ", f'<math alttext="{escape(latex)}" ', 1), None, warnings


def math_text(latex: str) -> str:
    """A formula as plain text, by the characters it shows: "\\beta" → "β"; its source when it is not valid."""
    html, problem = to_mathml(latex, False)
    return latex if problem else unescape(_TAG.sub("", html))


def latex_problem(latex: str) -> str | None:
    """The structural mistakes latex2mathml would silently paper over."""
    if not latex:
        return "empty formula"
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth -= 1
            if depth < 0:
                return f"invalid LaTeX in ${latex}$: '}}' without a matching '{{'"
    if depth > 0:
        return f"invalid LaTeX in ${latex}$: {depth} unclosed '{{'"
    return None


def _describe(exc: Exception) -> str:
    """`MissingSuperScriptOrSubscriptError()` → "missing superscript or subscript"."""
    text = str(exc).strip()
    if text:
        return text
    name = type(exc).__name__.removesuffix("Error").replace("SuperScript", "Superscript")
    return _CAMEL.sub(" ", name).lower()
