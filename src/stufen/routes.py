"""Every address the site has, and URLs as authors write them.

The one place that spells a route: each page and file Stufen builds has its URL
here (from the site root, as links and `Page.url` hold it) and `output_path`
turns any of them into the file written. The base path (base_url's path) is
applied here too, and only at render: the `url` filter for templates, and
`with_base` for the site links in bodies, which the load stage stores marked
rather than prefixed, so a parsed post does not depend on base_url.

`urllib.parse` raises on addresses a browser shrugs at: `https://[TODO]/` is an
"Invalid IPv6 URL", a full-width `＃` in a host fails its NFKC check, and a tab
inside `/\t/[x` is removed before parsing, which turns a path into a host. A
post holding one must still build: such a link is kept as written, and the link
check warns about it at its line.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING, AnyStr
from urllib.parse import quote, urljoin, urlsplit

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

# Pages at fixed addresses. A page's URL ends in "/" when it is written as …/index.html.
HOME = "/"
POSTS = "/posts/"  # the post list; page n at list_page(POSTS, n)
TAGS = "/tags/"  # every tag
ARCHIVES = "/archives/"
SERIES = "/series/"  # every series (only when a post is in one)
MUSIC = "/music/"  # every "Today's music" track (only when a post has one)
SEARCH = "/search/"  # with search = true
SEARCH_BUNDLE = "/pagefind/"  # the search index's shards, pagefind/<n>/
ABOUT = "/about/"  # from content/about.md
ROADMAP = "/roadmap/"  # from content/roadmap.yaml
NOT_FOUND = "/404.html"  # GitHub Pages serves it for any missing address
# Files beside the pages
ATOM_FEED, RSS_FEED = "/feed.xml", "/rss.xml"  # the site's feeds (RSS at AstroPaper's path)
TAG_FEED = "feed.xml"  # a tag's Atom feed, inside its tag page's folder
SITEMAP, ROBOTS, MANIFEST = "/sitemap.xml", "/robots.txt", "/site.webmanifest"
NO_JEKYLL, CNAME = "/.nojekyll", "/CNAME"  # GitHub Pages' files
STYLESHEET, FAVICON = "/assets/style.css", "/assets/favicon.svg"
CARDS = "/og/"  # the Open Graph cards Stufen draws
SITE_CARD = f"{CARDS}site.png"  # the site's card


def post_url(slug: str) -> str:
    """A post's page: "/posts/<slug>/"; a slug keeps its folders ("notes/x")."""
    return f"{POSTS}{slug}/"


def post_file(slug: str, name: str) -> str:
    """A file shown beside a post's page (a notebook's output image): "/posts/<slug>/<name>"."""
    return f"{post_url(slug)}{name}"


def tag_url(slug: str) -> str:
    """A tag's page of posts: "/tags/<slug>/"; page n at list_page(tag_url(slug), n)."""
    return f"{TAGS}{slug}/"


def tag_feed_url(slug: str) -> str:
    """A tag's Atom feed: "/tags/<slug>/feed.xml"."""
    return tag_url(slug) + TAG_FEED


def series_url(slug: str) -> str:
    """One series' parts in order: "/series/<slug>/"."""
    return f"{SERIES}{slug}/"


def list_page(first: str, number: int) -> str:
    """Page `number` of a paginated list whose first page is `first`: `first`, then `first`2/, `first`3/ …"""
    return first if number == 1 else f"{first}{number}/"


def post_card_url(slug: str) -> str:
    """The Open Graph card Stufen draws for a post: "/og/posts/<slug>.png"."""
    return f"{CARDS}posts/{slug}.png"


def og_path(post: Post, config: Config) -> str:
    """Where a post's image is: its own `ogImage`, the card Stufen draws for it, or (`og_cards = false`) the site's."""
    if post.og_image:
        return post.og_image
    return post_card_url(post.slug) if config.og_cards else site_og_path(config)


def site_og_path(config: Config) -> str:
    """The site's image: its `og_image`, else the card Stufen draws."""
    return config.og_image or SITE_CARD


def output_path(url: str) -> str:
    """The file a URL is written to, relative to the site folder: "/posts/x/" → "posts/x/index.html"."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def file_url(path: str) -> str:
    """The URL a file of the site is served at, the reverse of `output_path`: "posts/x/index.html" → "/posts/x/"."""
    return "/" + path.removesuffix("index.html") if path == "index.html" or path.endswith("/index.html") else "/" + path


# The base path. A body's root-relative link is stored as ROOT_MARK + "/posts/x/", and rendering
# replaces the mark once per page. Markdown turns NUL into U+FFFD, so no author's text carries it;
# the word between the NULs keeps a NUL in a notebook's printed output from being taken for one.
ROOT_MARK = "\0root\0"
_ROOT_MARK_BYTES = ROOT_MARK.encode()


def site_link(path: str) -> str:
    """A root-relative link ("/images/x.png") as a rendered body stores it: marked for `with_base`."""
    return ROOT_MARK + path


def with_base(html: AnyStr, base_path: str) -> AnyStr:
    """`html` (a page's bytes or a body) with base_url's path on every link `site_link` marked."""
    prefix = escape(base_path.rstrip("/"), quote=True)
    if isinstance(html, bytes):
        return html.replace(_ROOT_MARK_BYTES, prefix.encode())
    return html.replace(ROOT_MARK, prefix)


def under_base(base_path: str, path: str) -> str:
    """A site URL under base_url's path, as it is: "/posts/x/" → "/journal/posts/x/"."""
    return base_path + path.lstrip("/")


@lru_cache(maxsize=65536)  # every page links to the same few hundred addresses
def url(base_path: str, path: str) -> str:
    """The `url` filter: "/posts/x/" → "/journal/posts/x/" under a project site; non-ASCII is percent-encoded."""
    if path.startswith(("http://", "https://", "mailto:", "#")):
        return path
    return quote(under_base(base_path, path), safe="/#?=&%:@!$'()*+,;~-._")


def absolute_url(config: Config, path: str) -> str:
    """Full URL for feeds, canonical links and sitemaps; path-only when base_url has no host."""
    return path if path.startswith(("http://", "https://")) else config.origin + url(config.base_path, path)


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


def alias_url(path: str) -> str | None:
    """The URL of the redirect page an `aliases:` entry asks for ("/posts/old" → "/posts/old/"; a name ending
    in .html stays a file), or None when it is not a plain path on this site (a scheme, `..`, `?`, `#`, `\\`,
    or nothing). Aliases are written as the old site served them, below the base path like every page."""
    parts = path.strip().split("/")
    if (not path.startswith("/") or malformed(path) or any(c in path for c in "?#\\%") or
            any(p in (".", "..") or not p.isprintable() for p in parts) or path.startswith("//")):
        return None
    clean = "/".join(p for p in parts if p)
    if not clean:
        return None
    return f"/{clean}" if clean.endswith(".html") else f"/{clean}/"
