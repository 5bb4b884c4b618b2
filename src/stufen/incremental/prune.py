"""Keeping the store from growing forever: a whole `stufen build` drops what no recent build used.

Every edit adds entries (a parsed post, a card, a search shard…) and the old ones,
content-addressed, are never asked for again; a CI cache that restores and saves
the store on every push would only grow. The rule: once a whole `stufen build` has
succeeded, an entry that neither it nor the build before it used is removed.

"Used" is kept by modification time, not by a list: an entry is written or, when
read, touched (`store.read_sealed`, the search shards), so its mtime is the last
time anything used it. A build marks its start with a file of its own (`MARK`),
renamed to `LAST` once it succeeds; its pruning removes every entry last used
before `LAST`'s mtime, i.e. before the previous whole build started. Hence:

- nothing this build or the previous one used goes (both touched what they used
  after `LAST`'s moment), and an undo of the last edit is still free;
- pruning runs only after the site is published, never in the middle of a build,
  and a failed build prunes nothing (the next one prunes against the older mark);
- a dev server beside it is safe: what the server reads or writes is touched then,
  so it is kept; an entry removed while it is being read is a miss, made again;
- mtimes survive a CI cache (actions/cache restores them), and all of them come
  from the same clock (the kernel's, which also stamps the mark), so a build
  started a moment later can never look older than an entry it used.

Compiled templates (`jinja/`) are left alone: Jinja reads them without touching,
and there is one per template file, not one per edit.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..output.atomic import write_atomic

MARK = "build-started"  # touched as a whole build starts
LAST = "last-build-started"  # the mark of the last whole build that succeeded: its mtime is the cut-off
FILES = ("posts", "cards", "images")  # <kind>/<key[:2]>/<key>
FOLDERS = ("shards",)  # <kind>/<key>/: a bundle of files


def begin(folder: Path | None) -> None:
    """Mark the start of a whole build in the store `folder` (None: no store, nothing to prune)."""
    if folder is not None:
        try:
            write_atomic(folder / MARK, b"")
        except OSError:
            pass  # a store that cannot be written is not pruned either


def prune(folder: Path | None) -> int:
    """After a whole build succeeded: remove the entries last used before the previous build started, and make
    this build's mark the next cut-off. The number of entries removed."""
    if folder is None:
        return 0
    try:
        cutoff = (folder / LAST).stat().st_mtime_ns
    except OSError:
        cutoff = None  # the first build: everything there is the last build's, or older but unknown
    removed = 0 if cutoff is None else unused(folder, cutoff)
    try:
        os.replace(folder / MARK, folder / LAST)
    except OSError:
        pass  # no mark (the store could not be written): the cut-off stays where it was
    return removed


def unused(folder: Path, cutoff: int) -> int:
    """Remove every entry of the store `folder` whose mtime is before `cutoff` (ns); how many were removed."""
    removed = 0
    for kind in FILES:
        for shelf in _scan(os.path.join(folder, kind)):
            for entry in _scan(shelf.path):
                if _older(entry, cutoff):
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except OSError:
                        pass  # gone already (another build), or not ours to remove: left
    for kind in FOLDERS:
        for entry in _scan(os.path.join(folder, kind)):
            if entry.is_dir(follow_symlinks=False) and _older(entry, cutoff):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


def touch(file: Path | int) -> None:
    """Note that an entry (a path, or an open file's descriptor) was just used: its mtime is now, so pruning
    keeps it. A store that cannot be written is left as it is."""
    try:
        os.utime(file)
    except OSError:
        pass


def _scan(folder: str) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _older(entry: os.DirEntry, cutoff: int) -> bool:
    try:
        return entry.stat(follow_symlinks=False).st_mtime_ns < cutoff
    except OSError:
        return False
