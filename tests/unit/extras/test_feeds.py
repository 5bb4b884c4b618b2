"""Feeds: Atom, RSS and per-tag feeds, read back with feedparser as a reader would."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser
import pytest

from conftest import post

CONFIG = 'title = "Journal"\nauthor = "Ada"\nbase_url = "https://ada.example.org/journal/"\n'


@pytest.fixture
def built(site, stufen):
    def build(files):
        root = site({"stufen.toml": CONFIG, **files})
        code, out, err = stufen(root, "build", "--strict")
        assert code == 0, err
        return root / "_site"
    return build


def test_atom_feed_has_full_content_with_absolute_links(built):
    out = built({
        "content/posts/first.md": post("First", tags='["ml"]', description="One.",
                                       body="See [second](/posts/second/) and ![x](/images/x.png).\n\n## Part"),
        "content/posts/second.md": post("Second", date="2024-06-01T10:00:00+02:00", description="Two.",
                                        body="Back to [first](../first/#part)."),
        "static/images/x.png": "not really a png",
    })
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Journal"
    assert [e.title for e in feed.entries] == ["Second", "First"]
    first = feed.entries[1]
    assert first.link == "https://ada.example.org/journal/posts/first/"
    assert first.id == "tag:ada.example.org,2024-05-01:/journal/posts/first/"
    assert first.author == "Ada"
    assert first.summary == "One."
    html = first.content[0].value
    assert 'href="https://ada.example.org/journal/posts/second/"' in html
    assert 'src="https://ada.example.org/journal/images/x.png"' in html
    assert '<h2 id="part">Part</h2>' in html  # the heading, without its "#" permalink
    assert 'href="https://ada.example.org/journal/posts/first/#part"' in feed.entries[0].content[0].value
    assert [t.term for t in first.tags] == ["ml"]


def test_entry_id_is_stable_and_updated_follows_mod_datetime(built):
    out = built({"content/posts/a.md": post("A", description="A.")})
    before = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    out = built({"content/posts/a.md": post("A, edited", description="A.",
                                            modDatetime="2024-07-02T08:00:00+02:00")})
    after = feedparser.parse((out / "feed.xml").read_bytes()).entries[0]
    assert after.id == before.id
    assert before.updated == "2024-05-01T07:30:00+00:00"  # shown in the site's timezone, UTC here
    assert after.updated == "2024-07-02T06:00:00+00:00"
    assert after.published == "2024-05-01T07:30:00+00:00"


def test_rss_feed_at_astropapers_path(built):
    out = built({"content/posts/a.md": post("A", description="A.", body="[home](/)")})
    rss = feedparser.parse((out / "rss.xml").read_bytes())
    assert rss.bozo == 0
    assert rss.version == "rss20"
    assert rss.feed.link == "https://ada.example.org/journal/"
    entry = rss.entries[0]
    assert entry.published == "Wed, 01 May 2024 07:30:00 +0000"
    assert entry.id == "tag:ada.example.org,2024-05-01:/journal/posts/a/"
    assert 'href="https://ada.example.org/journal/"' in entry.content[0].value


def test_one_feed_per_tag_with_only_its_posts(built):
    out = built({
        "content/posts/a.md": post("A", description="A.", tags='["Deep Learning"]'),
        "content/posts/b.md": post("B", description="B.", tags='["python"]'),
    })
    feed = feedparser.parse((out / "tags/deep-learning/feed.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.title == "Journal: posts tagged “Deep Learning”"
    assert [e.title for e in feed.entries] == ["A"]
    page = (out / "tags/deep-learning/index.html").read_text()
    assert 'href="/journal/tags/deep-learning/feed.xml"' in page


def test_markup_and_control_characters_in_titles_are_escaped(built):
    # a control character in the front matter is removed on loading (with a warning); in the body it reaches here
    out = built({"content/posts/a.md": post('"Tom & <Jerry>"', description='"a < b"', body="Ring \a.")})
    for name in ("feed.xml", "rss.xml"):
        data = (out / name).read_bytes()
        ET.fromstring(data)  # well-formed
        entry = feedparser.parse(data).entries[0]
        assert entry.title == "Tom & <Jerry>"
    assert feedparser.parse((out / "feed.xml").read_bytes()).entries[0].summary == "a < b"


def test_every_page_links_to_the_feeds(built):
    out = built({"content/posts/a.md": post("A", description="A.")})
    for page in out.rglob("*.html"):
        text = page.read_text()
        assert '<link rel="alternate" type="application/atom+xml" title="Journal" href="/journal/feed.xml">' in text
        assert 'type="application/rss+xml" title="Journal (RSS)" href="/journal/rss.xml">' in text


def test_feed_entries_limits_each_feed(site, stufen):
    root = site({"stufen.toml": CONFIG + "feed_entries = 2\n",
                 **{f"content/posts/p{n}.md": post(f"P{n}", date=f"2024-05-0{n}", description="x")
                    for n in range(1, 5)}})
    assert stufen(root, "build")[0] == 0
    feed = feedparser.parse((root / "_site/feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["P4", "P3"]


def test_drafts_stay_out_of_feeds_even_when_previewed(site, stufen):
    root = site({"stufen.toml": CONFIG, "content/posts/a.md": post("A", description="A.", tags='["ml"]'),
                 "content/posts/b.md": post("B", description="B.", tags='["ml"]', draft="true")})
    assert stufen(root, "build", "--drafts")[0] == 0
    assert (root / "_site/posts/b/index.html").exists()
    for name in ("feed.xml", "rss.xml", "tags/ml/feed.xml"):
        assert [e.title for e in feedparser.parse((root / "_site" / name).read_bytes()).entries] == ["A"]


@pytest.mark.parametrize("page", ["https://bench.example/posts/p/", "http://bench.example/posts/p/", "/posts/p/"])
def test_every_link_in_a_feed_body_resolves_as_urljoin_resolves_it(page):
    """absolute_html takes shortcuts for footnotes and links to other sites; each must give urljoin's answer."""
    import html

    from stufen.extras.feeds import absolute_html
    from stufen.routes import join

    refs = ["https://x.org/a?b=1#c", "https://x.org", "https:///x", "http://", "https://", "http://[bad",
            "https://x.org/a/../b", "http://x.org/./a", "HTTPS://x.org/", "https://x.org/a?", "https://x.org/a#",
            "#", "#fn1", "#a#b", "#a b", "/a/b", "/a/./b", "../c", "//host/p", "mailto:a@b",
            "https://user@x.org:8080/p;params?q#f", "http://x.org\\y", "https://ü.example/ä"]
    for ref in refs:
        body = f'<p><a href="{html.escape(ref)}">x</a> <img src="{html.escape(ref)}" alt=""></p>'
        target = html.escape(join(page, ref))
        assert absolute_html(body, page) == f'<p><a href="{target}">x</a> <img src="{target}" alt=""></p>', ref
