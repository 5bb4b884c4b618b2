"""Sitemap, robots.txt, manifest, GitHub Pages files and every page's <head>."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import pytest

from conftest import post
from stufen.extras.seo import short_name

CONFIG = ('title = "Journal"\nauthor = "Ada"\nbase_url = "https://ada.example.org/"\n'
          'twitter = "@ada"\nposts_per_page = 1\n')
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def out(site, stufen):
    root = site({
        "stufen.toml": CONFIG + 'cname = "journal.example.org"\n',
        "content/posts/a.md": post("A", description="About A.", tags='["ml"]'),
        "content/posts/b.md": post("B", date="2024-06-01T10:00:00Z", description="About B.",
                                   modDatetime="2024-06-03T10:00:00Z", ogImage="/images/b.png"),
        "content/posts/c.md": post("C", description="About C.", canonicalURL="https://elsewhere.example/c"),
        "content/posts/d.md": post("D", description="About D.", draft="true"),
        "content/about.md": "---\ntitle: About me\nmodDatetime: 2023-02-01T08:00:00Z\n---\nHi.\n",
    })
    code, _, err = stufen(root, "build")
    assert code == 0, err
    return root / "_site"


class Head(HTMLParser):
    """The <head> of a page: meta by name/property, links by rel, JSON-LD scripts."""

    def __init__(self, text: str):
        super().__init__()
        self.meta, self.links, self.scripts, self.title, self._in = {}, {}, [], "", None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a["content"])
        elif tag == "link":
            self.links.setdefault(a["rel"], []).append(a["href"])
        self._in = tag

    def handle_data(self, data):
        if self._in == "script" and data.strip().startswith("{"):
            self.scripts.append(data)
        elif self._in == "title":
            self.title += data

    def handle_endtag(self, tag):
        self._in = None


def public_urls(out):
    urls = []
    for page in sorted(out.rglob("index.html")):
        path = page.parent.relative_to(out).as_posix()
        urls.append("https://ada.example.org/" + ("" if path == "." else path + "/"))
    return urls


def test_sitemap_lists_every_public_page_with_lastmod(out):
    tree = ET.parse(out / "sitemap.xml")
    entries = {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
               for u in tree.getroot().findall("s:url", NS)}
    assert set(entries) == set(public_urls(out)) - {"https://ada.example.org/posts/c/"}
    assert entries["https://ada.example.org/posts/b/"] == "2024-06-03T10:00:00+00:00"
    assert entries["https://ada.example.org/posts/a/"] == "2024-05-01T07:30:00+00:00"
    assert entries["https://ada.example.org/"] == "2024-06-03T10:00:00+00:00"
    assert "https://ada.example.org/posts/d/" not in entries  # a draft is not built at all
    assert entries["https://ada.example.org/about/"] == "2023-02-01T08:00:00+00:00"  # its own, not the newest post's
    assert entries["https://ada.example.org/tags/ml/"] == "2024-05-01T07:30:00+00:00"  # its newest post
    assert entries["https://ada.example.org/archives/"] == entries["https://ada.example.org/tags/"] == (
        "2024-06-03T10:00:00+00:00")


def test_an_about_page_without_mod_datetime_has_no_lastmod(site, stufen):
    root = site({"content/posts/a.md": post("A", description="x"),
                 "content/about.md": "---\ntitle: About me\n---\nHi.\n"})
    assert stufen(root, "build")[0] == 0
    urls = {u.findtext("s:loc", namespaces=NS): u for u in ET.parse(root / "_site/sitemap.xml").getroot()}
    assert urls["/about/"].find("s:lastmod", NS) is None  # better none than a wrong date
    assert urls["/posts/a/"].findtext("s:lastmod", namespaces=NS) == "2024-05-01T07:30:00+00:00"


def test_robots_points_at_the_sitemap_and_pages_files_are_written(out):
    assert (out / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\n\nSitemap: https://ada.example.org/sitemap.xml\n")
    assert (out / ".nojekyll").read_bytes() == b""
    assert (out / "CNAME").read_text() == "journal.example.org\n"
    manifest = json.loads((out / "site.webmanifest").read_text())
    assert manifest["name"] == "Journal"
    assert manifest["start_url"] == "/"
    assert manifest["icons"][0]["src"] == "/assets/favicon.svg"
    assert (out / "assets/favicon.svg").read_text().startswith("<svg")


def test_the_manifests_short_name_ends_at_a_word():
    assert [short_name(t) for t in ("Journal", "Stufen Journal", "My ML Notes Daily", "Unbreakablewordsname",
                                    "机器学习笔记本的第一步和更多内容")] == [
        "Journal", "Stufen", "My ML Notes", "Unbreakablew", "机器学习笔记本的第一步和"]


def test_no_cname_file_unless_configured(site, stufen):
    root = site({"content/posts/a.md": post(description="x")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/CNAME").exists()
    assert (root / "_site/.nojekyll").exists()


def test_titles_and_descriptions_are_unique_and_canonical_is_absolute(out):
    titles, descriptions = {}, {}
    for page in sorted(out.rglob("index.html")):
        head = Head(page.read_text())
        titles.setdefault(head.title, []).append(page)
        descriptions.setdefault(head.meta["description"][0], []).append(page)
        assert head.links["canonical"][0].startswith("https://")
        assert head.links["icon"] == ["/assets/favicon.svg"]
        assert head.links["manifest"] == ["/site.webmanifest"]
        assert head.meta["twitter:site"] == ["@ada"]
        assert head.meta["og:image"][0].startswith("https://ada.example.org/")
    assert [t for t, pages in titles.items() if len(pages) > 1] == []
    assert [d for d, pages in descriptions.items() if len(pages) > 1] == []
    assert Head((out / "posts/2/index.html").read_text()).meta["description"] == ["All posts of Journal. Page 2 of 3."]


def test_post_head_has_open_graph_twitter_and_json_ld(out):
    head = Head((out / "posts/b/index.html").read_text())
    assert head.links["canonical"] == ["https://ada.example.org/posts/b/"]
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["B"]
    assert head.meta["og:image"] == ["https://ada.example.org/images/b.png"]
    assert "og:image:width" not in head.meta  # the author's own image: size unknown
    assert head.meta["article:modified_time"] == ["2024-06-03T10:00:00+00:00"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    data = json.loads(head.scripts[0])
    assert data == {
        "@context": "https://schema.org", "@type": "BlogPosting", "headline": "B",
        "description": "About B.", "datePublished": "2024-06-01T10:00:00+00:00",
        "dateModified": "2024-06-03T10:00:00+00:00", "author": {"@type": "Person", "name": "Ada"},
        "image": "https://ada.example.org/images/b.png", "url": "https://ada.example.org/posts/b/",
        "mainEntityOfPage": {"@type": "WebPage", "@id": "https://ada.example.org/posts/b/"},
        "keywords": ["others"],
    }


def test_drawn_image_and_canonical_url_override(out):
    a = Head((out / "posts/a/index.html").read_text())
    assert a.meta["og:image"] == ["https://ada.example.org/og/posts/a.png"]
    assert a.meta["og:image:width"] == ["1200"]
    assert (out / "og/posts/a.png").read_bytes().startswith(b"\x89PNG")
    assert not (out / "og/posts/b.png").exists()
    c = Head((out / "posts/c/index.html").read_text())
    assert c.links["canonical"] == ["https://elsewhere.example/c"]
    assert c.meta["og:url"] == ["https://elsewhere.example/c"]
    home = Head((out / "index.html").read_text())
    assert home.meta["og:type"] == ["website"]
    assert home.meta["og:image"] == ["https://ada.example.org/og/site.png"]
    assert home.scripts == []


def test_404_page_is_not_indexed(out):
    head = Head((out / "404.html").read_text())
    assert head.meta["robots"] == ["noindex"]
    assert "canonical" not in head.links


def test_json_ld_cannot_close_its_script(site, stufen):
    title = '"</script><script>alert(1)</script> & <!--"'
    root = site({"content/posts/a.md": post(title, description="x")})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/posts/a/index.html").read_text()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1)
    assert "<" not in script and ">" not in script
    assert json.loads(script)["headline"] == "</script><script>alert(1)</script> & <!--"


def test_the_sitemap_is_reused_when_no_address_or_date_changes(site, stufen):
    """A body edit leaves every address and lastmod as it was: the last build's sitemap is linked, not
    serialised again (0.2 s at 5000 posts); a new modDatetime makes a new one, with the new date."""
    root = site({"stufen.toml": CONFIG, "content/posts/a.md": post("A", description="About A."),
                 "content/posts/b.md": post("B", date="2024-06-01T10:00:00Z", description="About B.")})
    assert stufen(root, "build")[0] == 0
    sitemap = root / "_site" / "sitemap.xml"
    first = sitemap.stat().st_ino, sitemap.read_bytes()
    (root / "content/posts/a.md").write_text(post("A", description="About A.") + "\nOne more line.\n")
    assert stufen(root, "build")[0] == 0
    assert (sitemap.stat().st_ino, sitemap.read_bytes()) == first
    (root / "content/posts/a.md").write_text(post("A", description="About A.", modDatetime="2024-07-01T10:00:00Z"))
    assert stufen(root, "build")[0] == 0
    assert sitemap.stat().st_ino != first[0]
    assert "2024-07-01" in sitemap.read_text()
