"""Feeds: Atom at /feed.xml, RSS at /rss.xml (AstroPaper's path), Atom per tag.

Entries carry the full post with every link made absolute, since a feed reader
shows it away from the site, and without the page's own furniture: no `#` permalinks
beside headings, no folded table of contents (its links lead back into the page).
Entry ids are tag URIs (RFC 4151) built from the host, the publication date and
the path, so editing a post never makes readers see it twice. The XML is built with
ElementTree, which does all the escaping.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from email.utils import format_datetime
from functools import lru_cache, partial
from itertools import chain
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from .. import __version__
from ..config import Config
from ..dates import iso
from ..load.post import TAGS_PER_POST
from ..model import Post
from ..output.write import Output
from ..render.pagememo import PageMemo
from ..report import stage
from ..routes import (
    ATOM_FEED,
    HOME,
    RSS_FEED,
    absolute_url,
    join,
    output_path,
    post_url,
    tag_feed_url,
    tag_url,
    under_base,
    with_base,
)
from ..site.assemble import Site

ATOM, CONTENT = "http://www.w3.org/2005/Atom", "http://purl.org/rss/1.0/modules/content/"
ET.register_namespace("atom", ATOM)
ET.register_namespace("content", CONTENT)
_ATTR = re.compile(r'(\s(?:href|src))="([^"]*)"')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What `markdown` adds for the page, not the text: each heading's permalink, and the table of
# contents' <details> with the "Table of contents" heading it fills (nothing else is under it).
# Found with str.find, not a regex: a regex tried at every position of every feed entry was most of a feed's cost.
_ANCHOR, _TOC, _CLOSE_DETAILS = '<a class="header-anchor"', '<details class="toc">', "</details>"
_HEADING_CLOSE = re.compile(r"</h([1-6])>")


@stage("feeds")
def feeds(site: Site, now: datetime, reuse: PageMemo | None = None) -> list[Output]:
    """The site's Atom and RSS feeds and one Atom feed per tag; `now` dates an empty feed.

    With `reuse`, a feed whose posts are unchanged since the last build is linked, not rebuilt.
    """
    config = site.config
    public = [p for p in site.posts if not p.draft]  # `--drafts` previews never reach readers
    posts = public[: config.feed_entries]
    body = feed_bodies(config.base_path)
    entry_of = atom_entries(config, body)
    wanted = [(ATOM_FEED, partial(atom, config, posts, ATOM_FEED, HOME, config.title, now, entry_of), posts, HOME),
              (RSS_FEED, partial(rss, config, posts, now, body), posts, HOME)]
    for group in site.tags:
        tagged = [p for p in map(site.post, group.slugs) if not p.draft][: config.feed_entries]
        path = tag_feed_url(group.tag.slug)
        title = f"{config.title}: posts tagged “{group.tag.name}”"
        wanted.append((path, partial(atom, config, tagged, path, tag_url(group.tag.slug), title, now, entry_of),
                       tagged, title))
    if reuse is None:
        return [Output(output_path(path), make()) for path, make, _, _ in wanted]
    # a feed's bytes: the config and Stufen's version (in the memo's settings), its path and title, its posts
    return [reuse.output_for(output_path(path), (path, title, entries, None if entries else now), make)
            for path, make, entries, title in wanted]


def atom(config: Config, posts: Sequence[Post], path: str, home: str, title: str, now: datetime,
         entries: AtomEntries) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": config.language})
    _sub(feed, "title", title)
    _sub(feed, "subtitle", config.description)
    _sub(feed, "link", href=absolute_url(config, path), rel="self", type="application/atom+xml")
    _sub(feed, "link", href=absolute_url(config, home), rel="alternate", type="text/html")
    _sub(feed, "id", feed_id(config, home))
    _sub(feed, "updated", iso(max((p.sort_date for p in posts), default=now)))
    _sub(_sub(feed, "author"), "name", config.author)
    _sub(feed, "generator", "Stufen", version=__version__)
    for _ in posts:
        ET.SubElement(feed, _SLOT)
    parts = _xml(feed).split(_SLOT_XML)
    return b"".join(chain.from_iterable(zip(parts[:-1], map(entries, posts), strict=True))) + parts[-1]


AtomEntries = Callable[[Post], bytes]  # a post → its <entry>, serialised, in every Atom feed of one build
_SLOT = "stufen-entry"  # where a feed's entries go: no text of a feed can hold the tag (escaped, "<" is "&lt;")
_SLOT_XML = f"<{_SLOT} />".encode()


def atom_entries(config: Config, body: Body) -> AtomEntries:
    """Each post's Atom <entry>, made and serialised once per build: a post is in the site's feed and in each of
    its tags', always as a child of <feed>, so indented alike. Made again for each feed, its body was cleaned
    and serialised up to six times: most of the 7 MB of feeds that 100 corpus posts make."""
    made: dict[str, bytes] = {}

    def entry_of(post: Post) -> bytes:
        link = absolute_url(config, post_url(post.slug))
        if link not in made:
            entry = ET.Element("entry")
            _sub(entry, "title", post.title)
            _sub(entry, "link", href=link, rel="alternate", type="text/html")
            _sub(entry, "id", entry_id(config, post))
            _sub(entry, "published", iso(post.published))
            _sub(entry, "updated", iso(post.sort_date))
            _sub(_sub(entry, "author"), "name", post.author)
            for tag in post.tags[:TAGS_PER_POST]:  # the post is in each tag's feed: all its tags would be tags²
                _sub(entry, "category", term=tag.slug, label=tag.name)
            _sub(entry, "summary", post.description)
            _sub(entry, "content", body(post, link), type="html")
            ET.indent(entry, level=1)
            made[link] = ET.tostring(entry, encoding="utf-8")
        return made[link]
    return entry_of


def rss(config: Config, posts: Sequence[Post], now: datetime, body: Body) -> bytes:
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    for name, text in (("title", config.title), ("link", absolute_url(config, HOME)),
                       ("description", config.description), ("language", config.language),
                       ("generator", f"Stufen {__version__}"),
                       ("lastBuildDate", format_datetime(max((p.sort_date for p in posts), default=now)))):
        ET.SubElement(channel, name).text = _clean(text)
    ET.SubElement(channel, f"{{{ATOM}}}link", href=absolute_url(config, RSS_FEED), rel="self",
                  type="application/rss+xml")
    for post in posts:
        link = absolute_url(config, post_url(post.slug))
        item = ET.SubElement(channel, "item")
        for name, text in (("title", post.title), ("link", link), ("description", post.description),
                           ("pubDate", format_datetime(post.published))):
            ET.SubElement(item, name).text = _clean(text)
        ET.SubElement(item, "guid", isPermaLink="false").text = entry_id(config, post)
        for tag in post.tags[:TAGS_PER_POST]:
            ET.SubElement(item, "category").text = _clean(tag.name)
        ET.SubElement(item, f"{{{CONTENT}}}encoded").text = _clean(body(post, link))
    return _xml(root)


def entry_id(config: Config, post: Post) -> str:
    """tag:host,published-date:/path/ — stable across edits; a UUID when base_url has no host."""
    path = under_base(config.base_path, post_url(post.slug))
    host = urlsplit(config.base_url).hostname
    if host:
        return f"tag:{host},{post.published.date().isoformat()}:{path}"
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{path}@{iso(post.published)}").urn


def feed_id(config: Config, home: str) -> str:
    url = absolute_url(config, home)
    return url if urlsplit(url).scheme else uuid.uuid5(uuid.NAMESPACE_URL, url).urn


Body = Callable[[Post, str], str]  # (post, its absolute address) → its body as feeds carry it


def feed_bodies(base_path: str) -> Body:
    """`feed_html` of each post, made once per build: a post is in the site's feeds and in each of its tags'."""
    made: dict[str, str] = {}

    def body(post: Post, link: str) -> str:
        if link not in made:
            made[link] = feed_html(post.body_html(), link, base_path)
        return made[link]
    return body


def feed_html(body: str, page_url: str, base_path: str) -> str:
    """A post's body as a feed carries it: its site links under `base_path`, without heading
    permalinks and the table of contents, every href/src resolved against the post's address,
    so links work inside a feed reader."""
    return absolute_html(_without_anchors(_without_toc(with_base(body, base_path))), page_url)


def _without_toc(body: str) -> str:
    """`body` less the table of contents' <details> and the heading right before it (which it fills)."""
    start = body.find(_TOC)
    end = body.find(_CLOSE_DETAILS, start)
    if start < 0 or end < 0:
        return body
    end += len(_CLOSE_DETAILS) + body.startswith("\n", end + len(_CLOSE_DETAILS))
    before = body[:start].rstrip()
    closing = _HEADING_CLOSE.fullmatch(before[-5:])
    if closing:
        opening = before.rfind(f"<h{closing.group(1)}")
        if opening >= 0 and before[opening + 3:opening + 4] in (" ", ">"):
            start = opening
    return body[:start] + body[end:]


