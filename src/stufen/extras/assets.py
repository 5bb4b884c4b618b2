"""Files that are not pages: the static files (theme's, then the site's), the bundled stylesheet,
and what a post shows beside its page."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from ..config import Config
from ..dates import short_date
from ..errors import Problems
from ..markdown.highlight import stylesheet
from ..output.write import Output, static_files
from ..report import phase
from ..routes import output_path, post_file, post_url, under_base
from ..site.assemble import Site
from ..theme import theme_dir

# One render-blocking request instead of three: on a slow mobile link each extra stylesheet
# costs a connection and delays first paint (Lighthouse measured 98 with three files).
CSS_PARTS = ("assets/style.css", "assets/journal.css")
PREVIEWS = "previews.json"  # read by assets/preview.js when a link is first pointed at, never when a page loads


@phase("plan")
def static_and_assets(config: Config, problems: Problems) -> tuple[dict[str, Path], list[Output]]:
    """Static files (theme's, then the site's) and generated assets: what links may point at besides pages."""
    static = static_files([(theme_dir() / "static" / "assets", "assets/", theme_dir()),
                           (config.root / "static", "", config.root)], problems)
    return static, [bundle_css(static, config)]


def bundle_css(static: dict[str, Path], config: Config) -> Output:
    """assets/style.css = the theme's style.css, journal.css and the code colours, in that order."""
    parts = [static.pop(name).read_text(encoding="utf-8") for name in CSS_PARTS if name in static]
    parts.append(stylesheet(config.light_code_style, config.dark_code_style))
    return Output("assets/style.css", "\n".join(part.rstrip("\n") for part in parts).encode() + b"\n")


def static_stamp(static: dict[str, Path]) -> tuple[tuple[str, bytes], ...]:
    """Static files by the sha256 of their bytes: a page may embed what it reads of them (part of the page
    memo's key). By bytes, not mtime: a fresh checkout and install (CI) has new mtimes but the same files."""
    return tuple((rel, _file_digest(path)) for rel, path in sorted(static.items()))


def _file_digest(path: Path) -> bytes:
    info = path.stat()
    return _digest(path, info.st_size, info.st_mtime_ns, info.st_ino)


@lru_cache(maxsize=4096)  # by identity: the dev server hashes a static file once, until it changes
def _digest(path: Path, _size: int, _mtime_ns: int, _inode: int) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def post_attachments(site: Site) -> list[Output]:
    """Files a post shows beside its page: a notebook's output images, at /posts/<slug>/<name>."""
    return [Output(output_path(post_file(post.slug, name)), data)
            for post in site.posts for name, data in sorted(post.attachments.items())]


def previews(site: Site) -> list[Output]:
    """previews.json: each post's title, date and description by its URL, for the link previews
    (static/assets/preview.js); only when some post links to another, as only those pages load it."""
    if not site.linking:
        return []
    base = site.config.base_path
    entries = {under_base(base, post_url(p.slug)): {"t": p.title, "d": short_date(p.published), "s": p.description}
               for p in site.posts}
    return [Output(PREVIEWS, json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode())]
