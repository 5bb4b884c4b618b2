"""Finding post files and turning one into a validated, rendered `Post`.

`load_post` is pure (bytes in, Post and problems out) so it can be cached by
content and run in worker processes. AstroPaper's front matter names are
mapped to `Post` fields in exactly one function, `_post_fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from ..dates import to_datetime
from ..errors import ContentError, Problems, did_you_mean, shown
from ..model import Post, Tag, Track
from ..output.tree import files_under
from ..report import stage
from ..routes import alias_url, is_external, post_url, tag_url, url_problem
from ..slugs import slugify, url_slug
from .frontmatter import CONTROL_HINT, SourceError, strip_controls
from .readers import EXTENSIONS, reader_for

POSTS_DIR = "posts"
# Past this many tags a post is warned about, and feeds list only this many of its tags: every tag has its own
# feed holding the post, so a post's tags in each of those feeds grew as tags² (5,000 tags wrote 1.2 GB).
TAGS_PER_POST = 50
KNOWN_KEYS = (
    "title", "description", "pubDatetime", "modDatetime", "author", "tags", "draft",
    "featured", "slug", "postSlug", "ogImage", "canonicalURL", "hideEditPost",
    "timezone", "music", "series", "seriesOrder",
    "aliases", "cssclasses", "publish",  # Obsidian's; its `created`/`updated` stand in for a missing pubDatetime
)
# Names other generators use, so a migrating author is told what Stufen calls them.
_ALIASES = {"date": "pubDatetime", "pubDate": "pubDatetime", "published": "pubDatetime",
            "updated": "modDatetime", "lastmod": "modDatetime", "modified": "modDatetime",
            "summary": "description", "image": "ogImage", "categories": "tags",
            "canonical": "canonicalURL"}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything besides a file's bytes that its Post depends on (part of the cache key)."""

    timezone: str = "UTC"
    author: str = "Anonymous"
    unsafe_html: bool = True
    posts_dir: str = "content/posts"  # relative to the site folder, as `Post.source` is
    urls: str = "stufen"  # the URL rule (slugs.URL_RULES): Stufen's own, or an AstroPaper version's
    inline_tags: bool = False  # stufen.toml's inline_tags: `#tag` in the text is a tag


def discover(content_dir: Path, problems: Problems | None = None) -> list[Path]:
    """Every post file (of a format a reader has) below content/posts, sorted; `_`/`.` names are skipped, as
    drafts by convention. Links leading out of the site, special files and unreadable folders are
    `problems` (see output.tree); without `problems`, they are only left out."""
    found = files_under(content_dir / POSTS_DIR, content_dir.parent, problems if problems is not None else Problems(),
                        skip=lambda name: name.startswith(("_", ".")))
    paths = [path for rel, path in found if rel.endswith(EXTENSIONS)]
    return sorted(paths, key=lambda p: p.parts)  # the order of Path comparison, without its slow __lt__


@stage("load")
def load_post(data: bytes, source: PurePosixPath, settings: Settings) -> tuple[Post | None, tuple[ContentError, ...]]:
    """Validate and render one post, Markdown or notebook, on one path; a Post only when there were no errors."""
    reader = reader_for(source)
    try:
        parts = reader.read(data, source)
    except SourceError as exc:
        return None, (exc.problem,)
    locate = parts.locate
    problems: list[ContentError] = []
    fields = _post_fields(parts.meta, parts.key_lines, source, settings, problems)
    problems = [locate(p) for p in problems]
    if any(not p.warning for p in problems):
        return None, tuple(problems)
    body = reader.render(parts, source, folder=post_url(fields["slug"]), unsafe_html=settings.unsafe_html,
                         inline_tags=settings.inline_tags)
    problems += body.problems
    if any(not p.warning for p in body.problems):
        return None, tuple(problems)
    rendered = body.rendered
    fields["tags"] = _with_inline_tags(fields["tags"], rendered.inline_tags)
    if not fields["description"]:
        fields["description"] = _shorten(rendered.first_paragraph)
        message = ("no description; using the first paragraph" if rendered.first_paragraph
                   else "no description, and no paragraph to use instead")
        problems.append(locate(ContentError(source, parts.key_lines.get("title", 1), message,
                                            "add 'description:' for search engines and link previews",
                                            warning=True)))
    post = Post(source=source, html=rendered.html, toc=rendered.toc, links=rendered.links,
                ids=rendered.ids, words=rendered.words, lines=dict(parts.key_lines),
                front_matter_cell=parts.front_matter_cell, wikilinks=rendered.wikilinks,
                attachments=body.attachments, **fields)
    return post, tuple(problems)


