"""What the `<head>` partial needs beyond the page context: JSON-LD and image paths.

Kept apart from the templates so the escaping rule lives in one tested place:
JSON inside `<script>` must never contain "</script>" or "<!--", so every
`<`, `>` and `&` is written as a \\u escape, which JSON parsers read back as-is.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from ..config import Config
from ..dates import iso
from ..model import Post
from ..routes import CARD_SIZE, og_path, site_og_path


def json_ld(post: Post, url: str, image: str) -> Markup:
    """A schema.org BlogPosting for a post, safe to place inside <script type="application/ld+json">."""
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "datePublished": iso(post.published),
        "dateModified": iso(post.sort_date),
        "author": {"@type": "Person", "name": post.author},
        "image": image,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "keywords": [tag.name for tag in post.tags],
    }
    return Markup(script_json(data))


def script_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def head_globals(config: Config) -> dict[str, object]:
    """Jinja globals for templates/partials/head.html."""
    return {
        "json_ld": json_ld,
        "og_image_path": lambda post=None: og_path(post, config) if post is not None else site_og_path(config),
        "og_image_size": CARD_SIZE,
    }
