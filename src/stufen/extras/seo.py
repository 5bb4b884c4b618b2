"""Files that help a site be found and hosted: sitemap.xml, robots.txt, site.webmanifest,
and GitHub Pages' `.nojekyll` (always: Jekyll would hide files starting with "_") and CNAME.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache, partial
from xml.etree import ElementTree as ET

from ..config import Config
from ..dates import iso
from ..model import Post
from ..output.write import Output
from ..render.pagememo import PageMemo
from ..routes import (
    CNAME,
    FAVICON,
    MANIFEST,
    NO_JEKYLL,
    NOT_FOUND,
    ROBOTS,
    SITEMAP,
    absolute_url,
    output_path,
    post_url,
    url,
)
from ..site.assemble import Site
from ..site.plan import Page

SITEMAP_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_LISTED = {NOT_FOUND}


def site_files(site: Site, pages: Sequence[Page], now: datetime, reuse: PageMemo | None = None) -> list[Output]:
    config = site.config
    files = [sitemap(site, pages, now, reuse), robots(config), manifest(config), Output(output_path(NO_JEKYLL), b"")]
    if config.cname:
        files.append(Output(output_path(CNAME), config.cname.strip().encode() + b"\n"))
    return files


def listed(site: Site, pages: Sequence[Page]) -> list[Page]:
    """Public pages: not the 404 page or redirects (`aliases:`), no drafts, no posts whose canonicalURL points
    elsewhere."""
    config = site.config
    shown = []
    for page in pages:
        post = page.context.get("post")
        redirect = page.template == "redirect.html"
        if page.url in NOT_LISTED or redirect or (post and (post.draft or _canonical_elsewhere(config, post))):
            continue
        shown.append(page)
    return shown


def sitemap(site: Site, pages: Sequence[Page], now: datetime, reuse: PageMemo | None = None) -> Output:
    """With `reuse`, the last build's sitemap is linked when every address and date in it is the same: its
    XML for 6800 pages takes ElementTree 0.2 s, on every one-edit build of a 5000-post journal."""
    config = site.config
    newest = max((p.sort_date for p in site.posts), default=now)
    entries = tuple((absolute_url(config, page.url), _iso(_lastmod(page, newest))) for page in listed(site, pages))
    if reuse is None:
        return Output(output_path(SITEMAP), _sitemap_xml(entries))
    return reuse.output_for(output_path(SITEMAP), (SITEMAP, entries), partial(_sitemap_xml, entries))


def short_name(title: str, limit: int = 12) -> str:
    """The title's leading words that fit in `limit` characters (what a home screen shows under
    an icon), so "Stufen Journal" is "Stufen", not "Stufen Journ"; a longer first word is cut."""
    words = title.split()
    fit = ""
    for word in words:
        if len(f"{fit} {word}".strip()) > limit:
            break
        fit = f"{fit} {word}".strip()
    return fit or title.strip()[:limit]


def _iso(when: datetime | None) -> str | None:
    return iso(when) if when is not None else None


@lru_cache(maxsize=2)  # while serving, most edits (a title, a body) leave every address and date as it was
def _sitemap_xml(entries: tuple[tuple[str, str | None], ...]) -> bytes:
    root = ET.Element("urlset", xmlns=SITEMAP_XMLNS)
    for loc, lastmod in entries:
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = loc
        if lastmod is not None:  # optional: better none than a wrong one, which makes search engines ignore them all
            ET.SubElement(entry, "lastmod").text = lastmod
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(config: Config) -> Output:
    text = f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config, SITEMAP)}\n"
    return Output(output_path(ROBOTS), text.encode())


def manifest(config: Config) -> Output:
    """The web app manifest; its URLs carry base_url's path, so it works for project sites."""
    data = {
        "name": config.title,
        "short_name": short_name(config.title),
        "description": config.description,
        "lang": config.language,
        "start_url": config.base_path,
        "scope": config.base_path,
        "display": "minimal-ui",
        "background_color": "#fdfdfd",
        "theme_color": "#0060a0",
        "icons": [{"src": url(config.base_path, FAVICON), "sizes": "any", "type": "image/svg+xml"}],
    }
    return Output(output_path(MANIFEST), json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n")


def _lastmod(page: Page, newest: datetime) -> datetime | None:
    """When a page last changed, as far as the content tells.

    A post: its modDatetime, else pubDatetime. The About page: its own modDatetime, or no date
    when it has none. A page showing posts (lists, tags, series, archives, home, music,
    roadmap): the newest of them. Others (all tags, search): the site's newest post.
    """
    context = page.context
    post = context.get("post")
    if post is not None:
        return post.sort_date
    about = context.get("about")
    if about is not None:
        return about.updated
    return max((p.sort_date for p in _posts_in(context.values())), default=newest)


def _posts_in(values: Iterable[object]) -> Iterator[Post]:
    """Every post in a page's context, also inside lists, tuples and dicts (archives, roadmap, music)."""
    for value in values:
        if isinstance(value, Post):
            yield value
        elif isinstance(value, list | tuple):
            yield from _posts_in(value)
        elif isinstance(value, dict):
            yield from _posts_in(value.values())


def _canonical_elsewhere(config: Config, post) -> bool:
    return bool(post.canonical_url) and post.canonical_url != absolute_url(config, post_url(post.slug))
