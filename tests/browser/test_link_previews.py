"""Link previews in real headless Chromium: shown on hover and on keyboard focus, announced to screen
readers, nothing moves, axe finds nothing, within the JavaScript budget, and nothing without JavaScript."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from stufen.cli import main

from .demo import serve_folder
from .test_theme import CSS_BUDGET, JS_BUDGET, loaded_bytes

pytestmark = pytest.mark.browser
GOLDEN = Path(__file__).parents[1] / "golden" / "sites" / "obsidian" / "site"
PAGE = "posts/loss-functions/"


@pytest.fixture(scope="module")
def notes_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("notes") / "site"
    shutil.copytree(GOLDEN, root)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", "1767225600")
        assert main(["-C", str(root), "build"]) == 0
    server, url = serve_folder(root / "_site")
    yield url
    server.shutdown()


def preview(page) -> dict | None:
    return page.evaluate("""() => { const b = document.getElementById("link-preview");
        return b && !b.hidden ? {text: b.innerText, role: b.getAttribute("role")} : null; }""")


def test_hovering_a_link_shows_the_target_and_leaving_hides_it(browser, notes_url):
    page = browser.new_page()
    page.goto(notes_url + PAGE, wait_until="networkidle")
    page.wait_for_timeout(200)
    page.evaluate("window.shifts = 0; new PerformanceObserver(l => l.getEntries().forEach(e => "
                  "window.shifts += e.value)).observe({type: 'layout-shift'})")  # from here on: the preview's
    link = page.locator(".prose a.wikilink", has_text="GD")
    link.hover()
    page.wait_for_function("document.getElementById('link-preview') && !document.getElementById('link-preview').hidden")
    shown = preview(page)
    assert shown["role"] == "tooltip"
    assert shown["text"].split("\n")[0] == "Gradient descent"
    assert "Walking downhill on the loss surface." in shown["text"] and "1 May 2024" in shown["text"]
    assert link.get_attribute("aria-describedby") == "link-preview"
    assert Axe().run(page).response["violations"] == []
    page.mouse.move(0, 0)
    assert preview(page) is None and link.get_attribute("aria-describedby") is None
    assert page.evaluate("window.shifts") == 0


def test_focusing_a_link_with_the_keyboard_shows_it_and_escape_hides_it(browser, notes_url):
    page = browser.new_page()
    page.goto(notes_url + PAGE)
    for _ in range(40):  # Tab through the page to the first link in the post body
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('wikilink')"):
            break
    page.wait_for_function("document.getElementById('link-preview') && !document.getElementById('link-preview').hidden")
    assert preview(page)["text"].startswith("Gradient descent")
    page.keyboard.press("Escape")
    assert preview(page) is None


def test_nothing_without_javascript(browser, notes_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(notes_url + PAGE)
    page.locator(".prose a.wikilink", has_text="GD").hover()
    page.wait_for_timeout(300)
    assert page.locator("#link-preview").count() == 0
    context.close()


def test_the_page_stays_within_the_budgets(browser, notes_url):
    elsewhere: list[str] = []
    sizes = loaded_bytes(browser, notes_url + PAGE, elsewhere)
    assert elsewhere == []
    assert sizes["js"] <= JS_BUDGET and sizes["css"] <= CSS_BUDGET, sizes
    assert sizes["js"] > 3000, sizes  # theme.js and preview.js were both counted
