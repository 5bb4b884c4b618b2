"""Knowing, without building, that `stufen build` would write exactly the site that is there.

A build is a pure function of the source files, the theme, Stufen's own code
(its version and source files: see `buildid`), the options and — only through
scheduled posts — the clock. So the last successful build records a stamp of
all of those (each file's path, size and modification time), the moment its
output next changes (the first scheduled post's release), the identity of the
marker file it put into the site, and a digest of every file it wrote (path,
size, mtime and inode). When all of them still match, the site on disk is
already the answer; anything else, including a site folder replaced or removed
behind Stufen's back or a single page deleted or edited in it, means a real
build. This is what makes an unchanged journal's rebuild cost two directory
walks instead of a render.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from time import perf_counter

from ..config import CONFIG_FILE, Config
from ..output.atomic import write_atomic
from ..output.write import marker_identity
from ..report import Report
from ..theme import theme_dir
from .buildid import build_id

STATE = "last-build.json"


def stamp(config: Config, out: Path, options: tuple) -> str:
    """A digest of everything a build reads: configuration, options, and every source and theme file's metadata."""
    digest = hashlib.sha256(repr((build_id(), config, str(out.resolve()), options)).encode())
    for root in (config.root / CONFIG_FILE, config.content_path, config.root / "templates", config.root / "static",
                 theme_dir() / "templates", theme_dir() / "static",
                 *(config.root / folder for folder in sorted(set(config.aliases.values())))):
        digest.update(b"\0root " + os.fsencode(root) + b"\0")
        for path, size, mtime in _files(root):  # fsencode: a file name need not be valid UTF-8
            digest.update(os.fsencode(path) + f"\0{size}\0{mtime}\0".encode())
    return digest.hexdigest()


def _files(root: Path):
    if root.is_file():
        info = root.stat()
        yield "", info.st_size, info.st_mtime_ns
        return
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            try:
                info = os.stat(os.path.join(folder, name))
            except OSError:  # a dangling symlink: the build reports it; its presence is still an input
                found.append((os.path.join(folder, name), -1, -1))
                continue
            found.append((os.path.join(folder, name), info.st_size, info.st_mtime_ns))
    yield from sorted(found)


def up_to_date(config: Config, out: Path, options: tuple, cache: Path | None,
               now: datetime) -> tuple[str | None, Report | None]:
    """(the stamp of this build's inputs, the last build's report if its site is still current).

    The stamp is None without a cache (nothing is remembered then); the report comes back
    marked `up_to_date`, timed by this check.
    """
    if cache is None:
        return None, None
    started = perf_counter()
    key = stamp(config, out, options)
    last = previous(cache, key, out, now)
    if last is None:
        return key, None
    fields = {name: tuple(value) if isinstance(value, list) else value for name, value in last["report"].items()}
    return key, Report(**fields, seconds=perf_counter() - started, up_to_date=True)


def previous(cache: Path | None, key: str, out: Path, now: datetime) -> dict | None:
    """The last build's record when the site it wrote is still current for `key` at `now`; else None."""
    if cache is None:
        return None
    try:
        state = json.loads((cache / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    marker = marker_identity(out)
    if state.get("stamp") != key or marker is None or state.get("marker") != list(marker):
        return None
    until = state.get("valid_until")
    if until is not None and now >= datetime.fromisoformat(until):
        return None  # a scheduled post is due: it must appear now
    if state.get("tree") != written_tree(out):
        return None  # a file of the site was deleted, added or changed since
    return state


def record(cache: Path | None, key: str, out: Path, valid_until: datetime | None, report: Report) -> None:
    """Remember a successful build (written atomically: a torn record is simply not matched)."""
    if cache is None:
        return
    marker = marker_identity(out)
    state = {"stamp": key, "marker": list(marker) if marker else None,
              "valid_until": valid_until.isoformat() if valid_until else None,
              "tree": written_tree(out), "report": _fields(report)}
    try:
        write_atomic(cache / STATE, json.dumps(state).encode())
    except OSError:
        pass  # unwritten: the next build is full


def written_tree(out: Path) -> str | None:
    """A digest of every file below `out` by path, size, mtime and inode (one scandir walk, no reads);
    None when the folder cannot be walked."""
    cut, folders, entries = len(str(out)) + 1, [str(out)], []
    try:
        while folders:
            with os.scandir(folders.pop()) as found:
                for entry in found:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                        continue
                    info = entry.stat(follow_symlinks=False)
                    entries.append(os.fsencode(entry.path[cut:])
                                   + f"\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}".encode())
    except OSError:
        return None
    return hashlib.sha256(b"\n".join(sorted(entries))).hexdigest()


def _fields(report: Report) -> dict:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(report).items()
            if name not in ("seconds", "up_to_date")}