def _post_fields(meta, lines, source, settings: Settings, problems: list[ContentError]) -> dict:
    """AstroPaper front matter → Post keyword arguments; every problem is recorded, not raised."""
    def problem(key, message, hint=None, warning=False):
        problems.append(ContentError(source, lines.get(key, 1), f"{key}: {message}" if key else message,
                                     hint, warning))

    obsidian_dates = "pubDatetime" not in meta and meta.get("created") is not None
    for key in meta:
        if key not in KNOWN_KEYS and not (obsidian_dates and key in ("created", "updated")):
            hint = (f"did you mean '{_ALIASES[key]}'?" if key in _ALIASES else did_you_mean(key, KNOWN_KEYS))
            problem(key, "unknown key, kept in 'extra'", hint, warning=True)

    tz_name = text_field(meta, "timezone", problem) or settings.timezone
    try:
        tz = ZoneInfo(tz_name)
    except (ValueError, KeyError, OSError):
        problem("timezone", f"unknown timezone {tz_name!r}", "use an IANA name such as 'Europe/Berlin'")
        tz, tz_name = ZoneInfo("UTC"), "UTC"

    title = text_field(meta, "title", problem)
    if not title and (meta.get("title") is None or isinstance(meta["title"], str)):
        problem(None, "title: missing" if meta.get("title") is None else "title: is empty",
                "every post needs 'title: Your title' in its front matter")
    published = date_field(meta, "pubDatetime", tz, problem)
    updated = date_field(meta, "modDatetime", tz, problem)
    if obsidian_dates:
        published = date_field(meta, "created", tz, problem)
        updated = updated or date_field(meta, "updated", tz, problem)
        problem("created", "no pubDatetime; using Obsidian's 'created' date" +
                (" and 'updated'" if meta.get("updated") is not None else ""),
                "rename 'created' to 'pubDatetime' to say so", warning=True)
    elif "pubDatetime" not in meta:
        alias = next((k for k in meta if _ALIASES.get(k) == "pubDatetime"), None)
        problem(None, "pubDatetime: missing",
                f"rename '{alias}' to 'pubDatetime'" if alias else "add e.g. 'pubDatetime: 2024-05-01T09:30:00+02:00'")
    slug = _slug(text_field(meta, "slug", problem) or None, text_field(meta, "postSlug", problem) or None,
                 source.relative_to(settings.posts_dir), settings.urls, title or "", problem)
    aliases = _names(meta, "aliases", problem)  # paths are old URLs (Hugo's, AstroPaper's); names are Obsidian's
    return {
        "slug": slug,
        "aliases": _aliases([a for a in aliases if _is_address(a)], problem),
        "names": tuple(a for a in aliases if not _is_address(a)),
        "title": title or "",
        "description": text_field(meta, "description", problem) or "",
        "published": published or datetime.min,
        "updated": updated,
        "timezone": tz_name,
        "tags": _tags(meta.get("tags"), problem),
        "author": text_field(meta, "author", problem) or settings.author,
        "draft": _flag(meta, "draft", problem) or ("publish" in meta and not _flag(meta, "publish", problem)),
        "featured": _flag(meta, "featured", problem),
        "og_image": _url(meta, "ogImage", problem),
        "canonical_url": _url(meta, "canonicalURL", problem),
        "hide_edit_post": _flag(meta, "hideEditPost", problem),
        "music": _music(meta.get("music"), problem),
        "series": text_field(meta, "series", problem),
        "series_order": _number(meta, "seriesOrder", problem),
        "extra": {k: v for k, v in meta.items() if k not in KNOWN_KEYS},
        "css_classes": tuple(c for n in _names(meta, "cssclasses", problem) for c in n.split()),
    }


def text_field(meta, key, problem) -> str | None:
    """A text value stripped of control characters, None when absent or not text.

    `problem(key, message, hint=None, warning=False)` records what is wrong; the About page checks its
    keys with this too."""
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        written = value if isinstance(value, (float, date)) else shown(value)
        problem(key, f"expected text; got {shown(value)}", f"put the value in quotes: {key}: \"{written}\"")
        return None
    return _printable(value, key, problem).strip()


def _names(meta, key, problem) -> tuple[str, ...]:
    """Obsidian's list properties (`aliases`, `cssclasses`): a list of text, or one text."""
    value = meta.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, (str, int, float)) for v in items):
        problem(key, f"expected a list of names; got {shown(value)}", f'write {key}: ["one", "two"]')
        return ()
    return tuple(name for v in items if (name := _printable(str(v), key, problem).strip()))


def _with_inline_tags(tags: tuple[Tag, ...], inline: tuple[str, ...]) -> tuple[Tag, ...]:
    """The front matter's tags, then `#tags` from the text (stufen.toml's inline_tags), each once."""
    known = {t.slug for t in tags}
    added = []
    for name in inline:
        if slugify(name) not in known:
            known.add(slugify(name))
            added.append(Tag(name, slugify(name)))
    return (*tags, *added) if added else tags


def _url(meta, key, problem) -> str | None:
    """A URL value, checked by routes.url_problem (the one URL check): `javascript:` and the like are errors."""
    value = text_field(meta, key, problem)
    reason = url_problem(value) if value else None
    if reason:
        problem(key, reason)
        return None
    return value


def _printable(text: str, key, problem) -> str:
    """`text` without control characters; each removal is a warning at the key's line."""
    text, removed = strip_controls(text)
    if removed:
        problem(key, f"removed control characters: {removed}", CONTROL_HINT, warning=True)
    return text


