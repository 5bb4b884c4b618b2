"""`stufen.toml` → a frozen, validated `Config`.

A missing file means defaults, so a folder holding only `content/posts/*.md`
builds. Every key is checked: a wrong type or an unknown key is an error that
names the line and, for a misspelling, suggests the key that was meant.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .errors import ConfigError, did_you_mean
from .routes import WEB_SCHEMES, post_url, url_problem
from .slugs import URL_RULES

# Share links a site may list (`share = [...]`): label and URL pattern; {url} and {title} are
# percent-encoded when filled in (render/share.py).
SHARE_SERVICES = {
    "mastodon": ("Mastodon", "https://mastodonshare.com/?text={title}&url={url}"),
    "bluesky": ("Bluesky", "https://bsky.app/intent/compose?text={title}%20{url}"),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    "hackernews": ("Hacker News", "https://news.ycombinator.com/submitlink?u={url}&t={title}"),
    "reddit": ("Reddit", "https://www.reddit.com/submit?url={url}&title={title}"),
    "email": ("Email", "mailto:?subject={title}&body={url}"),
}


def known_style(name: str) -> bool:
    """Whether `name` is an installed Pygments style (a `*_code_style` setting must name one)."""
    # imported here: most sites set no code style, and the styles load only when one is shown
    from pygments.styles import STYLE_MAP

    return name in STYLE_MAP or name in code_styles()  # the built-in ones need no scan of plugins


@functools.cache
def code_styles() -> frozenset[str]:
    """Every installed Pygments style, plugins included: listing them scans every installed package's
    entry points (~40 ms), so only a name that is not built in is looked up here."""
    from pygments.styles import get_all_styles

    return frozenset(get_all_styles())


CONFIG_FILE = "stufen.toml"
# Astro's `@/assets/…` (AstroPaper's tsconfig maps `@/*` to src/, and `stufen import` copies src/assets/ to assets/)
DEFAULT_ALIASES = {"@/assets/": "assets/", "@assets/": "assets/"}


@dataclass(frozen=True, slots=True)
class Config:
    """Site settings. `root` is the site folder; every other path is relative to it."""

    root: Path = Path(".")
    title: str = "My Journal"
    description: str = "A learning journal."
    author: str = "Anonymous"
    base_url: str = "/"  # "https://user.github.io/journal/" for a project site
    language: str = "en"
    timezone: str = "UTC"
    posts_per_page: int = 10
    recent_posts: int = 4  # how many recent posts the home page lists
    scheduled_margin_minutes: int = 15  # AstroPaper's scheduledPostMargin
    words_per_minute: int = 200
    edit_url: str | None = None  # e.g. "https://github.com/me/journal/edit/main/"
    edit_text: str = "Suggest changes"
    socials: Mapping[str, str] = field(default_factory=dict)  # name → URL, in file order
    share: tuple[str, ...] = ()  # share links under each post: names from SHARE_SERVICES
    og_image: str | None = None
    og_cards: bool = True  # draw an Open Graph card per post; false: posts without ogImage share the site's
    cname: str | None = None  # custom domain, written to CNAME for GitHub Pages
    twitter: str | None = None  # "@handle" for twitter:site
    feed_entries: int = 20  # posts per feed, newest first
    unsafe_html: bool = True  # raw HTML in Markdown is the author's own
    search: bool = True  # build a Pagefind index and the /search/ page
    search_language: str = "auto"  # "auto": CJK segmentation when posts need it, else `language`
    light_code_style: str = "default"
    dark_code_style: str = "github-dark"
    out_dir: str = "_site"
    content_dir: str = "content"
    urls: str = "stufen"  # how post URLs are made: "stufen", or "astro-paper-v1"…"-v5" to keep an imported blog's
    aliases: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ALIASES))  # [aliases]: prefix → folder
    inline_tags: bool = False  # Obsidian's `#tag` in a post's text is one of its tags (and links to its page)
    attachments_dir: str = ""  # Obsidian's attachment folder below content/ ("attachments"); "": beside the post
    max_post_mb: int = 20  # a post file larger than this is an error, not a build that reads it (a link to /dev/zero)

    @property
    def base_path(self) -> str:
        """The path part of base_url, always "/…/": what every internal URL starts with."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def origin(self) -> str:
        """"https://host" of base_url, or "" when only a path is configured."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir


_SETTABLE = {f.name: f for f in fields(Config) if f.name != "root"}
# Where other generators keep posts (AstroPaper 4, AstroPaper 5, a guess), for the "no posts folder" hint.
OTHER_POST_FOLDERS = ("src/content/blog", "src/data/blog", "content/blog")


def check_site(config: Config) -> None:
    """A build needs a site: its folder, and a posts folder in it. Else nothing is created, and the error
    says where posts go (and where they seem to be, if another generator's posts folder is there)."""
    root = config.root
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "does not exist"
        raise ConfigError(f"no site folder: {root} {what} (give -C the folder holding content/posts/)")
    posts = config.content_path / "posts"
    rel = posts.relative_to(root).as_posix()
    if posts.is_dir() and (any(posts.iterdir()) or not _other_posts(root)):
        return
    state = ("is empty" if posts.is_dir() else "does not exist") + ("" if root == Path(".") else f" in {root}")
    found = _other_posts(root)
    if found:
        folder, count = found
        raise ConfigError(f"no posts to build: {rel}/ {state}, but {folder}/ holds {count} post{'s' * (count != 1)} "
                          f"(move those files into {rel}/; their URLs stay {post_url('<slug>')})")
    raise ConfigError(f"no posts folder: {rel}/ {state} (put one Markdown file per post there, "
                      f"e.g. {rel}/hello.md, or start one with `stufen new \"My first post\"`)")


def _other_posts(root: Path) -> tuple[str, int] | None:
    for folder in OTHER_POST_FOLDERS:
        if (root / folder).is_dir():
            count = sum(1 for p in (root / folder).rglob("*") if p.suffix in (".md", ".mdx", ".ipynb"))
            if count:
                return folder, count
    return None


def load_config(root: Path, **overrides) -> Config:
    """Read `root/stufen.toml` (if any), validate it, apply command-line overrides."""
    path = root / CONFIG_FILE
    raw: dict = {}
    text = ""
    if path.exists():
        text = _read(path)
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{CONFIG_FILE}: {exc}") from None
    raw.update({k: v for k, v in overrides.items() if v is not None})
    return Config(root=root, **_validate(raw, text))


def _read(path: Path) -> str:
    """The file's text; a folder, an unreadable file or bytes that are not UTF-8 are errors, not tracebacks."""
    if path.is_dir():
        raise ConfigError(f"{CONFIG_FILE} is a folder, not a file (remove it, or put the settings in a file "
                          f"named {CONFIG_FILE})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{CONFIG_FILE}: cannot read the file: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{CONFIG_FILE}:{line}: not valid UTF-8: byte 0x{data[exc.start]:02x} at offset "
                          f"{exc.start} (save the file as UTF-8)") from None


def _validate(raw: dict, text: str) -> dict:
    values: dict = {}
    problems: list[str] = []
    for key, value in raw.items():
        where = f"{CONFIG_FILE}:{_line_of(key, text)}"
        if key not in _SETTABLE:
            hint = did_you_mean(key, _SETTABLE)
            problems.append(f"{where}: unknown key '{key}'" + (f" ({hint})" if hint else ""))
            continue
        try:
            values[key] = _check(key, value)
        except ValueError as exc:
            if isinstance(exc, _EntryError):  # point at the entry's own line below its table's header
                where = f"{CONFIG_FILE}:{_line_of(exc.entry, text, after=_line_of(key, text))}"
            problems.append(f"{where}: {key}: {exc}")
    if problems:
        raise ConfigError("\n".join(problems))
    return values


def _check(key: str, value):
    default = _SETTABLE[key].default
    if key == "socials":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError('expected a table of name = "url", e.g. github = "https://github.com/me"')
        for name, link in value.items():
            _check_url(name, link, (*WEB_SCHEMES, "mailto"))
        return dict(value)
    if key == "share":
        return _check_share(value)
    if key == "aliases":
        return _check_aliases(value)
    expected = bool if isinstance(default, bool) else int if isinstance(default, int) else str
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ValueError(f"expected {_TYPE_NAMES[expected]}; got {value!r}")
    if expected is int and value < 1:
        raise ValueError(f"expected a positive number; got {value}")
    if key == "timezone":
        _check_timezone(value)
    if key == "urls" and value not in URL_RULES:
        hint = did_you_mean(value, URL_RULES) or "known: " + ", ".join(URL_RULES)
        raise ValueError(f"unknown URL rule {value!r} ({hint})")
    if key.endswith("_code_style") and not known_style(value):
        hint = did_you_mean(value, code_styles()) or "see `pygmentize -L styles`"
        raise ValueError(f"unknown Pygments style {value!r} ({hint})")
    if key == "base_url":
        return _check_base_url(value)
    if key in ("edit_url", "og_image"):
        _check_url(None, value, relative=key == "og_image")  # an edit link leads to a forge, never into the site
    return value


_TYPE_NAMES = {bool: "true or false", int: "a whole number", str: "text in quotes"}


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as 'Europe/Berlin')") from None


