"""Write: a whole site appears at once, or not at all.

The site is written into a fresh sibling folder and then swapped with the old
one (an atomic exchange on Linux), so a failed or killed build leaves the
previous site complete. A folder Stufen did not create (no marker file) is
never replaced, and one output path can never be written twice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, Problems, printable_path
from ..report import stage
from .atomic import flush_to_disk, libc_function, write_atomic
from .tree import files_under

MARKER = ".stufen-site"
INDEXED = b"data-pagefind-body"  # the attribute that marks a page Pagefind indexes (post pages)
MARKER_TEXT = b"Built by Stufen. This folder is replaced on every build; edit content/ instead.\n"


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path relative to the site root, and its bytes."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Linked(Output):
    """A file whose bytes are already on disk at `source` (a page of the last build, a cached
    card): written by hard-linking it, so `data` stays empty. `digest` and `indexed` are what
    the search index needs to know of a linked page without reading it."""

    source: Path = Path()
    digest: bytes = b""
    indexed: bool = False


@dataclass(frozen=True, slots=True)
class Pending(Output):
    """A file whose bytes a worker process is still making (an Open Graph card): `job.result()`
    gives them once they are ready, so the site can be written around it meanwhile."""

    job: object = None


@dataclass(frozen=True, slots=True)
class Placed(Output):
    """A file a worker process has already written at its path in the new site folder
    (`render.render_into`): nothing is left to write. `digest` and `indexed` as for `Linked`."""

    digest: bytes = b""
    indexed: bool = False


def static_files(folders: Iterable[tuple[Path, str, Path]], problems: Problems) -> dict[str, Path]:
    """Output path → file for each (folder, prefix, boundary), later folders overriding earlier ones file
    by file; hidden files are left out, and links may not lead outside `boundary` (see `tree`)."""
    found: dict[str, Path] = {}
    for folder, prefix, boundary in folders:
        for rel, source in files_under(folder, boundary, problems, skip=lambda name: name.startswith(".")):
            found[prefix + rel] = source
    return found


def check_out_dir(out: Path, root: Path) -> None:
    """Refuse output folders that would clobber the author's files."""
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        raise ConfigError(f"refusing to build into {out}: it contains the site's own files")
    for own in ("content", "templates", "static"):
        if out == root / own or (root / own) in out.parents:
            raise ConfigError(f"refusing to build into {out}: it is inside the site's {own}/ folder")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"refusing to build into {out}: it is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ConfigError(f"refusing to replace {out}: it was not made by Stufen (no {MARKER} file in it); "
                          f"move it away or choose another folder with --out")


def write_site(outputs: Iterable[Output], static: dict[str, Path], out: Path) -> int:
    """Write everything into a fresh folder, then swap it in; the number of files written."""
    with FreshFolder(out, static) as site:
        site.add(outputs)
        site.publish()
    return site.count


class FreshFolder:
    """The next site, filled in a fresh folder beside `out` and swapped in whole by `publish()`.

    Used as a context manager: a site left unpublished (an error, an interruption) is removed,
    and the previous one stays as it was. `add` may be called several times, so a build can write
    its pages, start indexing them, and write the rest meanwhile; one path is never written twice.
    Render workers may write pages into `folder` themselves (`forks`).
    """

    forks = True
    written = None  # every file is new: no list of changes

    def __init__(self, out: Path, static: dict[str, Path]):
        self.out, self.static, self.folder = out, static, fresh_folder(out)
        self.count = 0
        self._seen: set[str] = set()
        self._made: set[Path] = set()

    @stage("writes")
    def __enter__(self) -> FreshFolder:
        _recover(self.out)
        if self.folder.exists():
            shutil.rmtree(self.folder)
        try:
            self.folder.mkdir(parents=True)
        except OSError as exc:
            raise ConfigError(f"cannot write the site into {printable_path(self.out)}: {exc.strerror}") from exc
        self._made.add(self.folder)
        try:
            for rel, source in self.static.items():
                try:
                    shutil.copyfile(source, _in_folder(self.folder / rel, self._made))
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
        for item in _unique(outputs, self.static, self._seen):
            if isinstance(item, Linked):
                link_or_copy(item.source, _in_folder(self.folder / item.path, self._made))
            elif isinstance(item, Pending):
                _in_folder(self.folder / item.path, self._made).write_bytes(item.job.result())
            elif not isinstance(item, Placed):
                _in_folder(self.folder / item.path, self._made).write_bytes(item.data)
            self.count += 1

    @stage("writes")
    def publish(self) -> None:
        (self.folder / MARKER).write_bytes(MARKER_TEXT)
        flush_to_disk(self.folder)
        swap_in(self.folder, self.out)
        if self.folder.exists():  # the old site, exchanged out
            discard(self.folder, self.out)

    def __exit__(self, *exc) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)


