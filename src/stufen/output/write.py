"""What a build writes (`Output` and its kinds), and the rules every writer keeps: a folder Stufen did
not create (no marker file) is never replaced, one output path is never written twice, and a file is
always replaced, never written through. The writers: `swap` (a whole new site swapped in, for
`stufen build`) and `inplace` (changed files rewritten, for the dev server)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, Problems
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

    source: str = ""  # the file's path, as text: a path object for each page cost 5 µs, 0.1 s at 5000 posts
    digest: bytes = b""
    indexed: bool = False
    file: tuple[int, int] | None = None  # the source's device and inode, as found: a spare holding it skips the link


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


def write_new(target: Path, data: bytes) -> None:
    """Write `data` as a new file at `target`: whatever is there (a spare's file, possibly a hard link to a
    page of the live site) is replaced, never written through."""
    unlink_any(target)
    target.write_bytes(data)


def in_folder(target: Path, made: set[Path]) -> Path:
    """`target`, its folder created once (a site has a folder per page: mkdir calls add up). A file in
    the way (a spare's, where this site has a folder) is removed."""
    if target.parent not in made:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            for folder in reversed(target.parent.parents):
                if folder.is_symlink() or folder.is_file():
                    folder.unlink()
            if target.parent.is_symlink() or target.parent.is_file():
                target.parent.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    return target


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Hard-link a file that never changes once written (a page of the last site, a cached index);
    copy where links are impossible (another file system)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def unlink_any(target: Path) -> None:
    """Remove whatever is at `target` (a file, a link, a folder); nothing there is fine."""
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if not target.is_dir() or target.is_symlink():
            raise
        shutil.rmtree(target)


def marker_identity(out: Path) -> tuple[int, int, int] | None:
    """Which site is in `out`: its marker file's device, inode and mtime (None when there is none)."""
    try:
        info = (out / MARKER).stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_mtime_ns


def unique_paths(outputs: Iterable[Output], static: dict[str, Path], seen: set[str] | None = None) -> Iterator[Output]:
    """`outputs`, refusing (mid-stream, before anything is published) two files at one path."""
    seen = set() if seen is None else seen
    for item in outputs:
        if item.path in seen or item.path in static:
            clash = f"static/{item.path}" if item.path in static else "another page"
            raise ConfigError(f"two things want to be written to {item.path}: a page and {clash}")
        seen.add(item.path)
        yield item


