"""The About page: `content/about.md` → `/about/`, a page rather than a post.

It takes a post's front matter minus what only posts need (no pubDatetime, no
tags): `title`, `description` and optionally `modDatetime`. It is not in feeds,
lists or the archive; the header links it when the file exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from ..config import Config
from ..errors import Problems, did_you_mean, shown
from ..load.frontmatter import SourceError, decode, split
from ..load.post import date_field, text_field
from ..markdown.parser import render_markdown
from ..routes import ABOUT
from .plan import Page

ABOUT_FILE = "about.md"
KEYS = ("title", "description", "modDatetime")


@dataclass(frozen=True, slots=True)
class About:
    title: str
    description: str
    html: str
    updated: datetime | None


def load_about(config: Config, problems: Problems) -> About | None:
    """The About page, None when there is no content/about.md or it has errors (reported)."""
    path = config.content_path / ABOUT_FILE
    if not path.is_file():
        return None
    source = PurePosixPath(path.relative_to(config.root).as_posix())
    try:
        parts = split(decode(path.read_bytes(), source), source)
    except SourceError as exc:
        problems.extend([exc.problem])
        return None
    errors = len(problems.errors)
    for key in parts.meta:
        if key not in KEYS:
            problems.warn(source, parts.key_lines.get(key), f"'{key}' has no effect on the About page",
                             did_you_mean(key, KEYS) or f"use {', '.join(KEYS)}")
    title = _text(parts, "title", source, problems) or "About"
    description = _text(parts, "description", source, problems) or f"About {config.title}."
    updated = _updated(parts, source, config.timezone, problems)
    rendered = render_markdown(parts.body, unsafe_html=config.unsafe_html, first_line=parts.body_line)
    for line, message, hint in rendered.problems:
        problems.error(source, line, message, hint)
    for line, message in rendered.warnings:
        problems.warn(source, line, message)
    if len(problems.errors) > errors:
        return None
    return About(title, description, rendered.html, updated)


def about_pages(about: About | None) -> list[Page]:
    if about is None:
        return []
    return [Page(ABOUT, "about.html", {"title": about.title, "description": about.description,
                                           "about": about})]


def _text(parts, key: str, source: PurePosixPath, problems: Problems) -> str | None:
    value = parts.meta.get(key)
    if isinstance(value, str) and not value.strip():  # a post may have an empty field; this page may not
        problems.error(source, parts.key_lines.get(key), f"{key}: expected text; got {shown(value)}")
        return None
    return text_field(parts.meta, key, _recorder(parts, source, problems))


def _updated(parts, source: PurePosixPath, timezone: str, problems: Problems) -> datetime | None:
    return date_field(parts.meta, "modDatetime", ZoneInfo(timezone), _recorder(parts, source, problems))


def _recorder(parts, source: PurePosixPath, problems: Problems):
    """The `problem` callback of load's field checks, for this file. Errors keep the About page's
    messages as they were, without the hints written for posts (adding them changes pinned messages)."""
    def problem(key, message, hint=None, warning=False):
        line, message = parts.key_lines.get(key), f"{key}: {message}"
        if warning:
            problems.warn(source, line, message, hint)
        else:
            problems.error(source, line, message)
    return problem
