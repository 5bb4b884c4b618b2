"""What `![[…]]` puts on a page: an image found beside the post (or in the attachments folder), or a
section of another post's body.

`find_attachment` is the one place an embedded file is looked up, kept apart so it can give way to the
image resolver ordinary Markdown images get.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from markdown_it.common.utils import escapeHtml

from ..config import Config

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
# Obsidian's image alias: "alt", "400", "400x300" or "alt|400" (Quartz's wikilinkImageEmbedRegex)
_SIZE = re.compile(r"^(?P<alt>(?!\d*x?\d*$).*?)?\|?\s*(?:(?P<width>\d+)(?:x(?P<height>\d+))?)?$")
_HEADING = re.compile(r"<h([1-6])\b")
_ID_ATTR = re.compile(r' id="[^"]*"')  # patterns that start with a literal are searched for, not tried everywhere
_PERMALINK = re.compile(r' <a class="header-anchor"[^>]*>.*?</a>', re.S)


def find_attachment(config: Config, post_source: PurePosixPath, name: str) -> Path | None:
    """The file `![[name]]` in `post_source` shows: beside the post (Obsidian's "same folder as the note"),
    else in `attachments_dir` below content/ (its "attachments/" folder). Never outside content/."""
    content = config.content_path.resolve()
    folders = [config.root / post_source.parent]
    if config.attachments_dir:
        folders.append(config.content_path / config.attachments_dir)
    for folder in folders:
        path = (folder / name).resolve()
        if path.is_relative_to(content) and path.is_file():
            return path
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
