"""Internal link and `#anchor` checks, once every page and static file is known.

Broken links are warnings (the author may be linking ahead to a post not yet
written); `--strict` turns them into failures for CI and deployment.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from ..errors import Problems
from ..report import phase
from ..routes import malformed, post_url, resolve_path
from .assemble import Site
from .plan import Page


@phase("plan")
def check_links(site: Site, pages: Iterable[Page], files: Iterable[str], problems: Problems) -> None:
    known = {page.url for page in pages} | {"/" + f for f in files}
    ids = {post_url(p.slug): p.ids for p in site.posts}
    for post in site.posts:
        here = post_url(post.slug)
        for link in post.links:
            if malformed(link.target):
                problems.warn(post.source, link.line, f"malformed link '{link.target}': the address cannot be "
                              "parsed, so it is kept as written", "fix the address, or remove the link",
                              cell=link.cell)
                continue
            parts = urlsplit(link.target)
            path = unquote(parts.path)
            target = here if not path else resolve_path(here, path)
            if not _exists(target, known):
                problems.warn(post.source, link.line, f"broken link '{link.target}': nothing is built at {target}",
                              _base_hint(target, site.config.base_path, known)
                              or f"check the slug, or use a path such as {post_url('<slug>')}", cell=link.cell)
            elif parts.fragment and target in ids and unquote(parts.fragment) not in ids[target]:
                problems.warn(post.source, link.line, f"broken link '{link.target}': "
                              f"{target} has no heading or element with id '{parts.fragment}'", cell=link.cell)


def _base_hint(target: str, base_path: str, known: set[str]) -> str | None:
    """A link that spells out base_url's path would get it twice: Stufen adds it to every root link."""
    if base_path != "/" and target.startswith(base_path) and _exists("/" + target[len(base_path):], known):
        return f"leave out '{base_path.rstrip('/')}': Stufen adds the base path, write '/{target[len(base_path):]}'"
    return None


def _exists(target: str, known: set[str]) -> bool:
    if target.endswith("/index.html"):
        target = target[: -len("index.html")]
    return target in known or target + "/" in known