def fresh_folder(out: Path) -> Path:
    """Where `FreshFolder` builds the next site beside `out` (known beforehand, so workers can write into it)."""
    return out.parent / f".{out.name}.stufen-new-{os.getpid()}"


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link a file that never changes once written (a page of the last site, a cached index);
    copy where links are impossible (another file system)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def marker_identity(out: Path) -> tuple[int, int, int] | None:
    """Which site is in `out`: its marker file's device, inode and mtime (None when there is none)."""
    try:
        info = (out / MARKER).stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns


def _in_folder(target: Path, made: set[Path]) -> Path:
    """`target`, its folder created once (a site has a folder per page: mkdir calls add up)."""
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    return target


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


@dataclass
class Written:
    """What the last write put into `folder`, so the next one can write only the differences."""

    folder: Path | None = None
    pages: dict[str, bytes] = field(default_factory=dict)  # path → sha256 of the bytes written
    static: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # path → (source, mtime_ns, size)


class InPlace:
    """The dev server's writer, used like `FreshFolder`: the site is rewritten in place when `publish` is
    called, only files whose bytes changed (each atomically), and files no longer built are removed.
    Nothing is written before `publish`, so a build that fails leaves the last good site as it was.
    The first write into a folder (or one changed behind our back) is a whole new site."""

    forks = False  # workers must not write into the served folder

    def __init__(self, out: Path, static: dict[str, Path], state: Written):
        self.out, self.static, self.state, self.folder = out, static, state, out
        self.outputs: list[Output] = []
        self.count, self.written = 0, ()
        self._seen: set[str] = set()

    def __enter__(self) -> InPlace:
        return self

    @stage("writes")
    def add(self, outputs: Iterable[Output]) -> None:
        self.outputs += _unique(outputs, self.static, self._seen)

    @stage("writes")
    def publish(self) -> None:
        self.count, self.written = write_changed(self.outputs, self.static, self.out, self.state)

    def __exit__(self, *exc) -> None:
        self.outputs = []


def write_changed(outputs: list[Output], static: dict[str, Path], out: Path,
                  state: Written) -> tuple[int, tuple[str, ...]]:
    """Incremental write: (files in the site, paths written). A `Linked` output that is already the
    file at its path (a page the page memo kept) is left alone."""
    stats = {rel: _stat(source) for rel, source in static.items()}
    if state.folder != out or not (out / MARKER).exists():
        files = write_site(outputs, static, out)
        state.folder, state.static = out, stats
        state.pages = {o.path: _digest(o, out) for o in outputs}
        return files, (*(o.path for o in outputs), *static)
    written, now = [], {}
    for item in outputs:
        kept = isinstance(item, Linked) and item.source == out / item.path
        data = None if kept else _bytes(item)
        now[item.path] = item.digest if kept and item.digest else _digest(item, out, data)
        if not kept and state.pages.get(item.path) != now[item.path]:
            write_atomic(out / item.path, data)
            written.append(item.path)
    for rel, source in static.items():
        if state.static.get(rel) != stats[rel]:
            write_atomic(out / rel, source.read_bytes())
            written.append(rel)
    for stale in (set(state.pages) | set(state.static)) - set(now) - set(static):
        _remove(out, stale)
    state.pages, state.static = now, stats
    return len(outputs) + len(static), tuple(written)


def _bytes(item: Output) -> bytes:
    if isinstance(item, Linked):
        return item.source.read_bytes()
    if isinstance(item, Pending):
        return item.job.result()
    return item.data


def _digest(item: Output, out: Path, data: bytes | None = None) -> bytes:
    if data is None:
        data = (out / item.path).read_bytes() if isinstance(item, Linked | Pending) else item.data
    return hashlib.sha256(data).digest()


def _stat(source: Path) -> tuple[str, int, int]:
    info = source.stat()
    return str(source), info.st_mtime_ns, info.st_size


def _remove(out: Path, rel: str) -> None:
    """Delete a file no longer built, and the folders it leaves empty (never `out` itself)."""
    target = out / rel
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _unique(outputs: Iterable[Output], static: dict[str, Path], seen: set[str] | None = None) -> Iterator[Output]:
    """`outputs`, refusing (mid-stream, before anything is published) two files at one path."""
    seen = set() if seen is None else seen
    for item in outputs:
        if item.path in seen or item.path in static:
            clash = f"static/{item.path}" if item.path in static else "another page"
            raise ConfigError(f"two things want to be written to {item.path}: a page and {clash}")
        seen.add(item.path)
        yield item


def swap_in(fresh: Path, out: Path) -> None:
    """Exchange atomically where the OS can; else rename aside, rename in, delete the old."""
    if out.exists() and _exchange(fresh, out):
        return  # `fresh` now holds the old site; the caller deletes it
    old = out.parent / f".{out.name}.stufen-old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    os.rename(fresh, out)
    shutil.rmtree(old, ignore_errors=True)


def _recover(out: Path) -> None:
    """Undo what an interrupted build left: restore a set-aside site, drop half-written ones."""
    for leftover in sorted(out.parent.glob(f".{out.name}.stufen-*")):
        if not (leftover / MARKER).exists() and "-new-" not in leftover.name and "-trash-" not in leftover.name:
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
