"""Live reload in a real browser: edit the seed post on disk and watch the open tab follow."""

from __future__ import annotations

from playwright.sync_api import expect

SEED = "content/posts/2023-08-11-diving-into-machine-learning.md"


def test_title_edit_error_overlay_and_fix(page, demo_journal, serve_site):
    config = demo_journal / "stufen.toml"
    config.write_text(config.read_text().replace('base_url = "https://stufen-demo.github.io/"',
                                                 'base_url = "https://stufen-demo.github.io/journal/"'))
    address = serve_site(demo_journal)
    page.goto(address + "posts/diving-into-machine-learning/")
    expect(page.locator("h1")).to_have_text("Diving into Machine Learning")
    expect(page.locator('a.site-title')).to_have_attribute("href", "/journal/")

    seed = demo_journal / SEED
    original = seed.read_text(encoding="utf-8")
    page.evaluate("window.sameDocument = true")
    seed.write_text(original.replace('title: "Diving into Machine Learning"', 'title: "Diving Deeper"'))
    expect(page.locator("h1")).to_have_text("Diving Deeper")
    expect(page).to_have_title("Diving Deeper | Stufen Journal")
    expect(page.locator('meta[property="og:title"]')).to_have_attribute("content", "Diving Deeper")
    assert page.evaluate("window.sameDocument === true")  # title and meta tags swapped in place: no reload

    seed.write_text(original.replace("pubDatetime: 2023-08-11T12:30:00+2", "pubDatetime: 11/08/2023"))
    overlay = page.locator("#stufen-overlay")
    expect(overlay).to_be_visible()
    first = overlay.locator(".stufen-problem").first  # sorted by file: the seed post comes first
    expect(first.locator("strong")).to_have_text(f"{SEED}:4")
    expect(first).to_contain_text("pubDatetime: expected a date")
    expect(page.locator("h1").first).to_have_text("Diving Deeper")  # the last good page stays underneath

    seed.write_text(original)
    expect(page.locator("h1")).to_have_text("Diving into Machine Learning")
    expect(overlay).to_have_count(0)


def test_draft_and_scheduled_posts_are_marked_while_serving(page, demo_journal, serve_site):
    address = serve_site(demo_journal)
    page.goto(address + "posts/")
    expect(page.locator(".badge", has_text="Scheduled").first).to_be_visible()


def test_a_post_edit_swaps_main_in_place_and_keeps_the_header_working(page, demo_journal, serve_site):
    address = serve_site(demo_journal)
    page.goto(address + "posts/diving-into-machine-learning/")
    toggle = page.locator("#theme-toggle")
    expect(toggle).to_be_visible()
    page.evaluate("window.sameDocument = true")
    seed = demo_journal / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("## Introduction", "## Getting started"))
    expect(page.locator("h2#getting-started")).to_have_count(1)
    assert page.evaluate("window.sameDocument === true")  # swapped, not reloaded
    expect(page.locator("button.music-load").first).to_be_visible()  # music.js ran again on the new <main>
    toggle.click()  # theme.js still owns the (untouched) header
    expect(page.locator("html")).to_have_attribute("data-theme", "dark" if page.evaluate(
        "!matchMedia('(prefers-color-scheme: dark)').matches") else "light")


def test_a_stylesheet_edit_reloads_the_page(page, demo_journal, serve_site):
    (demo_journal / "static/assets").mkdir(parents=True)
    style = demo_journal / "static/assets/style.css"
    style.write_text("h1 { color: rgb(1, 2, 3); }")
    address = serve_site(demo_journal)
    page.goto(address + "posts/diving-into-machine-learning/")
    expect(page.locator("h1")).to_have_css("color", "rgb(1, 2, 3)")
    page.evaluate("window.sameDocument = true")
    style.write_text("h1 { color: rgb(4, 5, 6); }")
    expect(page.locator("h1")).to_have_css("color", "rgb(4, 5, 6)")
    assert page.evaluate("window.sameDocument === undefined")


def test_changing_base_urls_path_moves_the_open_tab_to_the_new_address(page, demo_journal, serve_site):
    config = demo_journal / "stufen.toml"
    original = config.read_text()
    config.write_text(original.replace('base_url = "https://stufen-demo.github.io/"',
                                       'base_url = "https://stufen-demo.github.io/blog/"'))
    address = serve_site(demo_journal)
    page.goto(address + "posts/diving-into-machine-learning/")
    expect(page.locator("a.site-title")).to_have_attribute("href", "/blog/")
    config.write_text(original.replace('base_url = "https://stufen-demo.github.io/"',
                                       'base_url = "https://stufen-demo.github.io/journal/"'))
    expect(page).to_have_url(address.replace("/blog/", "/journal/") + "posts/diving-into-machine-learning/")
    expect(page.locator("a.site-title")).to_have_attribute("href", "/journal/")
    page.locator("a.site-title").click()  # and its links lead somewhere
    expect(page.locator("h1").first).to_be_visible()
    assert page.url == address.replace("/blog/", "/journal/")