def _check_share(value) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f'expected a list such as ["mastodon", "email"]; got {value!r}')
    for name in value:
        if name not in SHARE_SERVICES:
            hint = did_you_mean(name, SHARE_SERVICES) or "known: " + ", ".join(SHARE_SERVICES)
            raise ValueError(f"unknown service '{name}' ({hint})")
    return tuple(value)


def _check_aliases(value) -> dict[str, str]:
    """`[aliases]` "@images/" = "assets/images/": a prefix and a folder inside the site; added to the defaults."""
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError('expected a table of prefix = "folder", e.g. "@images/" = "assets/images/"')
    for prefix, folder in value.items():
        parts = folder.replace("\\", "/").split("/")
        if not prefix.strip() or folder.startswith("/") or ".." in parts or not folder.strip("/. "):
            raise _EntryError(prefix, f"expected a folder inside the site such as 'assets/images/'; got {folder!r}")
    return {**DEFAULT_ALIASES, **value}


class _EntryError(ValueError):
    """A problem with one entry of a table such as [socials]: the message names it, the report finds its line."""

    def __init__(self, entry: str, message: str):
        super().__init__(f"{entry}: {message}")
        self.entry = entry


def _check_url(name: str | None, url: str, schemes=WEB_SCHEMES, relative: bool = True) -> None:
    """routes.url_problem, the one URL check, as this module's ValueError (the caller adds file, line and key)."""
    problem = url_problem(url, schemes, relative=relative)
    if problem:
        raise _EntryError(name, problem) if name else ValueError(problem)


def _check_base_url(url: str) -> str:
    if url_problem(url):
        raise ValueError(f"expected an address such as 'https://me.github.io/journal/'; got {url!r}")
    return url if url.endswith("/") else url + "/"


def _line_of(key: str, text: str, after: int = 1) -> int:
    """The line a key is set on (tomllib keeps no positions), searched from line `after`; `after` if unknown."""
    start = sum(len(line) for line in text.splitlines(keepends=True)[:after - 1])
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=|^\s*\[{re.escape(key)}\]", re.MULTILINE)
    match = pattern.search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else after
