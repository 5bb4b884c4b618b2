"""The central, immutable records every stage passes along.

They are frozen so a stage can never change what an earlier stage produced, and
so the load stage's results can be cached and shipped between processes as-is.
Relations between posts (neighbours, tag membership) live in the `Site` as maps
of slugs, never as references between `Post` objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import ContentError
    from .incremental.entries import StoredHtml

_YOUTUBE = re.compile(r"^https?://(?:www\.|m\.|music\.)?(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/|live/)"
                      r"|youtu\.be/)([A-Za-z0-9_-]{11})(?:[?&#/]|$)")
@dataclass(frozen=True, slots=True)
class Tag:
    """A tag as the author wrote it (`name`) and as it appears in URLs (`slug`)."""

    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading of a post body, for the table of contents and `#anchor` checks."""

    level: int
    id: str
    text: str  # plain text, a formula by its characters: "Why β matters"
    html: str  # the TOC's label: the text escaped, a formula as MathML


@dataclass(frozen=True, slots=True)
class Link:
    """An internal href or src found in a body, kept with its line for error messages."""

    target: str
    line: int
    cell: int | None = None  # in a notebook, the cell `line` counts within
    context: str = ""  # the sentence the link sits in, for the target's "Linked from" list


@dataclass(frozen=True, slots=True)
class WikiLink:
    """An Obsidian `[[Target#anchor|alias]]` (or `![[…]]` embed) as the load stage found it.

    The load stage cannot know which post `Target` names (that needs the whole site), so the body holds
    `placeholder(n)` where the link goes, and the assemble stage replaces it (site/wikilinks.py)."""

    target: str  # as written, "" for [[#Heading]] in the same post
    anchor: str  # heading text, "^block-id", or ""
    alias: str | None  # the text after |, as written
    embed: bool
    line: int
    cell: int | None = None
    context: str = ""  # the sentence the link sits in

    @staticmethod
    def placeholder(n: int) -> str:
        """NUL cannot come from Markdown (markdown-it turns it into U+FFFD), so this cannot be forged."""
        return f"\x00W{n}\x00"


@dataclass(frozen=True, slots=True)
class Track:
    """One "Today's music" entry."""

    title: str
    url: str

    @property
    def youtube_id(self) -> str | None:
        """The video id of a YouTube link, for the click-to-load player; None for other links."""
        match = _YOUTUBE.match(self.url)
        return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class Rendered:
    """What the Markdown stage makes of one body: HTML plus what later stages need of it."""

    html: str
    toc: tuple[Heading, ...]
    links: tuple[Link, ...]
    ids: frozenset[str]
    first_paragraph: str
    words: int
    problems: tuple[tuple[int, str, str], ...] = ()  # (file line, message, fix): bad LaTeX, nesting too deep
    warnings: tuple[tuple[int, str], ...] = ()  # (file line, message): what of a formula is not shown
    wikilinks: tuple[WikiLink, ...] = ()  # placeholder n in `html` is wikilinks[n]
    inline_tags: tuple[str, ...] = ()  # `#tag` written in the text (collected only with inline_tags = true)


@dataclass(frozen=True, slots=True)
class Body:
    """What a reader (load/readers.py) makes of a post's body: the rendered body, the files it carries
    (a notebook's output images) and its problems."""

    rendered: Rendered
    attachments: dict[str, bytes]
    problems: tuple[ContentError, ...]


@dataclass(frozen=True, slots=True)
class Post:
    """One published (or draft/scheduled) post, fully validated and rendered."""

    source: PurePosixPath  # relative to the site folder, e.g. content/posts/x.md
    slug: str  # URL path below /posts/, folders kept: "notes/x"
    title: str
    description: str
    published: datetime  # always timezone-aware, in the post's timezone
    updated: datetime | None
    timezone: str  # IANA name the dates are shown in
    tags: tuple[Tag, ...]
    html: str | StoredHtml  # `body_html()` reads it either way
    toc: tuple[Heading, ...]
    links: tuple[Link, ...]
    ids: frozenset[str]  # every element id in the body, for #anchor checks
    words: int
    author: str
    draft: bool = False
    featured: bool = False
    og_image: str | None = None
    canonical_url: str | None = None
    hide_edit_post: bool = False
    music: tuple[Track, ...] = ()
    series: str | None = None
    series_order: int | None = None
    extra: Mapping[str, object] = field(default_factory=dict)  # unknown keys, kept as written
    scheduled: bool = False  # dated later than the build's "now" yet shown (only `serve` shows those)
    lines: Mapping[str, int] = field(default_factory=dict)  # front matter key → file line, for later messages
    front_matter_cell: int | None = None  # a notebook's front matter cell: `lines` count within it
    attachments: Mapping[str, bytes] = field(default_factory=dict)  # files beside the page (notebook images)
    wikilinks: tuple[WikiLink, ...] = ()  # placeholder n in `html` is wikilinks[n]; resolved in assemble
    aliases: tuple[str, ...] = ()  # `aliases:` entries that are paths ("/posts/old/"): old URLs redirecting here
    names: tuple[str, ...] = ()  # `aliases:` entries that are names (Obsidian's): other names [[wikilinks]] may use
    css_classes: tuple[str, ...] = ()  # Obsidian's `cssclasses:`, put on the article

    def body_html(self) -> str:
        """The rendered body, read from the store when it was left there (`StoredHtml`)."""
        return self.html if type(self.html) is str else self.html.text()

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def slug_line(self) -> int:
        """Where the URL is set: the `slug:` (or `postSlug:`) line, else line 1 (it comes from the file name)."""
        return self.line_of("slug") if "slug" in self.lines else self.line_of("postSlug")

    @property
    def sort_date(self) -> datetime:
        """Newest-first order uses the last modification, as AstroPaper does."""
        return self.updated or self.published


def _as_call(record) -> tuple:
    """Pickle a record as a call of its class with its fields in order. Unpickling then runs the class's
    generated `__init__`, a third faster than the per-field `__setstate__` dataclasses give a slotted
    class, and the store unpickles every post on every build (bench: 0.144 → 0.093 ms a corpus post)."""
    return type(record), tuple(getattr(record, name) for name in record.__slots__)


for _record in (Tag, Heading, Link, WikiLink, Track, Rendered, Post):
    _record.__reduce__ = _as_call
