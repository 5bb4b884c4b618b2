"""Post URLs under each URL rule: Stufen's own, and AstroPaper's per major version, with the examples of
github-slugger's own fixtures (test/fixtures.json) and of AstroPaper's getPath/slugify."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from conftest import post
from stufen.load.post import Settings, load_post
from stufen.slugs import github_slug, url_slug


@pytest.mark.parametrize("text, slug", [  # github-slugger test/fixtures.json (without its de-duplication)
    ("alpha", "alpha"),
    ("bravoCharlieDelta", "bravocharliedelta"),
    ("__proto__", "__proto__"),
    ("heading with a - dash", "heading-with-a---dash"),
    ("heading with an _ underscore", "heading-with-an-_-underscore"),
    ("heading with a period.txt", "heading-with-a-periodtxt"),
    ("exchange.bind_headers(exchange, routing [, bindCallback])", "exchangebind_headersexchange-routing--bindcallback"),
    (" a ", "-a-"),
    ("apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"),
    ("I ♥ unicode", "i--unicode"),
    ("en–dash", "endash"),
    ("😄 unicode emoji", "-unicode-emoji"),
    ("😄_😄 unicode emoji", "_-unicode-emoji"),
    (":smile: - a gemoji", "smile---a-gemoji"),
    ("Привет non-latin 你好", "привет-non-latin-你好"),
    (":ok_hand: :hatched_chick: Two in a row", "ok_hand-hatched_chick-two-in-a-row"),
    ("a) ] } 》 」b", "a----b"),
    ("a0 1 ١ ٢ ０b", "a0-1-١-٢-０b"),
    ("aⅠ Ⅱ 〇b", "aⅰ-ⅱ-〇b"),
    ("a²½b", "ab"),
])
def test_github_slug_matches_github_slugger(text, slug):
    assert github_slug(text) == slug


@pytest.mark.parametrize("path, rule, keys, url", [
    # Stufen's own rule: leading date dropped, accents folded, explicit slugs verbatim when safe
    ("2023-08-11-diving-into-machine-learning.md", "stufen", {}, "diving-into-machine-learning"),
    ("my_first_post.md", "stufen", {}, "my-first-post"),
    ("x.md", "stufen", {"slug": "深度学习-Intro"}, "深度学习-Intro"),
    ("x.md", "stufen", {"slug": "Custom Slug"}, "custom-slug"),  # a space: made safe, as before
    ("x.md", "stufen", {"slug": "a/b"}, "a-b"),  # a slug is one segment on a Stufen site
    # AstroPaper v5: id = slug verbatim, else github-slugger of the file name; `_` folders leave the URL
    ("my_first_post.md", "astro-paper-v5", {}, "my_first_post"),
    ("2023-08-11-Diving In.md", "astro-paper-v5", {}, "2023-08-11-diving-in"),
    ("x.md", "astro-paper-v5", {"slug": "深度学习-Intro"}, "深度学习-Intro"),
    ("x.md", "astro-paper-v5", {"slug": "guides/Setup"}, "Setup"),  # getPath keeps the id's last segment
    ("2024/notes.md", "astro-paper-v5", {}, "2024/notes"),
    ("_releases/v1.0 notes.md", "astro-paper-v5", {}, "v10-notes"),
    ("_releases/Team News/hello.md", "astro-paper-v5", {}, "team-news/hello"),
    ("docs/index.md", "astro-paper-v5", {}, "docs/docs"),  # id "docs", folders ["docs"]: AstroPaper's own quirk
    ("x.md", "astro-paper-v5", {"postSlug": "old"}, "x"),  # v5 has no postSlug
    # AstroPaper v3/v4: Astro's entry slug (slug verbatim, else each segment through github-slugger)
    ("Adding_New Post.md", "astro-paper-v4", {}, "adding_new-post"),
    ("x.md", "astro-paper-v4", {"slug": "Mixed-Case"}, "Mixed-Case"),
    ("2023/Deep Dive/index.md", "astro-paper-v4", {}, "2023/deep-dive"),
    ("x.md", "astro-paper-v3", {"slug": "guides/setup"}, "guides/setup"),
    # AstroPaper v1/v2: github-slugger of postSlug, else of the title; folders are not in the URL
    ("notes/x.md", "astro-paper-v2", {"postSlug": "My Custom Slug"}, "my-custom-slug"),
    ("notes/x.md", "astro-paper-v2", {}, "hello-world-你好"),
    ("x.md", "astro-paper-v1", {"slug": "ignored"}, "hello-world-你好"),
])
def test_post_urls_per_rule(path, rule, keys, url):
    assert url_slug(PurePosixPath(path).parts, rule, slug=keys.get("slug"), post_slug=keys.get("postSlug"),
                    title="Hello, World! 你好")[0] == url


def load(text: str, source: str, urls: str):
    return load_post(text.encode(), PurePosixPath(source), Settings(urls=urls))


def test_a_key_the_rule_ignores_is_a_warning_at_its_line():
    post_, problems = load(post("T", description="d", postSlug="old-name"), "content/posts/new-name.md",
                           "astro-paper-v5")
    assert post_.slug == "new-name"
    assert [(p.line, p.message, p.hint, p.warning) for p in problems] == [
        (5, "postSlug: astro-paper-v5 ignores 'postSlug:'; the URL comes from slug: or the file name",
         'to keep that address too, add aliases: ["/posts/old-name/"]', True)]


def test_an_unsafe_explicit_slug_on_an_imported_site_is_a_warning_naming_the_new_url():
    post_, problems = load(post("T", description="d", slug='"What is AI?"'), "content/posts/x.md", "astro-paper-v5")
    assert post_.slug == "what-is-ai"
    assert [(p.line, p.message) for p in problems] == [
        (5, "slug: cannot be a URL as written; the post is at /posts/what-is-ai/")]


def test_an_unsafe_explicit_slug_on_a_stufen_site_is_made_safe_silently_as_before():
    post_, problems = load(post("T", description="d", slug='"What is AI?"'), "content/posts/x.md", "stufen")
    assert (post_.slug, problems) == ("what-is-ai", ())


def test_an_explicit_slug_keeps_its_capitals_on_a_stufen_site(site, stufen):
    root = site({"content/posts/x.md": post("CJK", description="d", slug="深度学习-Intro")})
    assert stufen(root, "build", "--strict")[0] == 0
    assert (root / "_site/posts/深度学习-Intro/index.html").is_file()


def test_aliases_write_redirect_pages_that_no_sitemap_or_feed_lists(site, stufen):
    root = site({"stufen.toml": 'base_url = "https://example.org/blog/"\n',
                 "content/posts/new-name.md": post("Renamed", description="d",
                                                   aliases='["/posts/old-name/", "/posts/Older", "/old.html"]')})
    code, _, err = stufen(root, "build", "--strict")
    assert (code, err) == (0, "")
    out = root / "_site"
    page = (out / "posts/old-name/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/blog/posts/new-name/">' in page
    assert '<link rel="canonical" href="https://example.org/blog/posts/new-name/">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert (out / "posts/Older/index.html").read_text() == page
    assert (out / "old.html").read_text() == page
    for listing in ("sitemap.xml", "feed.xml", "rss.xml"):
        text = (out / listing).read_text()
        assert "new-name" in text and "old-name" not in text and "Older" not in text and "old.html" not in text


def test_an_alias_on_a_page_the_site_builds_is_an_error_at_its_line(site, stufen):
    root = site({"content/posts/a.md": post("A", description="d", aliases='["/posts/b/", "/tags/"]'),
                 "content/posts/b.md": post("B", description="d", aliases='"/posts/a-old/"'),
                 "content/posts/c.md": post("C", description="d", aliases='["/posts/a-old/"]'),
                 "content/posts/d.md": post("D", description="d", aliases='"https://x.org/"')})
    code, _, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines() == [
        "content/posts/a.md:5: aliases: /posts/b/ is also the post content/posts/b.md "
        "(remove this alias, or move the other page)",
        "content/posts/a.md:5: aliases: /tags/ is also the page /tags/ (remove this alias, or move the other page)",
        "content/posts/c.md:5: aliases: /posts/a-old/ is also an alias of content/posts/b.md "
        "(keep the alias in one post only)",
        "content/posts/d.md:5: aliases: expected a path on this site such as '/posts/old-name/'; got 'https://x.org/'",
        "Build failed: 4 errors",
    ]


def test_new_checks_urls_by_the_sites_rule(site, stufen):
    root = site({"stufen.toml": 'urls = "astro-paper-v2"\n',
                 "content/posts/old.md": post("Hello World", description="d")})  # v2: the URL is the title's
    code, _, err = stufen(root, "new", "Hello World!", "--slug", "another-file")
    assert code == 1
    assert err == ("Error: content/posts/old.md already has the URL /posts/hello-world/; choose another title, "
                   "or give the post its own with --slug\n")


def test_a_slug_that_is_not_text_is_still_an_error():
    post_, problems = load(post("T", description="d", slug="3"), "content/posts/x.md", "astro-paper-v5")
    assert post_ is None
    assert [(p.line, p.message, p.warning) for p in problems] == [(5, "slug: expected text; got 3", False)]
