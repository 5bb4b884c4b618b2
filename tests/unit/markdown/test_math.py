"""Math: $…$, $$…$$ and ```math fences become MathML at build time; bad LaTeX names file and line."""

from __future__ import annotations

from html import escape
from pathlib import PurePosixPath

from conftest import post
from stufen.load.post import Settings, load_post
from stufen.markdown.math import to_mathml
from stufen.markdown.mathcompat import styled_char
from stufen.markdown.parser import render_markdown

SRC = PurePosixPath("content/posts/m.md")


def test_inline_math_becomes_mathml_with_its_source_as_alttext():
    html = render_markdown("Euler: $e^{i\\pi}$.").html
    assert html.startswith('<p>Euler: <math alttext="e^{i\\pi}" xmlns="http://www.w3.org/1998/Math/MathML" '
                           'display="inline"><mrow><msup><mi>e</mi>')
    assert "<script" not in html


def test_display_math_and_math_fence_are_block_mathml():
    html = render_markdown("$$\n\\frac{1}{n}\n$$\n\n```math\nx^2\n```\n").html
    assert html.count('<div class="math-display"><math ') == 2
    assert html.count('display="block"') == 2
    assert "<mfrac>" in html and "<msup><mi>x</mi><mn>2</mn></msup>" in html


def test_display_math_inside_a_paragraph_is_a_span_not_an_invalid_div():
    html = render_markdown("So $$x^2$$ follows.").html
    assert html.startswith('<p>So <span class="math-display"><math ')
    assert html.rstrip().endswith("</math></span> follows.</p>") and "<div" not in html


def test_dollars_in_prose_stay_text():
    html = render_markdown("It costs $5 and $10, or $ 3 $; my $PATH and $HOME too.").html
    assert "<math" not in html
    assert "$5 and $10" in html and "$PATH and $HOME" in html


def test_a_dollar_in_a_code_span_neither_opens_nor_closes_math():
    html = render_markdown("Colab Pro costs $10 a month; then set `$HOME` first.").html
    assert html == "<p>Colab Pro costs $10 a month; then set <code>$HOME</code> first.</p>\n"
    html = render_markdown("Set `$HOME`, then $x$; a ``$`` and $y$.").html
    assert html.count("<math ") == 2 and "<code>$HOME</code>" in html and "<code>$</code>" in html
    assert 'alttext="x"' in html and 'alttext="y"' in html
    # a backtick that opens no code span (none closes it) is part of the formula, as it would be text
    assert 'alttext="a `b"' in render_markdown("$a `b$ and no closer").html


def test_other_fences_are_still_highlighted():
    html = render_markdown("```python\nx = 1\n```\n").html
    assert html.startswith('<pre class="highlight" data-lang="python"')


def test_latex_problems_are_named():
    assert to_mathml("x^", False) == ("", "invalid LaTeX in $x^$: missing superscript or subscript")
    assert to_mathml("\\frac{a", False) == ("", "invalid LaTeX in $\\frac{a$: 1 unclosed '{'")
    assert to_mathml("a}", False) == ("", "invalid LaTeX in $a}$: '}' without a matching '{'")
    assert to_mathml("\\fract{a}{b}", True) == ("", "invalid LaTeX in $\\fract{a}{b}$: unknown command \\fract")
    assert to_mathml("\\{a\\}", False)[1] is None  # escaped braces are fine


def test_bad_latex_is_an_error_with_file_line():
    body = "Fine $x$.\n\nBad $x^$ on this line\nand $\\foo$ on the next.\n\n$$\n\\left( x\n$$\n"
    result, problems = load_post(post(body=body).encode(), SRC, Settings())
    assert result is None
    hint = " (check the formula's braces and commands)"
    assert [p.format() for p in problems] == [
        "content/posts/m.md:7: invalid LaTeX in $x^$: missing superscript or subscript" + hint,
        "content/posts/m.md:8: invalid LaTeX in $\\foo$: unknown command \\foo" + hint,
        "content/posts/m.md:10: invalid LaTeX in $\\left( x$: extra left or missing right" + hint,
    ]


def test_build_reports_bad_latex_once_without_traceback(site, stufen):
    root = site({"content/posts/a.md": post(body="Intro.\n\n```math\n\\frac{1}{\n```\n")})
    code, out, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines() == [
        "content/posts/a.md:7: invalid LaTeX in $\\frac{1}{$: 1 unclosed '{' (check the formula's braces and commands)",
        "Build failed: 1 error",
    ]


ALIGNED_ROWS = ('<mtable displaystyle="true" rowspacing="3pt" columnspacing="0em 2em">'
                '<mtr><mtd columnalign="right"><mi>a</mi></mtd><mtd columnalign="left"><mi /><mo>&#x0003D;</mo>'
                '<mi>b</mi><mo>&#x0002B;</mo><mi>c</mi></mtd></mtr>'
                '<mtr><mtd columnalign="right"><mi>d</mi></mtd><mtd columnalign="left"><mi /><mo>&#x0003D;</mo>'
                '<mi>e</mi></mtd></mtr></mtable>')


