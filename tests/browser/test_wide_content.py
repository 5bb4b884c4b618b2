"""Real AstroPaper content on a phone and in both themes: a wide table, raw media, a long formula and a long
code line never widen the page; GitHub alerts and Obsidian callouts are distinct boxes that pass axe."""

from __future__ import annotations

import pytest

from conftest import FIXED_NOW

from .demo import build_demo, serve_folder
from .test_theme import violations

pytestmark = pytest.mark.browser

WORDS = ["temperature", "humidity", "pressure", "visibility", "direction", "precipitation", "sunshine", "cloudiness",
         "dewpoint", "elevation"]
ROW = "| " + " | ".join(f"{word} measured daily" for word in WORDS) + " |\n"
WIDE = f"""---
title: Wide content on a phone
pubDatetime: 2024-06-01T10:00:00Z
description: A table of ten columns, raw media, a long formula and a long line of code.
tags: ["layout"]
---
Some prose before the table.

| {" | ".join(w.capitalize() for w in WORDS)} |
|{"---|" * len(WORDS)}
{ROW * 3}
<video width="800" height="450" controls></video>

<iframe width="800" height="450" title="A wide frame" src="about:blank"></iframe>

- level 1 of a deep outline
  - level 2 of a deep outline
    - level 3 of a deep outline
      - level 4 of a deep outline
        - level 5 of a deep outline
          - level 6 of a deep outline
            - level 7 of a deep outline
              - level 8 of a deep outline
                - level 9 of a deep outline
                  - level 10 of a deep outline
                    - level 11 of a deep outline
                      - level 12 of a deep outline

<svg width="800" height="100" viewBox="0 0 800 100" role="img" aria-label="A wide drawing">
<rect width="800" height="100" fill="#888"/></svg>

$$
\\sum_{{i=1}}^{{n}} \\left( a_i x_i + b_i y_i + c_i z_i + d_i w_i + e_i v_i + f_i u_i + g_i t_i + h_i s_i \\right)
= \\int_0^1 \\left( \\alpha + \\beta + \\gamma + \\delta + \\epsilon + \\zeta + \\eta + \\theta + \\iota \\right) dx
$$

```python
result = some_function_with_a_long_name(first_argument=1, second_argument=2, third_argument=3, fourth_argument=4)
```
"""
LOOKS = ["note", "tip", "important", "warning", "caution"]
CALLOUTS = """---
title: Alerts and callouts
pubDatetime: 2024-06-02T10:00:00Z
description: GitHub alerts and Obsidian callouts.
---
""" + "\n".join(f"> [!{look.upper()}]\n> A {look} with [a link](https://example.com/) and `code`.\n"
                for look in LOOKS) + """
> [!info] A custom title
> Obsidian's info callout.

> [!faq]- Closed until opened
> Hidden answer.

> [!faq]+ Open but foldable
> Shown answer.

> [!question] Outer
> > [!bug] Inner
> > Nested body.
"""


@pytest.fixture(scope="module")
def wide_url(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", FIXED_NOW)
        site = build_demo(tmp_path_factory.mktemp("wide"), extra_posts={"wide.md": WIDE, "callouts.md": CALLOUTS})
    server, root = serve_folder(site)
    yield root
    server.shutdown()


@pytest.mark.parametrize("width", [390, 320])
def test_nothing_is_wider_than_the_phone_and_the_table_scrolls_in_its_own_box(browser, wide_url, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(wide_url + "posts/wide/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wrap = page.eval_on_selector(".table-wrap", "w => [w.scrollWidth, w.clientWidth, w.tabIndex]")
    assert wrap[0] > wrap[1] and wrap[2] == 0  # it scrolls, and a keyboard can reach it
    tallest = page.eval_on_selector_all(".table-wrap :is(th, td)", """cells => Math.max(...cells.map(c => {
        const style = getComputedStyle(c);
        return (c.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom))
            / parseFloat(style.lineHeight);
    }))""")
    assert tallest <= 3.01  # lines: "precipitation measured daily" is three words, never broken inside one
    for selector in ("video", "iframe", "svg[role=img]", ".math-display", "pre.highlight"):
        box = page.eval_on_selector(f".prose {selector}", "e => e.getBoundingClientRect().right")
        assert box <= width, selector
    for selector in (".math-display", "pre.highlight"):  # too long to fit: they scroll inside themselves
        assert page.eval_on_selector(f".prose {selector}", "e => e.scrollWidth > e.clientWidth"), selector
    page.close()


def test_the_demo_posts_tables_keep_their_words_whole_on_a_phone(browser, demo_url):
    page = browser.new_page(viewport={"width": 320, "height": 800})
    for path in ("posts/numpy-first-steps/", "posts/pandas-dataframes/"):
        page.goto(demo_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        broken = page.eval_on_selector_all(".prose :is(th, td)", """cells => cells.flatMap(cell => {
            const found = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                for (const word of walker.currentNode.data.matchAll(/\\S+/g)) {  // a word on two lines is broken
                    const range = document.createRange();
                    range.setStart(walker.currentNode, word.index);
                    range.setEnd(walker.currentNode, word.index + word[0].length);
                    if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) found.push(word[0]);
                }
            }
            return found;
        })""")
        assert broken == [], path
    page.close()


def callout_styles(page) -> list[dict]:
    return page.eval_on_selector_all(".callout", """boxes => boxes.map(b => {
        const title = b.querySelector(":scope > .callout-title"), style = getComputedStyle(b);
        return {look: [...b.classList].find(c => c.startsWith("callout-")), tag: b.tagName.toLowerCase(),
                open: b.open ?? null, edge: style.borderLeftColor, background: style.backgroundColor,
                title: getComputedStyle(title).color, icon: title.querySelector("svg").getBoundingClientRect().width,
                text: title.textContent.trim()};
    })""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_alerts_and_callouts_are_distinct_boxes_with_icons_and_pass_axe(browser, wide_url, scheme):
    page = browser.new_page(color_scheme=scheme)
    page.goto(wide_url + "posts/callouts/")
    found = callout_styles(page)
    alerts = found[:5]
    assert [a["text"] for a in alerts] == [look.capitalize() for look in LOOKS]
    assert len({a["edge"] for a in alerts}) == 5 and len({a["background"] for a in alerts}) == 5
    assert len({a["title"] for a in alerts}) == 5
    assert all(a["icon"] > 10 for a in found)
    assert [(b["text"], b["tag"], b["open"]) for b in found[5:]] == [
        ("A custom title", "div", None), ("Closed until opened", "details", False),
        ("Open but foldable", "details", True), ("Outer", "div", None), ("Inner", "div", None)]
    assert not page.is_visible("text=Hidden answer.") and page.is_visible("text=Shown answer.")
    page.click("text=Closed until opened")
    assert page.is_visible("text=Hidden answer.")
    assert violations(page) == []
    page.close()


def test_callouts_pass_axe_after_toggling_to_dark(browser, wide_url):
    page = browser.new_page(color_scheme="light")
    page.goto(wide_url + "posts/callouts/")
    light = callout_styles(page)
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = callout_styles(page)
    assert [b["title"] for b in light] != [b["title"] for b in dark]  # each look has its dark colour
    assert violations(page) == []
    page.close()
