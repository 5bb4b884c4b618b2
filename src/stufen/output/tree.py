"""The files an author's folder holds, read safely: what a build may publish or parse.

A site folder is handed to Stufen by someone who may not know what is in it: a
symlink to `/etc/passwd` in `static/` would be published and deployed, a named
pipe called `x.md` would block the build forever, a folder Stufen cannot read
would silently take its posts with it. So every folder Stufen reads files from
is walked here, once, by one set of rules: links are followed (files and folders
alike) while they stay inside the site folder and refused, by name, when they
lead out of it or nowhere; anything but a regular file is refused; a folder that
cannot be read is an error, never an empty folder.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from ..errors import Problems

Skip = Callable[[str], bool]  # a file or folder name the walk passes over (hidden files, drafts folders…)


def files_under(folder: Path, boundary: Path, problems: Problems, skip: Skip = lambda name: False,
                shown_from: Path | None = None) -> list[tuple[str, Path]]:
    """Every regular file below `folder` as (its path relative to `folder`, its path), sorted, with
    problems reported for links leaving `boundary`, dangling links, special files and unreadable folders.
    Paths in messages are shown relative to `shown_from` (default: `boundary`)."""
    if not folder.is_dir():
        return []
    outside, found = boundary.resolve(), []
    where = _shower(shown_from or boundary)

    def walk(current: Path, prefix: str, seen: frozenset[Path]) -> None:
        try:
            with os.scandir(current) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            problems.error(where(current), None, f"cannot read this folder: {exc.strerror}",
                           "its files would be missing from the site; make it readable")
            return
        for entry in entries:
            if skip(entry.name):
                continue
            path = Path(entry.path)
            kind = _kind(entry, path, outside)
            if kind == "folder":
                real = path.resolve()
                if real not in seen:  # a link to a folder above it would otherwise loop forever
                    walk(path, f"{prefix}{entry.name}/", seen | {real})
            elif kind == "file":
                found.append((prefix + entry.name, path))
            else:
                problems.error(where(path), None, kind, None if kind.startswith(_UNREADABLE) else
                               "remove it, or replace it with the file itself")

    walk(folder, "", frozenset({folder.resolve()}))
    return found


def _kind(entry: os.DirEntry, path: Path, outside: Path) -> str:
    """'file', 'folder', or what is wrong with the entry."""
    try:
        if entry.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(outside):
                return f"a link to {target}, outside the site folder: Stufen publishes only the site's own files"
        if entry.is_dir():
            return "folder"
        if entry.is_file():
            return "file"
    except OSError as exc:  # a dangling link: the same words as any file that cannot be read
        return f"{_UNREADABLE}{exc.strerror}"
    except RuntimeError:  # a loop of links
        return f"{_UNREADABLE}{os.strerror(errno.ELOOP)}"
    mode = entry.stat().st_mode
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a file that can be read: it is {kind}"


_UNREADABLE = "cannot read the file: "


def _shower(root: Path) -> Callable[[Path], str]:
    def where(path: Path) -> str:
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return where
