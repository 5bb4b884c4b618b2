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
    seed.write_text(original.replace('title: "Diving into Machine Learning"', 'title: "Diving Deeper"'))
    expect(page.locator("h1")).to_have_text("Diving Deeper")

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
