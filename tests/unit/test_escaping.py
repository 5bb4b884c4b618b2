"""Nothing injected: hostile front matter is escaped in every context it reaches.

One site whose settings, title, description, tags and body are all hostile, built
with `unsafe_html = false`; then every output is parsed the way a browser, a feed
reader or a search engine would parse it, and the hostile text must come back as
text: no element, attribute or script appears that the theme did not write.
"""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from conftest import write_files
from stufen.cli import main
from stufen.load.post import Settings, load_post
from stufen.slugs import slugify

TITLE = '</script><script>alert(1)</script> "onmouseover=alert(2) x=\' ]]> & 😀 \u202eRTL\u200f <!--'
DESCRIPTION = "<img src=x onerror=alert(3)> ]]> &amp; --> \u2066 <![CDATA[x]]>"
TAGS = ["</script><b>x</b>", '"onmouseover=x', "a/b", "../x", "C++", "C#", "😀", "机器学习"]
BODY = "Body <script>alert(4)</script> <img src=x onerror=alert(5)> and `</script>` in code.\n"
# What the default theme itself writes: the only scripts and handlers a page may hold.
THEME_SCRIPTS = {"application/ld+json", "inline-theme", "/blog/assets/theme.js", "/blog/assets/search.js",
                 "/blog/assets/music.js"}


def yaml_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = write_files(tmp_path_factory.mktemp("hostile"), {
        "stufen.toml": f'base_url = "https://example.org/blog/"\nunsafe_html = false\n'
                       f'title = {yaml_quote("Site </title><script>alert(6)</script> & co")}\n'
                       f'description = {yaml_quote(DESCRIPTION)}\n',
        "content/posts/evil.md": f"---\ntitle: {yaml_quote(TITLE)}\ndescription: {yaml_quote(DESCRIPTION)}\n"
                                 f"pubDatetime: 2024-05-01\ntags: {json.dumps(TAGS, ensure_ascii=False)}\n---\n{BODY}"})
    assert main(["-C", str(root), "build", "--no-cache"]) == 0
    return root / "_site"


