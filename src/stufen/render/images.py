"""Width and height on every local <img>, so the page does not jump while lazy images load.

Runs over rendered pages, after render: Markdown is rendered (and cached) per post
without looking at other files, so the sizes of the files in static/ are read here.
A local image is one whose src the body marked as a site link (`routes.site_link`), so
this runs before the base path replaces the marks (`finish.finish_page`).
An image whose size cannot be read is left as it is; the link check reports missing files.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from functools import lru_cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote

from ..routes import site_link

_IMG = re.compile(rb"<img\b[^>]*>")
_SRC = re.compile(rb'\ssrc="([^"]*)"')
_SVG_SIZE = re.compile(r'<svg\b[^>]*?\swidth="(\d+(?:\.\d+)?)(?:px)?"[^>]*?\sheight="(\d+(?:\.\d+)?)(?:px)?"'
                       r'|<svg\b[^>]*?\sviewBox="[\d.\s-]*?\s([\d.]+)\s+([\d.]+)"', re.S)
_SITE = site_link("/")  # how a body's src to a file of the site starts


def add_image_sizes(html: bytes, files: Mapping[str, Path]) -> bytes:
    """`html` with width="…" height="…" added to each <img> of a local file that has neither."""
    def sized(match: re.Match[bytes]) -> bytes:
        tag = match.group(0)
        src = _SRC.search(tag)
        if src is None or b" width=" in tag or b" height=" in tag:
            return tag
        path = unquote(unescape(src.group(1).decode()))
        if not path.startswith(_SITE):
            return tag
        source = files.get(path[len(_SITE):].split("#")[0].split("?")[0])
        size = image_size(source) if source is not None else None
        if size is None:
            return tag
        return tag[:4] + f' width="{size[0]}" height="{size[1]}"'.encode() + tag[4:]

    return _IMG.sub(sized, html)


@lru_cache(maxsize=512)
def _size(path: Path, mtime: float) -> tuple[int, int] | None:
    if path.suffix.lower() == ".svg":
        head = path.read_text(encoding="utf-8", errors="replace")[:4096]
        found = _SVG_SIZE.search(head)
        if not found:
            return None
        width, height = found.group(1, 2) if found.group(1) else found.group(3, 4)
        return round(float(width)), round(float(height))
    from PIL import Image, UnidentifiedImageError  # Pillow (~40 ms) loads with the first picture measured

    try:
        with warnings.catch_warnings():  # only the header is read: a huge image is no bomb here
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as picture:
                return picture.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):  # over 179 MP: Pillow refuses it
        return None


def image_size(path: Path) -> tuple[int, int] | None:
    """Pixel size of a PNG, JPEG, GIF or WebP; an SVG's width/height or viewBox size."""
    try:
        return _size(path, path.stat().st_mtime)
    except OSError:
        return None
