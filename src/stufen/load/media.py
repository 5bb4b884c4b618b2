"""Which file on disk a post means by a local reference: `image-3.png`, `./cover.png`, `@/assets/images/x.png`.

Astro authors write paths the way their editor sees files: relative to the post's own
file, or through an alias (`@/assets/…` is the site's `assets/` folder; `[aliases]` in
stufen.toml adds others). `resolve_local` is the one place such a reference becomes a
file, for Markdown images, raw `<img src>`, links to files and `ogImage` alike (and for
whatever else names a file beside a post, such as Obsidian's `![[diagram.png]]`). It
records every path it looked at, so a missing file is reported with where Stufen looked
rather than as a broken page link.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..routes import is_external, malformed
from .readers import EXTENSIONS

# A relative link ending in one of these names a page, not a file: the link check judges it.
_PAGE_SUFFIXES = frozenset({"", ".html", ".htm", ".mdx", *EXTENSIONS})


@dataclass(frozen=True, slots=True)
class LocalFile:
    """What a local reference names: `file` (None when nothing is there) and every site path tried for it."""

    target: str  # as written
    file: Path | None  # the file found, below the site folder
    tried: tuple[str, ...]  # site-relative paths looked at, in order
    alias: str | None = None  # the alias prefix the reference starts with, if any

    @property
    def site_path(self) -> str | None:
        """The file's path relative to the site folder (posix), once found."""
        return self.tried[-1] if self.file is not None else None


def resolve_local(target: str, source: PurePosixPath, root: Path, aliases: Mapping[str, str],
                  *, page_links: bool = False) -> LocalFile | None:
    """The file a post at `source` (relative to `root`) means by `target`, or None when `target` is no
    local file reference: external, root-relative (`/images/x.png` is static/'s), a `#fragment`, or,
    unless `page_links`, a relative link to a page (`../other-post/`, `x.md`), which the link check judges.

    An alias (`aliases`: prefix → folder of the site, longest prefix first) is looked up in its folder;
    anything else relative to the post's own folder. A file outside the site folder is never found."""
    if not target or malformed(target) or is_external(target) or target.startswith(("/", "#", "?")):
        return None
    path = unquote(urlsplit(target).path)
    alias = next((p for p in sorted(aliases, key=len, reverse=True) if path.startswith(p)), None)
    if alias is not None:
        candidate = posixpath.join(aliases[alias].strip("/"), path[len(alias):].lstrip("/"))
    elif not page_links and PurePosixPath(path).suffix.lower() in _PAGE_SUFFIXES:
        return None
    else:
        candidate = posixpath.join(source.parent.as_posix(), path)
    site_path = posixpath.normpath(candidate)
    return LocalFile(target, _inside(root, site_path), (site_path,), alias)


def _inside(root: Path, site_path: str) -> Path | None:
    """`root/site_path` when it is a file inside the site folder (links followed), not hidden and not a post."""
    if site_path.startswith("../") or site_path == ".." or any(p.startswith(".") for p in site_path.split("/")):
        return None
    file = root / site_path
    try:
        if not file.is_file() or not file.resolve().is_relative_to(root.resolve()):
            return None
    except OSError:
        return None
    return None if file.suffix in EXTENSIONS else file
