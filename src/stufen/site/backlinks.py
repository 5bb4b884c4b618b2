"""Who links to a post: its "Linked from" list, by wikilink or ordinary Markdown link.

Only posts count as linking (tag pages, lists and the roadmap link to everything); a post linking to
itself does not. Each linking post appears once, with the sentence of its first link, newest first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from urllib.parse import unquote, urlsplit

from ..model import Post
from ..routes import malformed, post_url, resolve_path
from .wikilinks import Edge

_POST_PATH = re.compile(r"^/posts/(.+?)/?(?:index\.html)?$")


def linked_from(ordered: tuple[Post, ...], edges: Iterable[Edge]) -> Mapping[str, tuple[tuple[str, str], ...]]:
    """slug → ((slug of a post linking to it, the sentence the link is in), …), newest first."""
    known = {p.slug for p in ordered}
    contexts: dict[str, dict[str, str]] = defaultdict(dict)
    for edge in [*edges, *_markdown_edges(ordered, known)]:
        if edge.source != edge.target:
            contexts[edge.target].setdefault(edge.source, edge.context)
    return {target: tuple((p.slug, sources[p.slug]) for p in ordered if p.slug in sources)
            for target, sources in contexts.items()}


def _markdown_edges(ordered: tuple[Post, ...], known: set[str]) -> Iterable[Edge]:
    for post in ordered:
        here = post_url(post.slug)
        for link in post.links:
            if malformed(link.target):
                continue
            path = unquote(urlsplit(link.target).path)
            match = _POST_PATH.match(resolve_path(here, path) if path else here)
            if match and match.group(1) in known:
                yield Edge(post.slug, match.group(1), link.context)
