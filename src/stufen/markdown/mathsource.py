"""What a formula says that latex2mathml would drop without a word: each is turned into what the author
meant, or left out with a warning naming it, so no part of a formula vanishes silently.

- `%` starts a TeX comment, to the end of the line. In inline math (`$…$`, one line of prose) that
  would hide the rest of the formula, and what authors write there is a percentage: `$50% and 30%$`,
  `$p = 5%$`. So in inline math `%` is a percent sign. Display math (`$$…$$`, ```` ```math ````) is
  where LaTeX pasted from a paper goes, comment lines and all; there `%` keeps its TeX meaning and
  the text it hides is named in a warning (write `\\%` for a percent sign).
- `\\label{…}` has nothing to refer to it here (no equation numbers): left out, with a warning.
- An environment latex2mathml does not know (`\\begin{CD}`) would lose its name and layout and show
  its bare content: shown so, with a warning. Display wrappers whose content is the whole of what
  they show (`equation`, `equation*`, `displaymath`, …) need none.
"""

from __future__ import annotations

import re

from .mathcompat import ENVIRONMENTS

_PERCENT_OR_ESCAPE = re.compile(r"\\.|%", re.DOTALL)
_COMMENT = re.compile(r"\\.|%[^\n]*", re.DOTALL)
_LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")
_BEGIN = re.compile(r"\\begin\s*\{([^{}]*)\}")
# latex2mathml's own tables, the amsmath ones mathcompat renames to them, and wrappers that add only a number
KNOWN_ENVIRONMENTS = {"matrix", "matrix*", "pmatrix", "pmatrix*", "bmatrix", "bmatrix*", "Bmatrix", "Bmatrix*",
                      "vmatrix", "vmatrix*", "Vmatrix", "Vmatrix*", "array", "substack", "cases", "displaylines",
                      "eqalign", "eqalignno", "smallmatrix", "split", "align", "align*", *ENVIRONMENTS,
                      "equation", "equation*", "displaymath", "math", "subequations"}


def read_source(latex: str, display: bool) -> tuple[str, tuple[str, ...]]:
    """The formula as latex2mathml should get it, and a warning for each thing of it left out."""
    warnings, source = [], _short(latex)
    if display:
        comments = [m.group() for m in _COMMENT.finditer(latex) if m.group().startswith("%")]
        latex = _COMMENT.sub(lambda m: m.group() if m.group().startswith("\\") else "", latex)
        warnings += [f"TeX comment '{text.strip()}' in ${source}$ is not shown "
                     "(write \\% for a percent sign)" for text in comments if text[1:].strip()]
    else:
        latex = _PERCENT_OR_ESCAPE.sub(lambda m: "\\%" if m.group() == "%" else m.group(), latex)
    for match in _LABEL.finditer(latex):
        warnings.append(f"\\label{{{match.group(1)}}} in ${source}$ is left out: equations have no "
                        "numbers here to refer to")
    latex = _LABEL.sub("", latex)
    for name in dict.fromkeys(m.group(1).strip() for m in _BEGIN.finditer(latex)):
        if name not in KNOWN_ENVIRONMENTS:
            warnings.append(f"unknown environment '{name}' in ${source}$: only its content is shown, "
                            "without its layout")
    return latex, tuple(warnings)


def _short(latex: str) -> str:
    text = " ".join(latex.split())
    return text if len(text) <= 60 else text[:57] + "…"
