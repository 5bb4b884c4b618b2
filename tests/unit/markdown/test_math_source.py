"""No part of a formula vanishes silently: every word and number of the LaTeX reaches the MathML or a
warning with the file's line (a `%` in inline math is a percent sign; comments, `\\label` and unknown
environments are named)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import PurePosixPath

import pytest

from conftest import post
from stufen.load.post import Settings, load_post
from stufen.markdown.math import convert_formula
from stufen.markdown.parser import render_markdown

SRC = PurePosixPath("content/posts/m.md")
_COMMAND = re.compile(r"\\(?:begin|end)\s*\{[^}]*\}|\\[A-Za-z]+\*?|\\.")  # environment names are structure
_TAG = re.compile(r"<[^>]*>")


def shown(mathml: str) -> str:
    """The characters a formula's MathML shows, without the alttext (which repeats the source)."""
    return unescape(_TAG.sub("", re.sub(r' alttext="[^"]*"', "", mathml))).replace(" ", "")


def missing(latex: str, display: bool) -> list[str]:
    """Words and numbers of `latex` (outside command names) that neither the MathML shows nor a warning names."""
    html, problem, warnings = convert_formula(latex, display)
    assert problem is None
    words = re.findall(r"[A-Za-z]+|\d+|%", _COMMAND.sub(" ", latex))
    said = " ".join(warnings)
    return [word for word in words if word not in shown(html) and word not in said]


@pytest.mark.parametrize("latex", ["50% and 30%", "p = 5%", "x_{10%} + 20\\% + 3%", "\\text{50%} + 40%",
                                   "a \\% b 5%"])
def test_a_percent_in_inline_math_is_a_percent_sign_and_nothing_after_it_is_lost(latex):
    html, problem, warnings = convert_formula(latex, False)
    assert (problem, warnings) == (None, ())
    assert missing(latex, False) == []
    assert shown(html).count("%") == latex.count("%")


def test_fifty_and_thirty_percent_show_in_full_inline():
    html = render_markdown("Of the posts, $50% and 30%$ were read.").html
    assert shown(re.search(r"<math.*</math>", html).group()) == "50%and30%"


def test_a_comment_in_display_math_is_left_out_with_a_warning_naming_it():
    latex = "a = b % the identity\n+ c"
    html, problem, warnings = convert_formula(latex, True)
    assert problem is None and "+" in shown(html) and "c" in shown(html)
    assert warnings == ("TeX comment '% the identity' in $a = b % the identity + c$ is not shown "
                        "(write \\% for a percent sign)",)
    assert missing(latex, True) == []
    assert convert_formula("a = b %\n+ c", True)[2] == ()  # a bare % at a line's end hides nothing
    assert convert_formula("50\\% + 1", True)[2] == ()


def test_a_brace_in_a_comment_does_not_unbalance_the_formula():
    assert convert_formula("x^{2} % not } this\n+ 1", True)[1] is None


@pytest.mark.parametrize("latex, warning", [
    ("\\begin{equation} E = mc^2 \\label{eq:energy} \\end{equation}",
     "\\label{eq:energy} in $\\begin{equation} E = mc^2 \\label{eq:energy} \\end{equation}$ is left out: "
     "equations have no numbers here to refer to"),
    ("\\begin{CD} A @>>> B \\end{CD}",
     "unknown environment 'CD' in $\\begin{CD} A @>>> B \\end{CD}$: only its content is shown, without its layout"),
    ("\\begin{align} a &= b \\label{first} \\\\ c &= d \\end{align}",
     "\\label{first} in $\\begin{align} a &= b \\label{first} \\\\ c &= d \\end{align}$ is left out: "
     "equations have no numbers here to refer to"),
])
def test_what_latex2mathml_cannot_render_is_rendered_without_it_and_named(latex, warning):
    html, problem, warnings = convert_formula(latex, True)
    assert problem is None and html
    assert warnings == (warning,)
    assert missing(latex, True) == []


@pytest.mark.parametrize("latex", ["\\begin{equation} E = mc^2 \\end{equation}",
                                   "\\begin{equation*} a + b \\end{equation*}",
                                   "\\begin{equation}\\begin{split} a &= b \\\\ &= c \\end{split}\\end{equation}"])
def test_equation_shows_all_of_its_content_without_a_warning(latex):
    assert convert_formula(latex, True)[1:] == (None, ())
    assert missing(latex, True) == []


def test_warnings_reach_the_build_report_with_file_and_line_and_the_post_is_built():
    body = "Rates of $50% and 30%$.\n\n$$\nx = 1 % one\n$$\n\n$$\\begin{CD} A \\end{CD}$$\n"
    result, problems = load_post(post(description="d", body=body).encode(), SRC, Settings())
    assert result is not None  # warnings: the post is built
    assert [p.format() for p in problems] == [
        "content/posts/m.md:8: warning: TeX comment '% one' in $x = 1 % one$ is not shown "
        "(write \\% for a percent sign)",
        "content/posts/m.md:12: warning: unknown environment 'CD' in $\\begin{CD} A \\end{CD}$: only its content "
        "is shown, without its layout",
    ]
    assert "<mn>50</mn><mi>&#x00025;</mi>" in result.html and "<mn>30</mn>" in result.html


def test_build_prints_the_warning_and_succeeds(site, stufen):
    root = site({"content/posts/a.md": post(description="d", body="Intro.\n\n$$x \\label{a}$$\n")})
    code, out, err = stufen(root, "build")
    assert code == 0
    assert "content/posts/a.md:8: warning: \\label{a} in $x \\label{a}$ is left out: equations have no numbers " \
           "here to refer to" in (out + err).splitlines()
