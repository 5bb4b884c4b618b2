"""`stufen new "Title"`: start a post with complete front matter, never overwriting one or taking its URL.

The date is "now" in the site's timezone (SOURCE_DATE_EPOCH pins it for tests),
written with its offset so the post means the same moment on any machine.
Every post counts when looking for a clash, drafts and scheduled ones too:
`build --drafts` and `serve` show them, and a draft is published one day.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from ..config import Config
from ..load.post import POSTS_DIR, discover, post_slug, read_slug
from ..routes import post_url
from ..slugs import slugify

TEMPLATE = """---
title: {title}
description: ""
pubDatetime: {now}
tags:
  - "others"
draft: true
---

Write here. Set `draft: false` (or remove it) to publish.
"""


class PostExists(Exception):
    """The file `stufen new` would write is already there, or another post has its URL."""


def new_post(config: Config, title: str, now: datetime, slug: str | None = None) -> Path:
    """Write content/posts/<slug>.md (the slug made from `slug`, else the title) and return its path;
    PostExists if that file exists or another post already has the URL."""
    local = now.astimezone(ZoneInfo(config.timezone)).replace(microsecond=0)
    stem = slugify(slug or title)
    path = config.content_path / POSTS_DIR / f"{stem}.md"
    exists = (f"{path.relative_to(config.root)} already exists; "
              f"choose another title, give the post its own with --slug, or edit that file")
    if path.exists():
        raise PostExists(exists)
    url_slug = post_slug(PurePosixPath(path.name), None, config.urls, title.strip())
    holder = _holder_of(url_slug, config)
    if holder:
        raise PostExists(f"{holder} already has the URL {post_url(url_slug)}; "
                         f"choose another title, or give the post its own with --slug")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=json.dumps(title.strip(), ensure_ascii=False), now=local.isoformat())
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:  # written by something else since the check above
        raise PostExists(exists) from None
    return path


def _holder_of(slug: str, config: Config) -> PurePosixPath | None:
    """The post file, draft or not, whose URL is /posts/<slug>/."""
    posts_dir = (config.content_path / POSTS_DIR).relative_to(config.root).as_posix()
    for file in discover(config.content_path):
        source = PurePosixPath(file.relative_to(config.root).as_posix())
        try:
            data = file.read_bytes()
        except OSError:
            continue
        if read_slug(data, source, posts_dir, config.urls) == slug:
            return source
    return None
