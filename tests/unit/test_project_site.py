"""The demo journal as a GitHub *project* site: everything must live under /journal/."""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

REPO = Path(__file__).resolve().parents[2]
HOST, BASE = "https://user.github.io", "/journal/"


class Refs(HTMLParser):
    """Every href, src and og/twitter image URL of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.refs: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.refs += [a[k] for k in ("href", "src") if a.get(k)]
        if tag == "meta" and a.get("property", a.get("name", "")) in ("og:image", "og:url", "twitter:image"):
            self.refs.append(a["content"])


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "static", root / "static")
    config = (REPO / "stufen.toml").read_text()
    config = re.sub(r'(?m)^base_url = .*$', f'base_url = "{HOST}{BASE}"', config)
    (root / "stufen.toml").write_text(config)
    from stufen.cli import main
    assert main(["-C", str(root), "build", "--strict"]) == 0
    return root / "_site"


def resolve(out: Path, page_url: str, ref: str) -> Path | None:
    """The built file an internal reference points at; None for external references."""
    absolute = urljoin(HOST + page_url, ref)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != HOST:
        return None
    assert parts.path.startswith(BASE), f"{page_url}: {ref} is outside {BASE}"
    rel = unquote(parts.path[len(BASE):])
    return out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def test_every_internal_href_and_src_resolves_under_the_base_path(out):
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    checked = 0
    for page in pages:
        rel = page.relative_to(out).as_posix()
        page_url = BASE + (posixpath.dirname(rel) + "/" if rel.endswith("index.html") else rel).lstrip("/")
        page_url = page_url.replace("//", "/")
        for ref in Refs(page.read_text()).refs:
            target = resolve(out, page_url, ref)
            if target is not None:
                assert target.is_file(), f"{rel}: {ref} → {target.relative_to(out)} is not built"
                checked += 1
    assert checked > 200


def test_404_page_uses_the_base_path(out):
    text = (out / "404.html").read_text()
    assert 'href="/journal/"' in text and 'href="/journal/assets/style.css"' in text


def test_feeds_and_sitemap_point_under_the_base_path(out):
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.entries
    for entry in feed.entries:
        assert resolve(out, BASE, entry.link).is_file()
        for url in re.findall(r'(?:href|src)="([^"]+)"', entry.content[0].value):
            target = resolve(out, BASE, url)
            assert target is None or target.is_file(), url
    locs = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text())
    assert locs and all(resolve(out, BASE, loc).is_file() for loc in locs)
    assert "Sitemap: https://user.github.io/journal/sitemap.xml" in (out / "robots.txt").read_text()
    assert '"start_url": "/journal/"' in (out / "site.webmanifest").read_text()
