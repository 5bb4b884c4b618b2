"""Series: posts that belong together ("Part 2 of 4"), grouped in the assemble stage.

A post joins a series with `series: "Name"`; `seriesOrder` fixes its place,
otherwise publication order decides. Like tags, a series is found by its slug,
so "Diving into ML" and "diving into ml" are one series (with a warning).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import Problems
from ..model import Post
from ..slugs import slugify


@dataclass(frozen=True, slots=True)
class SeriesGroup:
    name: str
    slug: str
    slugs: tuple[str, ...]  # the parts' post slugs, part 1 first

    def part(self, post_slug: str) -> int:
        """1-based part number of a post in this series."""
        return self.slugs.index(post_slug) + 1


def group_series(posts: Iterable[Post], problems: Problems) -> tuple[SeriesGroup, ...]:
    """Every series among the shown posts, parts ordered by seriesOrder, then date; sorted by slug."""
    names: dict[str, str] = {}
    members: dict[str, list[Post]] = {}
    for post in sorted(posts, key=lambda p: (p.published.timestamp(), p.slug)):
        if not post.series:
            continue
        slug = slugify(post.series)
        known = names.setdefault(slug, post.series)
        if known != post.series:
            problems.warn(post.source, 1, f"series '{post.series}' is spelt '{known}' in an earlier part; "
                          f"showing '{known}'", "spell the series the same way in every part")
        members.setdefault(slug, []).append(post)
    return tuple(SeriesGroup(names[s], s, _ordered(members[s], problems)) for s in sorted(names))


def _ordered(parts: list[Post], problems: Problems) -> tuple[str, ...]:
    """Parts with a seriesOrder sort by it; the others follow by date (they are already in date order)."""
    seen: dict[int, Post] = {}
    for post in parts:
        if post.series_order is not None:
            if post.series_order in seen:
                problems.warn(post.source, 1, f"seriesOrder: {post.series_order} is also used by "
                              f"{seen[post.series_order].source}", "give each part of a series its own number")
            seen.setdefault(post.series_order, post)
    ranked = sorted(enumerate(parts), key=lambda item: (item[1].series_order is None,
                                                        item[1].series_order or 0, item[0]))
    return tuple(post.slug for _, post in ranked)

