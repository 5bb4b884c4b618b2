"""The default theme's build-side parts: About page, share links, code colours at WCAG AA, task lists."""

from __future__ import annotations

import re

import pytest
from pygments.styles import get_style_by_name

from conftest import post
from stufen.markdown.contrast import ratio, readable
from stufen.markdown.highlight import palette, stylesheet
from stufen.markdown.parser import render_markdown


def test_about_page_is_built_and_linked_from_every_page(site, stufen):
    root = site({"content/posts/a.md": post(description="d"),
                 "content/about.md": "---\ntitle: About me\ndescription: Who I am.\n---\nHi, I *learn*.\n"})
    assert stufen(root, "build")[0] == 0
    about = (root / "_site/about/index.html").read_text()
    assert "<h1>About me</h1>" in about and "<p>Hi, I <em>learn</em>.</p>" in about
    assert '<meta name="description" content="Who I am.">' in about
    assert '<a href="/about/" aria-current="page">About</a>' in about
    assert '<a href="/about/">About</a>' in (root / "_site/posts/a/index.html").read_text()
    assert "About me" not in (root / "_site/feed.xml").read_text()


def test_no_about_file_means_no_page_and_no_link(site, stufen):
    root = site({"content/posts/a.md": post(description="d")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/about").exists()
    assert "/about/" not in (root / "_site/index.html").read_text()


@pytest.mark.parametrize("front, message", [
    ("title: [1, 2]\n", "content/about.md:2: title: expected text; got [1, 2]"),
    ("title: Me\nmodDatetime: soon\n",
     "content/about.md:3: modDatetime: expected a date such as 2024-05-01T09:30:00+02:00; got 'soon'"),
])
def test_about_mistakes_are_errors_with_their_line(site, stufen, front, message):
    root = site({"content/about.md": f"---\n{front}---\nHi.\n", "content/posts/a.md": post(description="d")})
    code, _, err = stufen(root, "build")
    assert code == 1
    assert message in err.splitlines()


def test_about_mistakes_quote_a_huge_value_cut_short(site, stufen):
    huge = "[" + ", ".join(["1"] * 20_000) + "]"
    root = site({"content/about.md": f"---\ntitle: {huge}\n---\nHi.\n", "content/posts/a.md": post(description="d")})
    code, _, err = stufen(root, "build")
    errors = [e for e in err.splitlines() if e.startswith("content/about.md:2: title: expected text; got [1, ")]
    assert code == 1 and len(errors) == 1 and len(errors[0]) < 300


def test_post_only_keys_on_the_about_page_are_warnings(site, stufen):
    root = site({"content/about.md": "---\ntitle: Me\ntags: [x]\n---\nHi.\n",
                 "content/posts/a.md": post(description="d")})
    code, out, err = stufen(root, "build")
    assert code == 0
    assert ("content/about.md:3: warning: 'tags' has no effect on the About page "
            "(use title, description, modDatetime)") in (out + err).splitlines()


def test_share_links_are_plain_links_in_the_configured_order(site, stufen):
    root = site({"stufen.toml": 'base_url = "https://me.example/"\nshare = ["email", "bluesky"]\n',
                 "content/posts/a.md": post(title="A & B", description="d")})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/posts/a/index.html").read_text()
    assert re.findall(r'<p class="share">Share this post:\s*(.*?)\s*</p>', html, re.S) == [
        '<a href="mailto:?subject=A%20%26%20B&amp;body=https%3A%2F%2Fme.example%2Fposts%2Fa%2F" '
        'rel="noopener">Email</a><a href="https://bsky.app/intent/compose?text=A%20%26%20B%20'
        'https%3A%2F%2Fme.example%2Fposts%2Fa%2F" rel="noopener">Bluesky</a>']
    assert '<a href="#top">Back to top' in html


@pytest.mark.parametrize("toml, message", [
    ('share = ["mastodn"]', "Error: stufen.toml:1: share: unknown service 'mastodn' (did you mean 'mastodon'?)"),
    ('share = "email"', "Error: stufen.toml:1: share: expected a list such as [\"mastodon\", \"email\"]; got 'email'"),
    ('dark_code_style = "monokia"', "Error: stufen.toml:1: dark_code_style: unknown Pygments style 'monokia' "
                                    "(did you mean 'monokai'?)"),
])
def test_theme_settings_are_checked(site, stufen, toml, message):
    root = site({"stufen.toml": toml + "\n", "content/posts/a.md": post()})
    code, _, err = stufen(root, "build")
    assert code == 2  # a configuration error, as for every stufen.toml key
    assert message in err.splitlines()


def test_contrast_ratios_match_wcag_reference_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert readable("#008000", "#f8f8f8") == "#008000"  # 4.9:1 already
    assert ratio(readable("#aaaaaa", "#ffffff"), "#ffffff") >= 4.5
    assert ratio(readable("#30363d", "#0d1117"), "#0d1117") >= 4.5


@pytest.mark.parametrize("style", ["default", "github-dark", "monokai", "solarized-light", "friendly"])
def test_every_token_colour_of_a_code_style_reaches_aa_on_its_background(style):
    colours = palette(style)
    assert colours.background == get_style_by_name(style).background_color.lower()
    assert ratio(colours.text, colours.background) >= 4.5
    assert colours.tokens  # the style colours something
    low = {cls: t.color for cls, t in colours.tokens.items() if ratio(t.color, colours.background) < 4.5}
    assert low == {}


def test_the_stylesheet_gives_each_token_class_its_light_and_dark_colour():
    css = stylesheet("default", "github-dark")
    assert ".highlight .k{--l:#008000;--d:#ff7b72}" in css
    assert all(f".highlight .{cls}{{" in css for cls in ("c", "s", "nf", "mi"))
    assert ":root[data-theme=\"dark\"] pre.highlight{--code-bg:#0d1117;color:#e6edf3}" in css
    assert len(css.encode()) < 5000


def test_task_list_checkboxes_are_named_by_their_item():
    html = render_markdown("- [x] Learn *NumPy* & `pandas`\n- [ ] Rest\n").html
    assert re.findall(r'<input [^>]*aria-label="([^"]*)"', html) == ["Learn NumPy &amp; pandas", "Rest"]


def test_header_links_posts_tags_archives_search_about_in_that_order(site, stufen):
    root = site({"content/posts/a.md": post(description="d"), "content/about.md": "---\ntitle: Me\n---\nHi.\n"})
    assert stufen(root, "build")[0] == 0
    nav = re.search(r'<ul class="nav">(.*?)</ul>', (root / "_site/index.html").read_text(), re.S).group(1)
    assert re.findall(r'<a href="([^"]+)"', nav) == ["/posts/", "/tags/", "/archives/", "/search/", "/about/"]


def test_series_roadmap_and_music_are_linked_from_the_footer_only_when_they_exist(site, stufen):
    root = site({"content/posts/a.md": post(description="d", series="Basics"),
                 "content/posts/b.md": post(title="B", description="d")})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/posts/b/index.html").read_text()
    footer = re.search(r'<nav aria-label="Sections">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)"', footer) == ["/series/"]
    assert '<a href="/series/" aria-current="page">Series</a>' in (root / "_site/series/index.html").read_text()
    bare = site({"content/posts/a.md": post(description="d", series="null")})
    assert stufen(bare, "build")[0] == 0
    assert 'aria-label="Sections"' not in (bare / "_site/index.html").read_text()


def footer_socials(html: str) -> list[tuple[str, bool]]:
    """Each footer social link as (its name, whether it is shown as an icon)."""
    found = re.search(r'<ul class="socials" aria-label="Elsewhere">(.*?)</ul>', html, re.S).group(1)
    return [(re.sub(r"<[^>]+>", "", link).strip(), "<svg" in link) for link in re.findall(r"<a .*?</a>", found)]


def test_known_socials_are_icons_with_their_name_and_others_are_text(site, stufen):
    toml = ('[socials]\nGitHub = "https://github.com/me"\nTwitter = "https://twitter.com/me"\n'
            'X = "https://x.com/me"\nbluesky = "https://bsky.app/me"\nLinkedIn = "https://linkedin.com/in/me"\n'
            'Mastodon = "https://fosstodon.org/@me"\n"My homepage" = "https://me.example"\n')
    root = site({"content/posts/a.md": post(description="d"), "stufen.toml": toml})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/index.html").read_text()
    assert footer_socials(html) == [("GitHub", True), ("Twitter", True), ("X", True), ("bluesky", True),
                                    ("LinkedIn", True), ("Mastodon", True), ("My homepage", False),
                                    ("RSS feed", True)]  # the site's feed comes last, always
    assert '<span class="visually-hidden">Twitter</span>' in html and 'href="/rss.xml"' in html


def test_a_feed_among_the_socials_is_not_linked_twice(site, stufen):
    root = site({"content/posts/a.md": post(description="d"), "stufen.toml": '[socials]\nRSS = "/feed.xml"\n'})
    assert stufen(root, "build")[0] == 0
    assert footer_socials((root / "_site/index.html").read_text()) == [("RSS", True)]


def test_one_stylesheet_holds_the_theme_the_journal_features_and_the_code_colours(site, stufen):
    root = site({"content/posts/a.md": post(description="d")})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/index.html").read_text()
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/assets/style.css"]
    css = (root / "_site/assets/style.css").read_text()
    assert css.index(".skip-link") < css.index(".series-box") < css.index("pre.highlight{")
    assert not (root / "_site/assets/highlight.css").exists() and not (root / "_site/assets/journal.css").exists()


def test_local_images_get_their_width_and_height_and_stay_lazy(site, stufen):
    from PIL import Image
    body = "![a](/images/a.png) ![b](/images/b.svg) ![c](/images/c.svg) ![far](https://example.com/x.png)"
    root = site({"content/posts/a.md": post(description="d", body=body),
                 "static/images/b.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="240"/>',
                 "static/images/c.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"/>'})
    Image.new("RGB", (30, 20)).save(root / "static/images/a.png")
    assert stufen(root, "build")[0] == 0
    images = re.findall(r"<img[^>]*>", (root / "_site/posts/a/index.html").read_text())
    assert [re.search(r'width="(\d+)" height="(\d+)"', i) and re.search(r'width="(\d+)" height="(\d+)"', i).groups()
            for i in images] == [("30", "20"), ("480", "240"), ("64", "32"), None]
    assert all('loading="lazy"' in i and 'decoding="async"' in i for i in images)


def test_rebuilds_that_reuse_pages_still_pick_up_a_new_about_page_and_resized_images(site, stufen):
    """`stufen build` links pages unchanged since the last build: the nav and the image sizes count as inputs."""
    from PIL import Image
    root = site({"content/posts/a.md": post(description="d", body="![a](/images/a.png)")})
    (root / "static/images").mkdir(parents=True)
    Image.new("RGB", (30, 20)).save(root / "static/images/a.png")
    assert stufen(root, "build")[0] == 0
    (root / "content/about.md").write_text("---\ntitle: Me\n---\nHi.\n")
    assert stufen(root, "build")[0] == 0
    assert '<a href="/about/">About</a>' in (root / "_site/posts/a/index.html").read_text()
    Image.new("RGB", (60, 40)).save(root / "static/images/a.png")
    assert stufen(root, "build")[0] == 0
    assert 'width="60" height="40"' in (root / "_site/posts/a/index.html").read_text()