def _flag(meta, key, problem) -> bool:
    value = meta.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        problem(key, f"expected true or false; got {shown(value)}")
        return False
    return value


def _number(meta, key, problem) -> int | None:
    value = meta.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        problem(key, f"expected a whole number; got {shown(value)}")
        return None
    return value


def date_field(meta, key, tz, problem) -> datetime | None:
    """A date or datetime in `tz`, None when absent or empty (as `text_field` records problems)."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    try:
        return to_datetime(value, tz)
    except ValueError as exc:
        problem(key, str(exc), "write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional offset")
        return None


def _tags(value, problem) -> tuple[Tag, ...]:
    """Tags as written (default "others", as AstroPaper); a lone string is one tag."""
    if value is None:
        value = ["others"]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(t, (str, int, float)) for t in value):
        problem("tags", f"expected a list of tags; got {shown(value)}", 'write tags: ["one", "two"]')
        return ()
    seen: dict[str, Tag] = {}
    for raw in value:
        name = _printable(str(raw), "tags", problem).strip()
        slug = slugify(name)
        if name and slug not in seen:
            seen[slug] = Tag(name, slug)
        elif name and seen[slug].name != name:
            problem("tags", f"tag '{name}' shares the page {tag_url(slug)} with '{seen[slug].name}'; "
                    f"showing '{seen[slug].name}'", "remove one of them, or name them apart", warning=True)
    if len(seen) > TAGS_PER_POST:
        problem("tags", f"{len(seen)} tags; feeds list only the first {TAGS_PER_POST} of a post's tags",
                "keep to a few tags per post: each one gets a page and a feed", warning=True)
    return tuple(seen.values())


def _is_address(alias: str) -> bool:
    """An `aliases:` entry that is an address ("/posts/old/", or a URL, which is an error) rather than a name."""
    return alias.startswith("/") or is_external(alias)


def _aliases(paths: list[str], problem) -> tuple[str, ...]:
    """Old paths of this post (`aliases: ["/posts/old-name/"]`): each gets a page that redirects here."""
    urls = []
    for item in paths:
        url = alias_url(item)
        if url is None:
            problem("aliases", f"expected a path on this site such as '/posts/old-name/'; got {item!r}")
        elif url not in urls:
            urls.append(url)
    return tuple(urls)


def _music(value, problem) -> tuple[Track, ...]:
    """One {title, url} or a list of them."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    tracks = []
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("title"), str) and isinstance(item.get("url"), str)):
            problem("music", f"expected {{title, url}} entries; got {shown(item)}",
                    'write music: {title: "Song", url: "https://…"}')
            continue
        url = _printable(item["url"], "music", problem).strip()
        if reason := url_problem(url):
            problem("music", f"url: {reason}")
            continue
        tracks.append(Track(_printable(item["title"], "music", problem).strip(), url))
    return tuple(tracks)


def read_slug(data: bytes, source: PurePosixPath, posts_dir: str, urls: str = "stufen") -> str | None:
    """The slug a post file claims, from its front matter alone (drafts too); None when that cannot be read."""
    try:
        meta = reader_for(source).read(data, source).meta
    except SourceError:
        return None
    def text(key):
        value = meta.get(key)
        return value.strip() or None if isinstance(value, str) else None

    return _slug(text("slug"), text("postSlug"), source.relative_to(posts_dir), urls, text("title") or "",
                 lambda *args, **kwargs: None)


def post_slug(below_posts: PurePosixPath, explicit: str | None, urls: str = "stufen", title: str = "") -> str:
    """Folders below content/posts stay in the URL; the last part is the slug (`urls`: the rule, see slugs;
    AstroPaper v1/v2 made it from the `title`)."""
    return url_slug(below_posts.parts, urls, slug=explicit, title=title)[0]


def _slug(slug: str | None, legacy: str | None, below_posts: PurePosixPath, urls: str, title: str, problem) -> str:
    """The post's path below /posts/ under the site's URL rule, from `slug:` and `postSlug:` (`legacy`); an
    explicit slug that had to be made safe, or a key the rule ignores, is a warning (the URL then differs
    from the one the author may expect)."""
    given = {"slug": slug, "postSlug": legacy}
    old = urls in ("astro-paper-v1", "astro-paper-v2")
    if urls == "stufen":
        slug = slug or legacy
    elif ignored := ("slug" if old and slug else "postSlug" if not old and legacy else None):
        problem(ignored, f"{urls} ignores '{ignored}:'; the URL comes from "
                f"{'postSlug: or the title' if old else 'slug: or the file name'}",
                f"to keep that address too, add aliases: [\"/posts/{given[ignored]}/\"]", warning=True)
    made, kept = url_slug(below_posts.parts, urls, slug=slug, post_slug=legacy, title=title)
    if not kept and urls != "stufen":  # Stufen's own rule has always made such slugs safe without a word
        key = "slug" if slug and not old else ("postSlug" if legacy else "title")
        problem(key, f"cannot be a URL as written; the post is at /posts/{made}/",
                "use letters, digits, '-', '_', '.' and '~' only", warning=True)
    return made


def _shorten(text: str, limit: int = 160) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