def test_aligned_eqnarray_and_alignat_rows_line_up_like_align():
    for latex in ("\\begin{aligned}a &= b + c \\\\ d &= e\\end{aligned}",
                  "\\begin{aligned}[t]a &= b + c \\\\ d &= e\\end{aligned}",
                  "\\begin{eqnarray*}a &=& b + c \\\\ d &=& e\\end{eqnarray*}",
                  "\\begin{alignedat}{1}a &= b + c \\\\ d &= e\\end{alignedat}"):
        html = render_markdown(f"$${latex}$$").html
        assert ALIGNED_ROWS in html, latex
        assert f'alttext="{escape(latex)}"' in html  # the reader's copy of the source is what the author wrote
    assert to_mathml("\\left(\\begin{aligned}a &= b + c \\\\ d &= e\\end{aligned}\\right.", True)[0].count("<mtr>") == 2


def test_gathered_gather_and_multline_rows_are_centred_table_rows():
    for env in ("gathered", "gather", "gather*", "multline"):
        html, problem = to_mathml(f"\\begin{{{env}}}a = b + c \\\\ \\frac{{1}}{{2}} = e\\end{{{env}}}", True)
        assert problem is None
        assert '<mtable rowspacing="0.5em" columnspacing="1em" displaystyle="true"><mtr><mtd><mi>a</mi>' in html
        assert html.count("<mtr>") == 2 and "linebreak" not in html


def test_an_ampersand_or_line_break_outside_a_table_is_an_error_with_file_line():
    body = "Fine $$\\begin{aligned}a &= b\\end{aligned}$$.\n\n$$\na & b\n$$\n\nTwo\nrows $x \\\\ y$ in prose.\n"
    result, problems = load_post(post(body=body).encode(), SRC, Settings())
    assert result is None
    hint = " (check the formula's braces and commands)"
    assert [p.format() for p in problems] == [
        "content/posts/m.md:7: invalid LaTeX in $a & b$: '&' outside an environment with columns such as "
        "aligned, cases or a matrix (write \\& for an ampersand)" + hint,
        "content/posts/m.md:12: invalid LaTeX in $x \\\\ y$: '\\\\' outside an environment with rows such as "
        "aligned or gathered" + hint,
    ]
    assert to_mathml("a \\& b", False)[1] is None


def test_operators_and_equation_tags_of_machine_learning_posts_are_valid():
    cases = {
        "\\arg\\min_\\theta L": '<mi>arg</mi><munder><mo movablelimits="true">min</mo><mi>&#x003B8;</mi></munder>'
                                '<mi>L</mi>',
        "\\operatorname*{arg\\,max}_x f": '<munder><mo movablelimits="true">arg&#x02009;max</mo><mi>x</mi></munder>'
                                         '<mi>f</mi>',
        "\\operatorname{arg\\,max}_x f": '<msub><mo>arg&#x02009;max</mo><mi>x</mi></msub><mi>f</mi>',  # no star: beside
        "\\max_x f": '<munder><mo movablelimits="true">max</mo><mi>x</mi></munder><mi>f</mi>',  # below in display only
        "\\max\\nolimits_x f": '<msub><mo>max</mo><mi>x</mi></msub><mi>f</mi>',
        "x = 1 \\nonumber": "<mrow><mi>x</mi><mo>&#x0003D;</mo><mn>1</mn></mrow></math>",
        "x = 1 \\notag": "<mrow><mi>x</mi><mo>&#x0003D;</mo><mn>1</mn></mrow></math>",
    }
    for latex, expected in cases.items():
        html, problem = to_mathml(latex, True)
        assert problem is None and expected in html, latex
    norm = to_mathml("\\lVert y \\rVert^2 + \\lvert a \\mid b \\rvert", True)[0]  # as big as the letters, like \\|
    assert norm.count('<mo stretchy="false">') == 5 and "<mo>" not in norm.replace("<mo>&#x0002B;</mo>", "")
    numbered = to_mathml("\\begin{align}a &= b \\nonumber \\\\ c &= d\\end{align}", True)[0]
    assert numbered.count("<mtext>(1)</mtext>") == 1 and "(2)" not in numbered


def test_font_commands_give_letters_chromium_draws_in_that_font():
    """Chromium ignores mathvariant (but "normal"), so styled letters are Unicode's mathematical ones."""
    cases = {
        "\\boldsymbol{\\theta}": "<mi>&#x1D73D;</mi>",  # 𝜽
        "\\bm{x}": "<mi>&#x1D499;</mi>",  # 𝒙
        "\\mathbb{1}": "<mn>&#x1D7D9;</mn>",  # 𝟙
        "\\mathbf{0}": "<mn>&#x1D7CE;</mn>",  # 𝟎
        "\\boldsymbol{\\nabla}": "<mo>&#x1D6C1;</mo>",  # 𝛁
        "\\mathrm{d}x": '<mi mathvariant="normal">d</mi></mrow></mrow><mi>x</mi>',  # upright, not 𝑑
        "\\boldsymbol{+}": '<mo mathvariant="bold">&#x0002B;</mo>',  # no bold plus in Unicode: left as it was
    }
    for latex, expected in cases.items():
        assert expected in to_mathml(latex, False)[0], latex
    assert [styled_char(ch, variant) for ch, variant in [("h", "italic"), ("R", "double-struck"), ("C", "fraktur"),
                                                         ("B", "script"), ("ε", "bold-italic"), ("+", "bold"),
                                                         ("x", "no-such-variant")]] == [
        "ℎ", "ℝ", "ℭ", "ℬ", "𝜺", None, None]
