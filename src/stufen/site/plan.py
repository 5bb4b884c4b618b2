"""Plan: every output page of a site as a frozen `Page(url, template, context)`.

Nothing is rendered here. A page's context holds only what its template needs,
so a page's output is a function of its context and its templates; that is
what lets `serve` re-render only the pages an edit really changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from ..errors import Problems
from ..model import Post
from ..report import phase
from ..routes import (
    ARCHIVES,
    HOME,
    MUSIC,
    NOT_FOUND,
    POSTS,
    SEARCH,
    SERIES,
    TAGS,
    file_url,
    list_page,
    output_path,
    post_url,
    series_url,
    shard_count,
    tag_url,
)
from ..slugs import valid_utf8
from .assemble import Site


@dataclass(frozen=True, slots=True)
class Page:
    """One output file; `url` ends in "/" for pages written as …/index.html."""

    url: str
    template: str
    context: Mapping[str, object]

    @property
    def output_path(self) -> str:
        return output_path(self.url)


def plan(site: Site) -> list[Page]:
    """Home, paginated lists, each post, tags, each tag, archives and 404, in a stable order."""
    config = site.config
    featured = [p for p in site.posts if p.featured]
    recent = [p for p in site.posts if not p.featured][: config.recent_posts]
    pages = [Page(HOME, "home.html", {"title": config.title, "featured": featured, "recent": recent,
                                      "description": config.description})]
    pages += paginate(POSTS, "posts.html", site.posts, config.posts_per_page,
                      {"title": "Posts", "description": f"All posts of {config.title}."})
    pages += [post_page(site, post) for post in site.posts]
    pages.append(Page(TAGS, "tags.html", {"title": "Tags", "tags": site.tags,
                                          "description": f"Every tag used on {config.title}."}))
    for group in site.tags:
        posts = [site.post(slug) for slug in group.slugs]
        pages += paginate(tag_url(group.tag.slug), "tag.html", posts, config.posts_per_page,
                          {"title": f"Tag: {group.tag.name}", "tag": group.tag,
                           "description": f"Posts tagged “{group.tag.name}”."})
    pages.append(Page(ARCHIVES, "archives.html", {"title": "Archives", "years": archive(site.posts),
                                                  "description": f"Every post of {config.title} by date."}))
    pages += series_pages(site)
    pages += music_pages(site)
    if config.search:
        pages.append(Page(SEARCH, "search.html", {"title": "Search", "shards": shard_count(len(site.posts)),
                                                      "description": f"Search every post of {config.title}."}))
    pages.append(Page(NOT_FOUND, "404.html", {"title": "Page not found",
                                                "description": "This page does not exist."}))
    return pages


def unique_pages(pages: Sequence[Page], problems: Problems) -> list[Page]:
    """One page per URL. A post whose URL the plan already gives another page (`slug: "2"` and page 2 of
    the post list) is an error at its slug line, and left out so the build can report everything else."""
    taken: dict[str, Page] = {}
    kept = []
    for page in pages:
        first = taken.setdefault(page.output_path, page)
        if first is page:
            kept.append(page)
            continue
        post = next((p.context["post"] for p in (page, first) if isinstance(p.context.get("post"), Post)), None)
        if post is None:
            problems.error(page.url, None, f"two pages want this URL: {describe(first)} and {describe(page)}")
        else:
            other = describe(first if post is page.context.get("post") else page)
            problems.error(post.source, post.slug_line, f"its URL {post_url(post.slug)} is also {other}",
                           "set a different 'slug:' in its front matter", cell=post.front_matter_cell)
    return kept


def describe(page: Page) -> str:
    """A page as an author knows it: "the post content/posts/x.md", "page 2 of the post list"."""
    post, pagination = page.context.get("post"), page.context.get("pagination")
    if isinstance(post, Post):
        return f"the post {post.source}"
    if isinstance(pagination, Mapping) and pagination.get("current", 1) > 1:
        tag = page.context.get("tag")
        return f"page {pagination['current']} of " + (f"the tag '{tag.name}'" if tag else "the post list")
    return f"the page {page.url}"


@phase("plan")
def unique_files(static: Mapping[str, Path], built: Sequence[str], root: Path,
                 problems: Problems) -> dict[str, Path]:
    """Static files minus those at a path Stufen builds (a page, a feed, robots.txt): each is an error."""
    taken = set(built)
    kept = {}
    for rel, source in static.items():
        shown = source.relative_to(root) if source.is_relative_to(root) else source
        if not valid_utf8(rel):
            problems.error(shown.as_posix(), None, "the file name is not valid UTF-8, so no address can name it",
                           "rename the file")
            continue
        if rel not in taken:
            kept[rel] = source
            continue
        if rel.endswith(".html"):
            problems.error(shown.as_posix(), None, f"Stufen builds the page {file_url(rel)} "
                           "at the same path", "rename or remove this file; to change a page, override its "
                           "template in templates/")
        else:
            problems.error(shown.as_posix(), None, f"Stufen builds {rel} itself",
                           "remove this file from static/, or rename it")
    return kept


def post_page(site: Site, post: Post) -> Page:
    older, newer = site.older.get(post.slug), site.newer.get(post.slug)
    series = site.series_of(post)
    return Page(post_url(post.slug), "post.html", {
        "title": post.title, "description": post.description, "post": post,
        "older": site.post(older) if older else None, "newer": site.post(newer) if newer else None,
        "backlinks": [(site.post(slug), context) for slug, context in site.backlinks.get(post.slug, ())],
        "previews": post.slug in site.linking,
        "series": series, "series_parts": [site.post(s) for s in series.slugs] if series else [],
    })


def series_pages(site: Site) -> list[Page]:
    """/series/ lists every series; /series/<slug>/ lists one series' parts in order."""
    if not site.series:
        return []
    pages = [Page(SERIES, "series-list.html", {
        "title": "Series", "description": f"Posts of {site.config.title} that belong together.",
        "all_series": [(group, [site.post(s) for s in group.slugs]) for group in site.series]})]
    for group in site.series:
        pages.append(Page(series_url(group.slug), "series.html", {
            "title": f"Series: {group.name}", "series": group, "posts": [site.post(s) for s in group.slugs],
            "description": f"All {len(group.slugs)} parts of “{group.name}”, in order."}))
    return pages


