"""What latex2mathml and browsers get wrong about a formula, put right before the conversion.

amsmath environments latex2mathml does not know (`aligned`, `gathered`, `eqnarray`, …) are
rewritten to the ones it turns into tables (`align*`, `displaylines`): it would otherwise put
their rows on one line with a stray "&" in each, as MathML Core (Chromium) has no line breaks.
"""

from __future__ import annotations

import re

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


def prepare(latex: str) -> str:
    """The LaTeX latex2mathml should see."""
    latex = _EQNARRAY.sub(lambda m: m.group(1) + _two_columns(m.group(3)) + m.group(4), latex)
    return _ENV.sub(_rename_environment, latex)


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
