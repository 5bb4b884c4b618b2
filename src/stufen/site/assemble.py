"""Assemble: the stage that looks across posts.

It decides what is published (drafts and scheduled posts are left out, each
with its reason), orders posts, groups tags and finds neighbours. Relations are
maps of slugs, so a `Site` is plain data that is cheap to compare and cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..config import Config
from ..dates import short_date
from ..errors import Problems
from ..model import Post, Tag
from ..output.write import Output
from ..report import phase
from ..routes import post_url, tag_url
from .backlinks import linked_from
from .series import SeriesGroup, group_series
from .wikilinks import resolve_wikilinks


@dataclass(frozen=True, slots=True)
class Mode:
    """What this build shows: `build` hides drafts and scheduled posts; `serve` may show them."""

    now: datetime
    drafts: bool = False
    future: bool = False


@dataclass(frozen=True, slots=True)
class TagGroup:
    tag: Tag
    slugs: tuple[str, ...]  # posts with this tag, newest first


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    posts: tuple[Post, ...]  # shown posts, newest first
    tags: tuple[TagGroup, ...]  # sorted by slug
    older: Mapping[str, str] = field(default_factory=dict)  # slug → previous post's slug
    newer: Mapping[str, str] = field(default_factory=dict)  # slug → next post's slug
    left_out: tuple[str, ...] = ()  # one line per hidden post, for the report
    by_slug: Mapping[str, Post] = field(default_factory=dict)
    series: tuple[SeriesGroup, ...] = ()  # sorted by slug
    files: tuple[Output, ...] = ()  # what posts show beside them: images and their WebP copies (render.media)
    # slug → ((slug of a post linking to it, the sentence the link is in), …), newest first
    backlinks: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    linking: frozenset[str] = frozenset()  # posts that link to another post: their pages load the link previews

    def series_of(self, post: Post) -> SeriesGroup | None:
        return next((s for s in self.series if post.slug in s.slugs), None)

    def post(self, slug: str) -> Post:
        return self.by_slug[slug]


@phase("plan")
def assemble(posts: Iterable[Post], config: Config, mode: Mode, problems: Problems) -> Site:
    """Filter, de-duplicate, order and relate the loaded posts; fill in their [[wikilinks]]."""
    posts = list(posts)
    shown, left_out = _visible(posts, config, mode)
    unique, edges = resolve_wikilinks(unique_slugs(shown, problems), posts, config, problems)
    ordered = tuple(sorted(unique, key=lambda p: (-p.sort_date.timestamp(), p.slug)))
    chronological = sorted(unique, key=lambda p: (p.published.timestamp(), p.slug))
    older = {b.slug: a.slug for a, b in zip(chronological, chronological[1:], strict=False)}
    newer = {a.slug: b.slug for a, b in zip(chronological, chronological[1:], strict=False)}
    backlinks = linked_from(ordered, edges)
    return Site(config, ordered, _group_tags(ordered, problems), older, newer, tuple(left_out),
                {p.slug: p for p in ordered}, group_series(ordered, problems), backlinks=backlinks,
                linking=frozenset(slug for sources in backlinks.values() for slug, _ in sources))


def release(post: Post, config: Config) -> datetime:
    """When a post appears: its date, less the scheduling margin (AstroPaper's scheduledPostMargin)."""
    return post.published - timedelta(minutes=config.scheduled_margin_minutes)


def next_release(posts: Iterable[Post], config: Config, mode: Mode) -> datetime | None:
    """When the next scheduled post appears (and the site changes without any file changing)."""
    if mode.future:
        return None
    due = [release(post, config) for post in posts if (mode.drafts or not post.draft)]
    return min((when for when in due if when > mode.now), default=None)


def _visible(posts: Iterable[Post], config: Config, mode: Mode) -> tuple[list[Post], list[str]]:
    """Posts to show, and a line for each post left out saying why and until when."""
    shown, left_out = [], []
    for post in posts:
        if post.draft and not mode.drafts:
            left_out.append(f"{post.source}: draft")
        elif release(post, config) > mode.now and not mode.future:
            left_out.append(f"{post.source}: scheduled for {_schedule(post, config)}")
        elif release(post, config) > mode.now:
            shown.append(replace(post, scheduled=True))
        else:
            shown.append(post)
    return shown, left_out


def _schedule(post: Post, config: Config) -> str:
    """"15 Jan 2030 08:00 (UTC), published from 07:45": its date, and when the margin lets it appear."""
    when, appears = post.published, release(post, config)
    text = f"{short_date(when)} {when:%H:%M} ({post.timezone})"
    if appears == when:
        return text
    day = "" if appears.date() == when.date() else f"{short_date(appears)} "
    return f"{text}, published from {day}{appears:%H:%M}"


def unique_slugs(posts: list[Post], problems: Problems) -> list[Post]:
    """Two posts may not share a URL: the later file (by path) is reported and dropped."""
    first: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: str(p.source)):
        if post.slug in first:
            other = first[post.slug]
            problems.error(post.source, post.slug_line, f"duplicate slug '{post.slug}': {other.source}"
                           f"{', a draft,' if other.draft else ''} has the same URL {post_url(post.slug)}",
                           "set a different 'slug:' in one of them", cell=post.front_matter_cell)
        else:
            first[post.slug] = post
    return list(first.values())


def _group_tags(ordered: tuple[Post, ...], problems: Problems) -> tuple[TagGroup, ...]:
    """Tags that share a URL are one tag; the spelling of its oldest use is kept."""
    names: dict[str, Tag] = {}
    members: dict[str, list[str]] = {}
    for post in reversed(ordered):
        for tag in post.tags:
            known = names.setdefault(tag.slug, tag)
            if known.name != tag.name:
                problems.warn(post.source, post.line_of("tags"),
                              f"tag '{tag.name}' shares the page {tag_url(tag.slug)} with '{known.name}'; "
                              f"showing '{known.name}'",
                              "spell the tag the same way in every post", cell=post.front_matter_cell)
            members.setdefault(tag.slug, []).insert(0, post.slug)
    return tuple(TagGroup(names[s], tuple(members[s])) for s in sorted(names))