def _without_anchors(body: str) -> str:
    """`body` less every heading permalink and the white space before it."""
    parts, pos = [], 0
    while (anchor := body.find(_ANCHOR, pos)) >= 0 and (end := body.find("</a>", anchor)) >= 0:
        cut = anchor
        while cut > pos and body[cut - 1].isspace():
            cut -= 1
        parts.append(body[pos:cut])
        pos = end + len("</a>")
    parts.append(body[pos:])
    return "".join(parts)


def absolute_html(body: str, page_url: str) -> str:
    """Every href/src resolved against `page_url`."""
    parts = urlsplit(page_url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    def resolve(match: re.Match) -> str:
        ref = html.unescape(match.group(2))
        if origin and ref.startswith("/") and not ref.startswith("//") and "/." not in ref:
            target = origin + ref  # the common case, without urljoin's full parse
        elif ref.startswith("#") and len(ref) > 1 and "#" not in page_url:
            target = page_url + ref  # a footnote: what urljoin gives, without its two parses
        elif ref.startswith(("https://", "http://")) and ref.partition("//")[2][:1] not in ("", "/"):
            target = _absolute(parts.scheme, ref)  # depends on the page's scheme only: once per link, not per page
        else:
            target = join(page_url, ref)  # a malformed URL stays as written
        return f'{match.group(1)}="{html.escape(target)}"'
    return _ATTR.sub(resolve, body)


@lru_cache(maxsize=4096)
def _absolute(scheme: str, ref: str) -> str:
    """`join(page, ref)` for an http(s) `ref` with a host, on any page whose scheme is `scheme` (urljoin then
    keeps nothing of the page but its scheme)."""
    return join(f"{scheme}://example.invalid/", ref)


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, name, attrs)  # the Atom namespace is the feed's default
    if text is not None:
        element.text = _clean(text)
    return element


def _clean(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped."""
    return _CONTROL.sub("", text)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
