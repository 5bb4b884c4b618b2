"""What latex2mathml and browsers get wrong about a formula, put right before and after the conversion.

Before (`prepare`): amsmath environments latex2mathml does not know (`aligned`, `gathered`,
`eqnarray`, …) are rewritten to the ones it turns into tables (`align*`, `displaylines`);
`\\operatorname*{arg\\,max}` keeps its space and, like `\\min_x`, puts its limits below in
display style; `\\mathrm{d}` keeps its upright shape. After (`finish`): `\\arg` is a function
name like `\\sin`; `mathvariant="bold-italic"` and the like become Unicode mathematical letters
(𝜽, 𝒙, 𝟙), because Chromium ignores every mathvariant but "normal"; `\\nonumber` and `\\notag`
outside a numbered environment are dropped, as LaTeX does; `\\lVert x \\rVert` keeps its size.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import unescape

# amsmath environment → the latex2mathml one that lays it out the same way (Chromium cannot break
# a line inside a formula, so rows must be table rows)
ENVIRONMENTS = {"aligned": "align*", "alignedat": "align*", "alignat": "align", "alignat*": "align*",
                "gathered": "displaylines", "gather": "displaylines", "gather*": "displaylines",
                "multline": "displaylines", "multline*": "displaylines",
                "eqnarray": "align", "eqnarray*": "align*"}
_ARGUMENTS = {"aligned": r"(?:\s*\[[tbc]\])?", "gathered": r"(?:\s*\[[tbc]\])?",
              "alignedat": r"(?:\s*\[[tbc]\])?\s*\{\d+\}", "alignat": r"\s*\{\d+\}", "alignat*": r"\s*\{\d+\}"}
_ENV = re.compile("|".join([*(rf"\\begin\s*\{{{re.escape(name)}\}}{_ARGUMENTS.get(name, '')}" for name in ENVIRONMENTS),
                            r"\\end\s*\{(?:" + "|".join(map(re.escape, ENVIRONMENTS)) + r")\}"]))
_ENV_NAME = re.compile(r"\\(begin|end)\s*\{([^}]*)\}")
_EQNARRAY = re.compile(r"(\\begin\s*\{eqnarray(\*?)\})(.*?)(\\end\s*\{eqnarray\2\})", re.DOTALL)
_CELL_SEPARATORS = re.compile(r"\\\\|\\begin\b|\\end\b|\\.|[{}&]", re.DOTALL)
# Operators whose limits go below in display style and beside inline (latex2mathml always puts them beside)
_LIMIT_OPERATORS = {"min": "min", "max": "max", "lim": "lim", "sup": "sup", "inf": "inf", "det": "det", "gcd": "gcd",
                    "Pr": "Pr", "liminf": "lim\\,inf", "limsup": "lim\\,sup", "argmin": "arg\\,min",
                    "argmax": "arg\\,max"}
_LIMIT_OPERATOR = re.compile(r"\\(" + "|".join(sorted(_LIMIT_OPERATORS, key=len, reverse=True))
                             + r")(?![A-Za-z])(?=\s*[_^])")
_MATHRM_LETTER = re.compile(r"\\mathrm\s*\{\s*([A-Za-z])\s*\}")
_OPERATORNAME = re.compile(r"\\operatorname(\*|withlimits)?\s*\{([^{}]*)\}((?=\s*[_^]))?")
_PLAIN_NAME = re.compile(r"[A-Za-z\s]+")  # what latex2mathml reads as an operator name by itself
_SPACES = {"\\,": "\u2009", "\\:": "\u205f", "\\>": "\u205f", "\\;": "\u2004", "\\ ": "\u00a0", "~": "\u00a0",
           "\\!": ""}
_SPACE = re.compile(r"\\[,:>; !]|~")
_NAME_TEXT = re.compile(r"[A-Za-z0-9\-'.\u2009\u205f\u2004\u00a0 ]+")
_PLACEHOLDER = "stufenop"
_NO_NUMBER = re.compile(r"<mi>\\(?:nonumber|notag)</mi>")
_ARG = "<mi>\\arg</mi>"  # latex2mathml knows \sin and \log but not \arg
# \lvert, \rvert, \lVert, \rVert and \mid come out as a bare <mo>, which Chromium stretches to the height of
# the whole row (as if \left had been written); in LaTeX they keep their size, as "|" and "\|" do here
_BARE_BARS = re.compile(r"<mo>(&#x0007C;|&#x02016;|&#x02223;)</mo>")
_VARIANT = re.compile(r'<(mi|mn|mo)([^>]*?) mathvariant="([a-z-]+)"([^>/]*)>([^<]+)</\1>')
_STYLES = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC", "double-struck": "DOUBLE-STRUCK",
           "script": "SCRIPT", "bold-script": "BOLD SCRIPT", "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR",
           "sans-serif": "SANS-SERIF", "bold-sans-serif": "SANS-SERIF BOLD",
           "sans-serif-italic": "SANS-SERIF ITALIC", "sans-serif-bold-italic": "SANS-SERIF BOLD ITALIC",
           "monospace": "MONOSPACE"}
# Letters encoded before the Mathematical Alphanumeric Symbols block, which has holes where they would be
_OLDER = {"MATHEMATICAL ITALIC SMALL H": "PLANCK CONSTANT"}


def prepare(latex: str) -> tuple[str, dict[str, str]]:
    """The LaTeX latex2mathml should see, and the operator names to put back into its output."""
    latex = _EQNARRAY.sub(lambda m: m.group(1) + _two_columns(m.group(3)) + m.group(4), latex)
    latex = _ENV.sub(_rename_environment, latex)
    latex = _LIMIT_OPERATOR.sub(lambda m: f"\\operatorname*{{{_LIMIT_OPERATORS[m.group(1)]}}}", latex)
    latex = _MATHRM_LETTER.sub(r"\\mathrm{{\1}}", latex)  # a lone letter would lose mathvariant="normal"
    names: dict[str, str] = {}

    def operator(match: re.Match) -> str:
        star, name, scripts = match.groups()
        limits = "\\limits" if star and scripts is not None else ""  # movablelimits works on <munder> only
        text = _SPACE.sub(lambda s: _SPACES[s.group()], name).strip()
        if _PLAIN_NAME.fullmatch(name) or not _NAME_TEXT.fullmatch(text):
            return match.group() + limits
        key = _PLACEHOLDER + _letters(len(names))
        names[key] = text
        return f"\\operatorname{star or ''}{{{key}}}{limits}"

    return _OPERATORNAME.sub(operator, latex), names


def finish(mathml: str, names: dict[str, str]) -> str:
    """latex2mathml's output as Chromium should get it."""
    for key, text in names.items():
        mathml = mathml.replace(f">{key}<", f">{_encode(text)}<")
    mathml = _NO_NUMBER.sub("", mathml).replace(_ARG, "<mi>arg</mi>")
    mathml = _BARE_BARS.sub(r'<mo stretchy="false">\1</mo>', mathml)
    return _VARIANT.sub(_unicode_variant, mathml)


