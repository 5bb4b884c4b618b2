"""`stufen new "Title"`: start a post with complete front matter, never overwriting one.

The date is "now" in the site's timezone (SOURCE_DATE_EPOCH pins it for tests),
written with its offset so the post means the same moment on any machine.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import Config
from .content import POSTS_DIR
from .slugs import slugify

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
    """The file `stufen new` would write is already there."""


def new_post(config: Config, title: str, now: datetime) -> Path:
    """Write content/posts/<slug>.md and return its path; PostExists if it is taken."""
    local = now.astimezone(ZoneInfo(config.timezone)).replace(microsecond=0)
    path = config.content_path / POSTS_DIR / f"{slugify(title)}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=json.dumps(title.strip(), ensure_ascii=False), now=local.isoformat())
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise PostExists(f"{path.relative_to(config.root)} already exists; "
                         f"choose another title or edit that file") from None
    return path
