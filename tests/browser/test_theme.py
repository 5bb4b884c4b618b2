"""The default theme in real headless Chromium: axe-core finds nothing, in light and dark, and
the toggle, the copy button and the page weight budgets hold."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = ["", "posts/diving-into-machine-learning/", "posts/", "tags/", "tags/machine-learning/",
         "archives/", "search/", "about/", "404.html", "series/", "roadmap/", "music/",
         "posts/least-squares-notebook/"]
JS_BUDGET, CSS_BUDGET = 5 * 1024, 20 * 1024


def violations(page) -> list[str]:
    result = Axe().run(page)
    return [f"{v['id']}: {node['target']} {node.get('failureSummary', '')}"
            for v in result.response["violations"] for node in v["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_the_os_scheme(browser, demo_url, scheme):
    page = browser.new_page(color_scheme=scheme)
    found = {}
    for path in PAGES:
        page.goto(demo_url + path)
        found[path] = violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_axe_finds_no_violations_after_toggling_to_dark(browser, demo_url):
    page = browser.new_page(color_scheme="light")
    page.goto(demo_url)
    page.click("#theme-toggle")
    found = {}
    for path in PAGES:
        page.goto(demo_url + path)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        found[path] = violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_the_stored_theme_is_applied_before_any_script_file_loads(browser, demo_url):
    """No flash: the inline head script sets the theme; theme.js (blocked here) only adds the toggle."""
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(demo_url)
    page.click("#theme-toggle")
    assert page.get_attribute("#theme-toggle", "aria-pressed") == "true"
    page.route("**/*.js", lambda route: route.abort())
    page.goto(demo_url + "posts/")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(33, 39, 55)"
    context.close()


def test_the_copy_button_copies_a_code_block(browser, demo_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(demo_url + "posts/numpy-first-steps/")
    first = page.locator(".code-block").first
    first.locator("button.copy-code").click()
    assert page.evaluate("navigator.clipboard.readText()") == first.locator("pre").inner_text()
    assert first.locator("button.copy-code").inner_text() == "Copied"
    context.close()


def loaded_bytes(browser, url: str, elsewhere: list[str]) -> dict[str, int]:
    """Bytes of JavaScript (files and inline, JSON-LD aside) and CSS that loading `url` fetches;
    requests to any other origin are added to `elsewhere`."""
    page = browser.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    host = urlsplit(url).netloc
    page.on("request", lambda r: None if r.url.startswith("data:") or urlsplit(r.url).netloc == host
            else elsewhere.append(r.url))
    page.goto(url, wait_until="networkidle")
    page.mouse.wheel(0, 20000)  # bring lazy images into view: they must come from the site too
    page.wait_for_load_state("networkidle")
    inline = page.evaluate("[...document.scripts].filter(s => !s.src && !s.type.includes('json'))"
                           ".reduce((n, s) => n + new Blob([s.textContent]).size, 0)")
    kinds = {"script": inline, "stylesheet": 0}
    for response in responses:
        if response.request.resource_type in kinds:
            kinds[response.request.resource_type] += len(response.body())
    page.close()
    return {"js": kinds["script"], "css": kinds["stylesheet"]}


def test_every_page_loads_at_most_5_kb_of_javascript_and_20_kb_of_css_and_nothing_from_elsewhere(
        browser, demo_url):
    elsewhere: list[str] = []
    sizes = {path: loaded_bytes(browser, demo_url + path, elsewhere) for path in PAGES}
    assert elsewhere == []
    assert {p: s for p, s in sizes.items() if s["js"] > JS_BUDGET or s["css"] > CSS_BUDGET} == {}, sizes
    assert all(s["js"] > 1000 and s["css"] > 5000 for s in sizes.values()), sizes  # the files were seen


def test_no_web_fonts_and_one_render_blocking_stylesheet(browser, demo_url):
    page = browser.new_page()
    for path in PAGES:
        page.goto(demo_url + path)
        assert page.evaluate("document.fonts.size") == 0, path
        assert page.locator("link[rel=stylesheet]").count() == 1, path
        assert page.locator("head script[src]:not([defer]):not([async])").count() == 0, path
    page.close()


def test_every_image_has_a_size_and_all_but_the_first_load_lazily(browser, demo_url):
    page = browser.new_page()
    for path in ["posts/numpy-first-steps/", *PAGES]:
        page.goto(demo_url + path)
        images = page.eval_on_selector_all(
            "main img", "els => els.map(i => [i.getAttribute('src'), i.getAttribute('width'),"
            " i.getAttribute('height'), i.getAttribute('loading')])")
        assert [i for i in images if not (i[1] and i[2])] == [], path
        assert [i for i in images[1:] if i[3] != "lazy"] == [], path
    page.goto(demo_url + "posts/numpy-first-steps/")
    assert page.locator("main img").count() >= 1  # the demo really has an image
    page.close()


@pytest.mark.parametrize("scheme, shown", [("light", "moon"), ("dark", "sun")])
def test_the_toggle_shows_the_sun_in_dark_and_the_moon_in_light_and_swaps_when_pressed(browser, demo_url, scheme,
                                                                                      shown):
    page = browser.new_page(color_scheme=scheme)
    page.goto(demo_url)
    other = {"sun": "moon", "moon": "sun"}[shown]
    assert page.is_visible(f"#theme-toggle .icon-{shown}") and not page.is_visible(f"#theme-toggle .icon-{other}")
    assert page.get_attribute("#theme-toggle", "aria-pressed") == str(scheme == "dark").lower()
    page.click("#theme-toggle")
    assert page.is_visible(f"#theme-toggle .icon-{other}") and not page.is_visible(f"#theme-toggle .icon-{shown}")
    assert page.get_attribute("#theme-toggle", "aria-pressed") == str(scheme != "dark").lower()
    page.close()


def boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(selector, "els => els.map(e => e.getBoundingClientRect().toJSON())")


@pytest.mark.parametrize("width", [390, 1280])
def test_previous_and_next_line_up_and_a_lone_link_takes_the_full_width(browser, demo_url, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    page.goto(demo_url + "posts/diving-into-machine-learning/")  # the oldest post: only "Next post"
    nav, link = boxes(page, ".prev-next")[0], boxes(page, ".prev-next a")
    assert len(link) == 1 and abs(link[0]["width"] - nav["width"]) < 1
    page.goto(demo_url + "posts/numpy-first-steps/")  # both
    nav, (prev, next_) = boxes(page, ".prev-next")[0], boxes(page, ".prev-next a")
    labels = boxes(page, ".prev-next .label")
    if width > 600:  # side by side, labels at one height
        assert prev["top"] == next_["top"] and labels[0]["top"] == labels[1]["top"]
        assert prev["right"] <= next_["left"]
    else:  # one above the other, each the full width
        assert prev["bottom"] <= next_["top"]
        assert abs(prev["width"] - nav["width"]) < 1 and abs(next_["width"] - nav["width"]) < 1
    page.close()


def test_the_copy_button_never_covers_the_code_on_a_phone(browser, demo_url):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(demo_url + "posts/numpy-first-steps/")
    covered = page.eval_on_selector_all(".code-block", """blocks => blocks.filter(block => {
        const pre = block.querySelector("pre"), button = block.querySelector(".copy-code").getBoundingClientRect();
        const code = pre.getBoundingClientRect().top + parseFloat(getComputedStyle(pre).paddingTop);
        return button.bottom > code;
    }).length""")
    assert covered == 0 and page.locator(".copy-code").count() >= 2
    page.close()


def test_wrapped_share_links_start_at_the_left_edge(browser, demo_url):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(demo_url + "posts/numpy-first-steps/")
    share, links = boxes(page, ".share")[0], boxes(page, ".share a")
    wrapped = [box for box in links if box["top"] > links[0]["top"] + 5]
    assert wrapped and abs(wrapped[0]["left"] - share["left"]) < 1
    page.close()


def test_titles_in_lists_are_underlined_on_hover_only_and_links_in_text_always(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url)
    decoration = "el => getComputedStyle(el).textDecorationLine"
    title = page.locator(".card h3 a").first
    assert title.evaluate(decoration) == "none"
    title.hover()
    assert title.evaluate(decoration) == "underline"
    page.goto(demo_url + "posts/diving-into-machine-learning/")
    assert page.locator(".prose p a").first.evaluate(decoration) == "underline"
    page.close()


def test_the_footer_names_each_icon_link(browser, demo_url):
    page = browser.new_page()
    page.goto(demo_url)
    links = page.eval_on_selector_all(".socials a", "els => els.map(a => [a.textContent.trim(), "
                                      "!!a.querySelector('svg'), a.getBoundingClientRect().width])")
    assert [(name, icon) for name, icon, _ in links] == [("GitHub", True), ("Mastodon", True), ("RSS feed", True)]
    assert all(width < 40 for _, _, width in links)  # the names are for screen readers: icons are what shows
    for name in ("GitHub", "Mastodon", "RSS feed"):
        assert page.get_by_role("link", name=name, exact=True).count() == 1
    page.close()