def music_pages(site: Site) -> list[Page]:
    """/music/: every "Today's music" track with the post it accompanied, newest first."""
    tracks = [(track, post) for post in site.posts for track in post.music]
    if not tracks:
        return []
    return [Page(MUSIC, "music.html", {"title": "Today’s music", "tracks": tracks,
                                          "description": f"The music behind the posts of {site.config.title}."})]


def paginate(base: str, template: str, posts: Sequence[Post], per_page: int, extra: dict) -> list[Page]:
    """`base`, `base`2/, `base`3/ … each with at most `per_page` posts and links between them."""
    chunks = [posts[i:i + per_page] for i in range(0, len(posts), per_page)] or [[]]
    urls = [list_page(base, n) for n in range(1, len(chunks) + 1)]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        pagination = {"current": n, "total": len(chunks),
                      "prev": urls[n - 2] if n > 1 else None, "next": urls[n] if n < len(chunks) else None}
        title = extra["title"] if n == 1 else f"{extra['title']} (page {n})"
        description = extra["description"] if n == 1 else f"{extra['description']} Page {n} of {len(chunks)}."
        pages.append(Page(urls[n - 1], template, {**extra, "title": title, "description": description,
                                                  "posts": list(chunk), "pagination": pagination}))
    return pages


def archive(posts: Sequence[Post]) -> list[tuple[int, list[tuple[int, list[Post]]]]]:
    """[(year, [(month, posts)])], newest first, by publication date."""
    by_date = sorted(posts, key=lambda p: (-p.published.timestamp(), p.slug))
    years = []
    for year, in_year in groupby(by_date, key=lambda p: p.published.year):
        months = [(m, list(ps)) for m, ps in groupby(in_year, key=lambda p: p.published.month)]
        years.append((year, months))
    return years