class Elements(HTMLParser):
    """Every element with its attributes, the text of <title> and <h1>, and each script's body."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.texts: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open = tag

    def handle_data(self, data):
        if self._open == "script":
            self.scripts.append((self.elements[-1][1], data))
        elif self._open in ("title", "h1"):
            self.texts[self._open] = self.texts.get(self._open, "") + data

    def handle_endtag(self, tag):
        self._open = None


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def html_pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html") if "pagefind" not in p.parts)


def test_html_text_and_attributes_hold_no_injected_markup(built):
    for page in html_pages(built):
        parsed = parse(page)
        for tag, attrs in parsed.elements:
            assert not [name for name in attrs if name.startswith("on")], (page, tag, attrs)
            assert (tag, attrs.get("src")) != ("img", "x"), page
            assert tag != "b", page
        for attrs, _ in parsed.scripts + [(a, "") for t, a in parsed.elements if t == "script"]:
            kind = attrs.get("type") or attrs.get("src") or "inline-theme"
            assert kind in THEME_SCRIPTS, (page, attrs)
        assert not [body for attrs, body in parsed.scripts if "alert(" in body and not attrs.get("type")], page


def test_hostile_title_and_body_come_back_as_text(built):
    parsed = parse(built / "posts/evil/index.html")
    assert parsed.texts["h1"] == TITLE
    assert parsed.texts["title"].startswith(TITLE)
    metas = {a.get("property") or a.get("name"): a.get("content") for t, a in parsed.elements if t == "meta"}
    assert metas["og:title"] == TITLE and metas["og:description"] == DESCRIPTION
    assert metas["twitter:title"] == TITLE
    page = (built / "posts/evil/index.html").read_text()
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page  # unsafe_html = false: the body's HTML is text
    assert "<script>alert(" not in page


def test_json_ld_round_trips_and_cannot_close_its_script(built):
    parsed = parse(built / "posts/evil/index.html")
    (ld,) = [body for attrs, body in parsed.scripts if attrs.get("type") == "application/ld+json"]
    assert "</script" not in ld.lower() and "<!--" not in ld
    data = json.loads(ld)
    assert (data["headline"], data["description"], data["keywords"]) == (TITLE, DESCRIPTION, TAGS)


@pytest.mark.parametrize("feed", ["feed.xml", "rss.xml", "tags/c-sharp/feed.xml"])
def test_feeds_parse_and_hold_the_text_as_written(built, feed):
    root = ET.parse(built / feed).getroot()
    texts = [el.text for el in root.iter() if el.text]
    assert TITLE in texts
    assert DESCRIPTION in texts
    content = next(el.text for el in root.iter() if el.tag.endswith(("content", "encoded")))
    assert "&lt;script&gt;alert(4)" in content and "<script>" not in content


def test_sitemap_lists_every_tag_page_at_a_safe_url(built):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text for el in ET.parse(built / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    tag_locs = sorted(loc for loc in locs if "/tags/" in loc and loc.rstrip("/").count("/") == 5)
    assert tag_locs == sorted(f"https://example.org/blog/tags/{slug}/" for slug in [
        "script-b-x-b", "onmouseover-x", "a-b", "x", "c-plus-plus", "c-sharp", "u1f600",
        "%E6%9C%BA%E5%99%A8%E5%AD%A6%E4%B9%A0"])
    assert all(loc.startswith("https://example.org/blog/") and ".." not in loc for loc in locs)


def test_tag_slugs_are_safe_and_distinct():
    tricky = ["a/b", "../x", "C++", "C#", "C", "😀", "🙂", "机器学习", "..", "<>", "a" * 400]
    slugs = [slugify(name) for name in tricky]
    assert len(set(slugs)) == len(slugs)
    for slug in slugs:
        assert slug and slug not in (".", "..") and "/" not in slug and "\\" not in slug
        assert len(slug.encode()) <= 200 and slug == slug.strip("-")


def test_search_metadata_is_text(built):
    """Pagefind stores the page's text (decoded), one folder per shard; the search page inserts it with textContent."""
    fragments = [gzip.decompress(p.read_bytes()) for p in sorted(built.glob("pagefind/*/fragment/*"))]
    (evil,) = [json.loads(f.removeprefix(b"pagefind_dcd")) for f in fragments if b'/posts/evil/"' in f]
    assert evil["meta"]["title"] == TITLE
    assert "textContent = data.meta.title" in (built / "assets/search.js").read_text()
    # The excerpt goes in with innerHTML: Pagefind builds it from the text with < and > escaped.
    for script in built.glob("pagefind/*/pagefind.js"):
        assert 'fragment.content.replace(/</g,"&lt;").replace(/>/g,"&gt;")' in script.read_text()


def test_open_graph_card_renders(built):
    with Image.open(built / "og/posts/evil.png") as card:
        assert card.size == (1200, 630)
        card.verify()


def test_raw_html_is_the_authors_own_by_default(site, stufen):
    root = site({"content/posts/raw.md": "---\ntitle: Raw\npubDatetime: 2024-05-01\ndescription: d\n---\n"
                                         "<figure><b>kept</b></figure>\n"})
    assert stufen(root, "build")[0] == 0
    assert "<figure><b>kept</b></figure>" in (root / "_site/posts/raw/index.html").read_text()


def test_unsafe_html_false_escapes_raw_html_in_notebook_markdown_cells_too():
    front = f"---\ntitle: {yaml_quote(TITLE)}\npubDatetime: 2024-05-01\ndescription: d\n---"
    cells = [{"cell_type": "raw", "metadata": {}, "source": front},
             {"cell_type": "markdown", "metadata": {}, "source": BODY},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "x", "outputs": [
                 {"output_type": "display_data", "metadata": {}, "data": {
                     "text/html": "<b onclick=alert(7)>out</b><script>alert(8)</script>", "text/plain": "x"}}]}]
    data = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).encode()
    safe, _ = load_post(data, Path("content/posts/nb.ipynb"), Settings(unsafe_html=False))
    assert safe.title == TITLE
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in safe.html and "<script>alert(4)" not in safe.html
    assert "<b>out</b>" in safe.html  # outputs are sanitised (nh3) whatever the setting
    assert "onclick" not in safe.html and "alert(8)" not in safe.html
    raw, _ = load_post(data, Path("content/posts/nb.ipynb"), Settings())
    assert "<script>alert(4)</script>" in raw.html  # by default the author's own HTML is kept
