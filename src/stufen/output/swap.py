"""A whole site at once: the next site is filled beside the live one and swapped in.

The site is written into a sibling folder and then swapped with the old one (an
atomic exchange on Linux), so a failed or killed build leaves the previous site
complete. The sibling is the site the last build replaced, kept as the spare and
brought up to date (see `FreshFolder`), else a new folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..errors import ConfigError, printable_path
from ..report import stage
from .atomic import flush_to_disk, libc_function
from .write import (
    MARKER,
    MARKER_TEXT,
    Linked,
    Output,
    Pending,
    Placed,
    in_folder,
    link_or_copy,
    unique_paths,
    unlink_any,
    write_new,
)


def write_site(outputs: Iterable[Output], static: dict[str, Path], out: Path) -> int:
    """Write everything into a fresh folder, then swap it in; the number of files written."""
    with FreshFolder(out, static, recycle=False) as site:
        site.add(outputs)
        site.publish()
    return site.count


class FreshFolder:
    """The next site, filled in a fresh folder beside `out` and swapped in whole by `publish()`.

    Used as a context manager: a site left unpublished (an error, an interruption) is removed,
    and the previous one stays as it was. `add` may be called several times, so a build can write
    its pages, start indexing them, and write the rest meanwhile; one path is never written twice.
    Render workers may write pages into `folder` themselves (`forks`, with `write_new`).

    With `recycle`, the site this one replaces is kept beside it as the spare (`spare_folder`), and the
    next build fills the spare instead of a new folder: a page that did not change since is already
    there, the very file of the live site (a hard link), so it costs a stat, not a folder and a link;
    and no old site has to be deleted. Nothing is ever written through a file of the spare (it may be
    a link to a live page): every write replaces the file, and what this build does not make is
    removed before the swap. `beside`: folders others write into `folder` themselves (the search
    index), emptied when a spare is taken.
    """

    forks = True
    written = None  # every file is new: no list of changes

    def __init__(self, out: Path, static: dict[str, Path], *, recycle: bool = True, beside: tuple[str, ...] = ()):
        self.out, self.static, self.folder = out, static, fresh_folder(out)
        self.recycle, self.beside, self.recycled = recycle, beside, False
        self.count = 0
        self._seen: set[str] = set()
        self._made: set[Path] = set()
        self._there: dict[str, tuple[int, int]] = {}  # the files a recycled spare held: path → device, inode

    @stage("writes")
    def __enter__(self) -> FreshFolder:
        _recover(self.out)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.recycled = self.recycle and _take(spare_folder(self.out), self.folder)
        try:
            if self.recycled:
                for name in self.beside:
                    shutil.rmtree(self.folder / name, ignore_errors=True)
                self._there = _inventory(self.folder)
            else:
                self.folder.mkdir(parents=True)
        except OSError as exc:
            raise ConfigError(f"cannot write the site into {printable_path(self.out)}: {exc.strerror}") from exc
        self._made.add(self.folder)
        try:
            for rel, source in self.static.items():
                try:
                    target = in_folder(self.folder / rel, self._made)
                    unlink_any(target)
                    shutil.copyfile(source, target)
                except OSError as exc:
                    if exc.filename != str(source):
                        raise
                    raise ConfigError(f"cannot read {printable_path(source)}: {exc.strerror}") from exc
        except BaseException:
            self.__exit__()
            raise
        self.count = len(self.static)
        return self

    @stage("writes")
    def add(self, outputs: Iterable[Output]) -> None:
        there = self._there
        for item in unique_paths(outputs, self.static, self._seen):
            if isinstance(item, Linked):
                if item.file is None or there.get(item.path) != item.file:  # else the spare holds that very file
                    target = in_folder(self.folder / item.path, self._made)
                    unlink_any(target)
                    link_or_copy(item.source, target)
            elif isinstance(item, Pending):
                write_new(in_folder(self.folder / item.path, self._made), item.job.result())
            elif not isinstance(item, Placed):
                write_new(in_folder(self.folder / item.path, self._made), item.data)
            self.count += 1

    @stage("writes")
    def publish(self) -> None:
        if self.recycled:
            _sweep(self.folder, self._there.keys() - self._seen - set(self.static) - {MARKER})
        write_new(self.folder / MARKER, MARKER_TEXT)
        flush_to_disk(self.folder)
        old = swap_in(self.folder, self.out)
        if old is not None and not (self.recycle and _take(old, spare_folder(self.out))):
            discard(old, self.out)

    def __exit__(self, *exc) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)


def fresh_folder(out: Path) -> Path:
    """Where `FreshFolder` builds the next site beside `out` (known beforehand, so workers can write into it)."""
    return out.parent / f".{out.name}.stufen-new-{os.getpid()}"


def spare_folder(out: Path) -> Path:
    """Where the site `out` last replaced is kept, for the next build to fill (see `FreshFolder`)."""
    return out.parent / f".{out.name}.stufen-spare"


def _take(folder: Path, to: Path) -> bool:
    """Rename `folder` to `to` (a missing `to`): False when it cannot be (no such folder, another file system)."""
    try:
        os.rename(folder, to)
    except OSError:
        return False
    return True


def _inventory(folder: Path) -> dict[str, tuple[int, int]]:
    """The files of a spare, by path, with their device and inode; links found in it are removed first (a write
    into the new site must never follow one out of it). One `scandir` per folder and one `lstat` per file, in C:
    a page that a hard link in the spare already holds is then skipped with no call (`add`) rather than two
    `stat`s through pathlib (0.1 s at 5000 posts; so was os.walk plus `islink`)."""
    found: dict[str, tuple[int, int]] = {}
    todo = [(str(folder), "")]
    while todo:
        at, prefix = todo.pop()
        with os.scandir(at) as entries:
            for entry in entries:
                if entry.is_symlink():
                    os.unlink(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    info = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = (info.st_dev, info.st_ino)
    return found


def _sweep(folder: Path, stale: set[str]) -> None:
    """Remove the files of a recycled spare that this build did not make, and the folders left empty."""
    emptied = set()
    for rel in stale:
        try:
            (folder / rel).unlink()
        except FileNotFoundError:
            pass
        except (IsADirectoryError, PermissionError):  # this build made a folder where the spare had a file
            if not (folder / rel).is_dir():
                raise
        emptied.update(PurePosixPath(rel).parents)
    for rel in sorted(emptied, key=lambda p: len(p.parts), reverse=True):
        if rel.parts:
            try:
                (folder / rel).rmdir()  # only when left empty
            except OSError:
                pass


def discard(old: Path, out: Path) -> None:
    """Delete a replaced site in the background: the new one is already live, and removing
    thousands of files is the slowest step of a build on some file systems. Whatever an
    interrupted removal leaves is cleared by the next build's `_recover`."""
    trash = out.parent / f".{out.name}.stufen-trash-{os.getpid()}-{time.monotonic_ns()}"
    os.rename(old, trash)
    try:
        subprocess.Popen(["rm", "-rf", "--", str(trash)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(trash, ignore_errors=True)


def swap_in(fresh: Path, out: Path) -> Path | None:
    """Exchange atomically where the OS can; else rename aside, rename in. Returns where the old site now
    is (None: there was none), for the caller to keep or delete."""
    if out.exists() and _exchange(fresh, out):
        return fresh
    old = out.parent / f".{out.name}.stufen-old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(fresh, out)
    return old if old.exists() else None


def _recover(out: Path) -> None:
    """Undo what an interrupted build left: restore a set-aside site, drop half-written ones."""
    for leftover in sorted(out.parent.glob(f".{out.name}.stufen-*")):
        if leftover == spare_folder(out) or (not (leftover / MARKER).exists()
                                             and "-new-" not in leftover.name and "-trash-" not in leftover.name):
            continue
        if "-old-" in leftover.name and not out.exists():  # set aside, never swapped in: restore it
            os.rename(leftover, out)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both paths swap in one step. False where unsupported."""
    renameat2 = libc_function("renameat2")
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
