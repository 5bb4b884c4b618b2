"""The dev server's writer: the served site rewritten in place, only the files that changed."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..report import stage
from .atomic import write_atomic
from .swap import write_site
from .write import MARKER, Linked, Output, Pending, unique_paths


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
        self.outputs += unique_paths(outputs, self.static, self._seen)

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
        kept = isinstance(item, Linked) and item.source == os.path.join(out, item.path)
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
        return Path(item.source).read_bytes()
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
