"""routes.py: every address the site has, the file each is written to, and the base path applied once, at render."""

from __future__ import annotations

import ast
from pathlib import Path, PurePosixPath

import pytest

from conftest import files, post
from stufen import routes
from stufen.config import Config
from stufen.load.post import Settings, load_post
from stufen.markdown.parser import render_markdown


def a_post(slug="lab", **keys):
    loaded, problems = load_post(post(slug=slug, description="d", **keys).encode(),
                                 PurePosixPath("content/posts/x.md"), Settings())
    assert loaded is not None, problems
    return loaded


def test_parameterised_routes():
    assert routes.post_url("notes/x") == "/posts/notes/x/"
    assert routes.post_file("lab", "cell2-1.png") == "/posts/lab/cell2-1.png"
    assert routes.tag_url("machine-learning") == "/tags/machine-learning/"
    assert routes.tag_feed_url("python") == "/tags/python/feed.xml"
    assert routes.series_url("ml-basics") == "/series/ml-basics/"
    assert routes.post_card_url("notes/x") == "/og/posts/notes/x.png"


def test_page_n_of_a_list_keeps_page_one_at_the_list_itself():
    assert [routes.list_page(routes.POSTS, n) for n in (1, 2, 3)] == ["/posts/", "/posts/2/", "/posts/3/"]
    assert routes.list_page(routes.tag_url("a"), 2) == "/tags/a/2/"


def test_fixed_pages_and_files_and_where_they_are_written():
    written = {url: routes.output_path(url) for url in (
        routes.HOME, routes.POSTS, routes.TAGS, routes.ARCHIVES, routes.SERIES, routes.MUSIC, routes.SEARCH,
        routes.ABOUT, routes.ROADMAP, routes.NOT_FOUND, routes.ATOM_FEED, routes.RSS_FEED, routes.SITEMAP,
        routes.ROBOTS, routes.MANIFEST, routes.NO_JEKYLL, routes.CNAME, routes.SITE_CARD)}
    assert written == {
        "/": "index.html", "/posts/": "posts/index.html", "/tags/": "tags/index.html",
        "/archives/": "archives/index.html", "/series/": "series/index.html", "/music/": "music/index.html",
        "/search/": "search/index.html", "/about/": "about/index.html", "/roadmap/": "roadmap/index.html",
        "/404.html": "404.html", "/feed.xml": "feed.xml", "/rss.xml": "rss.xml", "/sitemap.xml": "sitemap.xml",
        "/robots.txt": "robots.txt", "/site.webmanifest": "site.webmanifest", "/.nojekyll": ".nojekyll",
        "/CNAME": "CNAME", "/og/site.png": "og/site.png"}
    assert routes.output_path(routes.tag_feed_url("a")) == "tags/a/feed.xml"
    assert routes.output_path(routes.post_url("notes/x")) == "posts/notes/x/index.html"


@pytest.mark.parametrize("url", ["/", "/posts/", "/posts/notes/x/", "/404.html", "/tags/a/feed.xml", "/og/site.png"])
def test_file_url_is_the_reverse_of_output_path(url):
    assert routes.file_url(routes.output_path(url)) == url


def test_a_posts_image_is_its_own_then_its_card_then_the_sites():
    assert routes.og_path(a_post(ogImage="/images/own.png"), Config()) == "/images/own.png"
    assert routes.og_path(a_post(), Config()) == "/og/posts/lab.png"
    assert routes.og_path(a_post(), Config(og_cards=False)) == "/og/site.png"
    assert routes.og_path(a_post(), Config(og_cards=False, og_image="/images/site.png")) == "/images/site.png"
    assert routes.site_og_path(Config()) == routes.SITE_CARD


def test_the_url_filter_applies_the_base_path_and_encodes_non_ascii():
    assert routes.under_base("/journal/", "/tags/café/") == "/journal/tags/café/"
    assert routes.url("/", "/posts/x/") == "/posts/x/"
    assert routes.url("/journal/", "/posts/x/") == "/journal/posts/x/"
    assert routes.url("/journal/", "/tags/café/") == "/journal/tags/caf%C3%A9/"
    assert routes.url("/journal/", "https://e.com/") == "https://e.com/"
    assert routes.url("/journal/", "#top") == "#top"


def test_absolute_urls_have_the_origin_when_base_url_has_one():
    assert routes.absolute_url(Config(base_url="https://user.github.io/journal/"), "/feed.xml") == \
        "https://user.github.io/journal/feed.xml"
    assert routes.absolute_url(Config(base_url="/"), "/feed.xml") == "/feed.xml"
    assert routes.absolute_url(Config(), "https://e.com/x") == "https://e.com/x"


def test_a_body_is_the_same_for_every_base_url_and_gets_it_at_render():
    body = render_markdown('[a](/posts/x/) ![i](/images/i.png) [b](other/) <a href=\'/tags/\'>t</a>').html
    assert "/journal" not in body and routes.site_link("/posts/x/") in body
    assert routes.with_base(body, "/") == ('<p><a href="/posts/x/">a</a> <img src="/images/i.png" alt="i" /> '
                                           "<a href=\"other/\">b</a> <a href='/tags/'>t</a></p>\n")
    assert routes.with_base(body, "/journal/").count('="/journal/') == 2
    assert routes.with_base(body.encode(), "/journal/") == routes.with_base(body, "/journal/").encode()
    assert routes.with_base(body, "/a&b/").count("/a&amp;b/") == 3  # escaped once, for every kind of attribute


def test_authors_text_never_carries_the_mark():
    mark = routes.ROOT_MARK
    assert mark not in render_markdown(f"a{mark}b [x]({mark}/y) <a href='{mark}/z'>z</a>").html


def test_a_cached_post_serves_any_base_url(site, stufen):
    root = site({"stufen.toml": 'base_url = "https://user.github.io/one/"\nsearch = false\n',
                 "static/images/dot.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"/>',
                 "content/posts/a.md": post("A", description="d", body="![dot](/images/dot.svg) [b](/posts/b/)"),
                 "content/posts/b.md": post("B", description="d")})
    assert stufen(root, "build")[0] == 0
    cached = files(root / ".stufen-cache")
    (root / "stufen.toml").write_text('base_url = "https://user.github.io/two/"\nsearch = false\n')
    assert stufen(root, "build")[0] == 0
    posts = {k: v for k, v in files(root / ".stufen-cache").items() if k.startswith("posts/")}
    assert posts and all(cached.get(k) == v for k, v in posts.items())  # nothing parsed again
    page = (root / "_site/posts/a/index.html").read_text()
    assert '<img width="3" height="2" src="/two/images/dot.svg"' in page and 'href="/two/posts/b/"' in page
    assert "/one/" not in page and "\0" not in page
    feed = (root / "_site/feed.xml").read_text()
    assert "https://user.github.io/two/images/dot.svg" in feed and "\0" not in feed


ROUTES = ("/posts/", "/tags/", "/series/", "/og/", "/archives/", "/music/", "/search/", "/about/", "/roadmap/",
          "/404.html", "/feed.xml", "/rss.xml", "/sitemap.xml", "posts/", "tags/", "og/")


def test_no_module_but_routes_spells_a_route():
    """Every string in the code (docstrings aside) that starts like an address of the site is in routes.py."""
    package = Path(routes.__file__).parent
    spelled = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        spelled += [f"{path.relative_to(package)}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and node.value.startswith(ROUTES) and path.name != "routes.py"]
    assert spelled == []
