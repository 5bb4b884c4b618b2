"""URLs as authors write them, parsed without ever raising.

`urllib.parse` raises on addresses a browser shrugs at: `https://[TODO]/` is an
"Invalid IPv6 URL", a full-width `＃` in a host fails its NFKC check, and a tab
inside `/\t/[x` is removed before parsing, which turns a path into a host. A
post holding one must still build: such a link is kept as written, and the link
check warns about it at its line.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    from .config import Config
    from .model import Post

_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def join(base: str, ref: str) -> str:
    """`ref` resolved against `base`, or `ref` as written when either cannot be parsed."""
    try:
        return urljoin(base, ref)
    except ValueError:
        return ref


def post_url(slug: str) -> str:
    """A post's page, below the base path: /posts/<slug>/."""
    return f"/posts/{slug}/"


def resolve_path(here: str, path: str) -> str:
    """A link's path as the browser on page `here` resolves it, normalised ("../x/" → "/posts/x/")."""
    joined = path if path.startswith("/") else posixpath.join(here, path)
    normal = posixpath.normpath(joined)
    return normal + "/" if path.endswith("/") and normal != "/" else normal


def is_external(url: str) -> bool:
    """True for `https://…`, `mailto:…`, `//host/…`: links the link check leaves alone."""
    return bool(_EXTERNAL.match(url))


def malformed(url: str) -> bool:
    """True when `url` cannot be parsed (Python's reason differs between versions, so it is not shown)."""
    try:
        urlsplit(url)
    except ValueError:
        return True
    return False


SHARD_POSTS = 50  # posts per index shard: an edit re-indexes its shard, and Pagefind grows faster than its input
MAX_SHARDS = 16  # …but every shard is fetched for every search, so not too many


def shard_count(posts: int) -> int:
    """How many indexes the posts are split into; the search page merges them in the browser."""
    return max(1, min(MAX_SHARDS, -(-posts // SHARD_POSTS)))


CARD_SIZE = (1200, 630)  # Open Graph cards, in pixels (also announced in each page's head)
SITE_CARD = "/og/site.png"


def og_path(post: Post, config: Config) -> str:
    """Where a post's image is: its own `ogImage`, the card Stufen draws for it, or (`og_cards = false`) the site's."""
    if post.og_image:
        return post.og_image
    return f"/og/posts/{post.slug}.png" if config.og_cards else site_og_path(config)


def site_og_path(config: Config) -> str:
    return config.og_image or SITE_CARD


# The one check of every URL an author gives in front matter or stufen.toml (base_url, edit_url, [socials],
# og_image, canonicalURL, ogImage, music urls). Anything else (`javascript:`, `data:`, `vbscript:`) would become a
# clickable link, a canonical address or JSON-LD that runs or misleads. urlsplit drops leading blanks and tabs
# and newlines inside the scheme, as browsers do, so ` java\tscript:` is seen for what it is.
WEB_SCHEMES = ("http", "https")


def url_problem(url: str, schemes: tuple[str, ...] = WEB_SCHEMES, *, relative: bool = True) -> str | None:
    """None when `url` is allowed: one of `schemes` (http and https need a host) or, if `relative`, a path
    on this site such as `/about/`; else the message that says what is expected."""
    named = ["an http:// or https:// address"] if set(WEB_SCHEMES) <= set(schemes) else []
    named += [f"a {s}: address" for s in schemes if s not in WEB_SCHEMES]
    named += ["a path on this site such as '/about/'"] if relative else []
    expected = " or ".join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)
    parts = None if malformed(url) else urlsplit(url)
    if parts is None or not url.strip():
        return f"expected {expected}; got {url!r}"
    if parts.scheme:
        ok = parts.scheme in schemes and (parts.scheme == "mailto" or bool(parts.netloc))
    else:
        ok = relative and not parts.netloc  # `//host/x` leaves the site: write its scheme
    return None if ok else f"expected {expected}; got {url!r}"