def _rename_environment(match: re.Match) -> str:
    command, name = _ENV_NAME.match(match.group()).groups()
    return f"\\{command}{{{ENVIRONMENTS[name]}}}"


def _two_columns(body: str) -> str:
    """eqnarray's `a &=& b` as align's `a &= b`: the relation joins the right-hand side."""
    out, depth, last, column = [], 0, 0, 0
    for match in _CELL_SEPARATORS.finditer(body):
        token = match.group()
        if token == "\\\\":
            column = 0
        elif token in ("{", "\\begin"):
            depth += 1
        elif token in ("}", "\\end"):
            depth -= 1
        elif token == "&" and depth == 0:
            column += 1
            if column == 2:
                out.append(body[last:match.start()])
                last = match.end()
    out.append(body[last:])
    return "".join(out)


def _letters(n: int) -> str:
    """0 → "a", 25 → "z", 26 → "ba": placeholders latex2mathml reads as one operator name."""
    text = ""
    while True:
        n, digit = divmod(n, 26)
        text = chr(ord("a") + digit) + text
        if not n:
            return text


def _unicode_variant(match: re.Match) -> str:
    tag, before, variant, after, text = match.groups()
    styled = [styled_char(ch, variant) for ch in unescape(text)]
    if variant == "normal" or None in styled:
        return match.group()  # Chromium honours "normal" on <mi>; a symbol with no styled form keeps the attribute
    return f"<{tag}{before}{after}>{_encode(''.join(ch or '' for ch in styled))}</{tag}>"


@lru_cache(maxsize=2048)
def styled_char(ch: str, variant: str) -> str | None:
    """'θ', 'bold-italic' → '𝜽'; None when Unicode has no such letter (or the variant is unknown)."""
    style = _STYLES.get(variant)
    name = unicodedata.name(ch, "")
    if style is None or not name:
        return None
    part = re.sub(r"^(?:LATIN|GREEK) (CAPITAL|SMALL) LETTER ", r"\1 ", name).removeprefix("GREEK ")
    part = part.replace("LUNATE ", "")  # ϵ: GREEK LUNATE EPSILON SYMBOL → MATHEMATICAL BOLD EPSILON SYMBOL
    wanted = f"MATHEMATICAL {style} {part}"
    for candidate in (wanted, _OLDER.get(wanted), f"{style.replace('FRAKTUR', 'BLACK-LETTER')} {part}"):
        try:
            found = unicodedata.lookup(candidate) if candidate else ""
        except KeyError:
            continue
        if len(found) == 1:  # lookup() also knows named sequences of several characters
            return found
    return None


def _encode(text: str) -> str:
    """As latex2mathml writes characters: ASCII as is, the rest as hex references."""
    return "".join(ch if ch.isascii() and ch not in "<>&" else f"&#x{ord(ch):05X};" for ch in text)
