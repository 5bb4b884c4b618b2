"""What `![[…]]` puts on a page: an image found beside the post (or in the attachments folder), or a
section of another post's body.

`find_attachment` looks an embedded file up with the resolver ordinary Markdown images get.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from markdown_it.common.utils import escapeHtml

from ..config import Config
from ..load.media import resolve_local

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
# Obsidian's image alias: "alt", "400", "400x300" or "alt|400" (Quartz's wikilinkImageEmbedRegex)
_SIZE = re.compile(r"^(?P<alt>(?!\d*x?\d*$).*?)?\|?\s*(?:(?P<width>\d+)(?:x(?P<height>\d+))?)?$")
_HEADING = re.compile(r"<h([1-6])\b")
_ID_ATTR = re.compile(r' id="[^"]*"')  # patterns that start with a literal are searched for, not tried everywhere
_PERMALINK = re.compile(r' <a class="header-anchor"[^>]*>.*?</a>', re.S)


def find_attachment(config: Config, post_source: PurePosixPath, name: str) -> Path | None:
    """The file `![[name]]` in `post_source` shows, found by the resolver every post image goes through
    (`load.media.resolve_local`): beside the post (Obsidian's "same folder as the note") or by an alias,
    else in `attachments_dir` below content/ (its "attachments/" folder). Never outside the site."""
    candidates = [post_source]
    if config.attachments_dir:  # resolved as if the note sat in the attachments folder
        candidates.append(PurePosixPath(config.content_dir, config.attachments_dir, "note.md"))
    for source in candidates:
        found = resolve_local(name, source, config.root, config.aliases, page_links=True)
        if found is not None and found.file is not None:
            return found.file
    return None


def image_html(src: str, alias: str | None, default_alt: str) -> str:
    """An <img> for an embedded image, its width (and height) from Obsidian's `|400` or `|400x300`."""
    match = _SIZE.match(alias or "")
    alt = (match.group("alt") if match else alias) or default_alt
    size = ""
    if match and match.group("width"):
        size = f' width="{match.group("width")}"' + (f' height="{match.group("height")}"'
                                                      if match.group("height") else "")
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{size} loading="lazy" decoding="async">'


def section_of(html: str, anchor: str) -> str:
    """The part of a rendered body `anchor` names: from a heading to the next heading as high or higher,
    the element with a `^block-id`, or (no anchor) the whole body; without ids or permalinks, which
    belong to the page it came from."""
    if anchor:
        at = html.find(f' id="{escapeHtml(anchor)}"')
        start = html.rfind("<", 0, at)
        if at < 0 or start < 0:
            return ""
        heading = _HEADING.match(html, start)
        if heading:
            level = int(heading.group(1))
            end = next((m.start() for m in _HEADING.finditer(html, at) if int(m.group(1)) <= level), len(html))
        else:
            end = _element_end(html, start)
        html = html[start:end]
    return _PERMALINK.sub("", _ID_ATTR.sub("", html)).rstrip("\n") + "\n"


def _element_end(html: str, start: int) -> int:
    """Where the element opening at `start` closes (counting nested elements of the same name)."""
    name = re.match(r"<(\w+)", html[start:]).group(1)
    tags = re.compile(rf"<(/?){name}\b[^>]*>")
    depth = 0
    for match in tags.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(html)
