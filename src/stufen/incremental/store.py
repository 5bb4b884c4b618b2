"""The one memory of work between builds: a content-addressed store under `.stufen-cache/`.

Every key is a digest of the bytes of the inputs, Stufen's own code (`buildid`) and
every setting the result depends on, so an entry can only ever be reused for the
very inputs that made it. The dev server keeps the same store in memory (`memory`)
across rebuilds as well. What lives here, each kind in its own folder:

    posts/<key>      a parsed post, by its file's bytes and the load settings, in two parts (entries.py):
                     `stufen build` reads the body only where a page shows it
    cards/<key>      an Open Graph card (PNG), by its text, colours and fonts
    images/<key>     a WebP copy of an image for a srcset, by the image's bytes, the width and the quality
    shards/<key>/    a Pagefind index bundle, by the digests of the pages it indexes
    pages.pickle     the last build's pages by fingerprint (render/pagememo.py)
    file-keys.pickle each post file's key by its size, mtime and inode (`Store.stamps`)
    last-build.json  the "nothing changed" record (incremental/uptodate.py)
    last-build-started  when the last whole build started: what pruning keeps (incremental/prune.py)
    jinja/           compiled templates (Jinja's own bytecode cache)

Entries are sealed with a digest of their bytes and checked on every read, so a
torn, truncated or edited entry is a miss, never output. Nothing in the store is
ever hard-linked into a site: a published file is a copy, and editing it cannot
reach back into the store. A store that cannot be written only makes the next
build slower, so write errors are swallowed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from dataclasses import fields
from pathlib import Path

from ..output.atomic import write_atomic
from ..report import stage
from .buildid import build_id
from .entries import read_entry
from .prune import touch
from .seal import seal, unseal

CACHE_DIR = ".stufen-cache"
STAMPS_FILE = "file-keys.pickle"


@functools.cache
def _shape() -> bytes:
    """A Post pickled before a field was added would load without it (slots) and fail later: its shape, and
    that of the records it holds, is in every key."""
    # imported here: "nothing changed" needs no key, and the records cost ~10 ms of dataclasses to import
    from ..model import Heading, Link, Post, Tag, Track

    return repr([(f.name, f.type) for cls in (Post, Heading, Link, Tag, Track) for f in fields(cls)]).encode()


class Store:
    """A content-addressed store; `Store(None)` keeps entries in memory only (tests, `--no-cache`)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.memory: dict[object, object] = {}
        self.hits = 0
        self.misses = 0
        self._stamps: dict[str, tuple] | None = None  # file path → ((mtime_ns, size, inode), other key parts, key)
        self._stamped = False  # a stamp was added since they were read

    @staticmethod
    def key(*parts: object) -> str:
        """The key of a result made from `parts` (bytes as they are, anything else by its repr) by this Stufen."""
        digest = hashlib.sha256(build_id().encode() + _shape())
        for part in parts:
            digest.update(part if isinstance(part, bytes) else repr(part).encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def file_key(self, path: Path, *parts: object, info: os.stat_result | None = None) -> str:
        """`key(*parts, bytes of path)`; a file unchanged since last time (same mtime, size and inode)
        is not read again. Its bytes are not kept: whoever needs them reads the file (and checks them
        against the key: the file may change in between). `info`: the file's stat, when the caller has it."""
        info = info if info is not None else path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        known = self.stamps.get(str(path))
        if known is not None and known[0] == stamp and known[1] == parts:
            return known[2]
        key = self.key(*parts, path.read_bytes())
        self.stamps[str(path)] = (stamp, parts, key)
        self._stamped = True
        return key

    @property
    def stamps(self) -> dict[str, tuple]:
        """The file stamps `file_key` trusts: this process's, and those the last build kept (`keep_stamps`)
        when made by this Stufen, so a `stufen build` reads and hashes only the files changed since (the
        same trust in size, mtime and inode as the "nothing changed" check). Kept by path as text, and the
        caller's key parts should be text and settings too: 5000 path objects took as long to unpickle as the
        files they stand for took to read and hash."""
        if self._stamps is None:
            self._stamps = {}
            if self.folder is None:
                return self._stamps
            try:
                with open(self.place(STAMPS_FILE), "rb") as handle:
                    made_by, stamps = pickle.load(handle)
                if made_by == build_id():
                    self._stamps = stamps
            except Exception:  # none (first build, memory only), unreadable or foreign: every file is read
                pass
        return self._stamps

    def keep_stamps(self, paths: list[Path]) -> None:
        """Keep the stamps of `paths` (this build's files) for the next build, if any is new or any other gone."""
        if self.folder is None:
            return
        known = {str(path): self.stamps[str(path)] for path in paths if str(path) in self.stamps}
        if self._stamped or len(known) != len(self.stamps):
            try:
                write_atomic(self.place(STAMPS_FILE), pickle.dumps((build_id(), known), pickle.HIGHEST_PROTOCOL))
            except OSError:
                pass
            self._stamps, self._stamped = known, False

    @stage("cache I/O")
    def get(self, key: str, *, bodies: bool = True, remake: Callable[[str, Path], str] | None = None):
        """A parsed post by its key, from memory or disk (None: not stored, or unreadable). Read from disk with
        `bodies` false, its body is left there (`entries.StoredHtml`), and `remake` makes it again if it is
        found damaged when read."""
        if key in self.memory:
            self.hits += 1
            return self.memory[key]
        path = self._entry_text("posts", key)  # text: a Path per post was 12 µs, 0.06 s of a 5000-post edit
        value = read_entry(path, key, with_body=bodies, remake=remake) if path is not None else None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.memory[key] = value
        return value

    def loaded(self) -> Iterator[tuple[str, object]]:
        """(key, post) for every post this store has given out: read, or stored after parsing."""
        return ((key, value[0]) for key, value in self.memory.items() if type(key) is str and value[0] is not None)

    def entry(self, kind: str, key: str) -> Path | None:
        """Where the entry `kind/key` lives on disk, for a worker process to write (`seal_into`, a post's
        `entries.write_parts`); None: memory only."""
        text = self._entry_text(kind, key)
        return None if text is None else Path(text)

    def _entry_text(self, kind: str, key: str) -> str | None:
        return None if self.folder is None else f"{self.folder}/{kind}/{key[:2]}/{key}"

    def read(self, kind: str, key: str) -> bytes | None:
        """The bytes stored as `kind/key`, checked against their seal; None when missing or damaged."""
        path = self.entry(kind, key)
        return read_sealed(path) if path is not None else None

    def write(self, kind: str, key: str, data: bytes) -> None:
        seal_into(self.entry(kind, key), data)

    def place(self, name: str) -> Path | None:
        """The path of one of the store's own files or folders (`pages.pickle`, `jinja`…); None: memory only."""
        return None if self.folder is None else self.folder / name


@stage("cache I/O")
def seal_into(path: Path | None, data: bytes) -> None:
    """Store `data` at `path` (atomically, sealed with its digest); a failed write is only a miss later."""
    if path is None:
        return
    try:
        write_atomic(path, seal(data))
    except OSError:
        pass


@stage("cache I/O")
def read_sealed(path: Path) -> bytes | None:
    """The bytes sealed at `path`; None when it is missing, unreadable, torn or altered. A read is a use:
    the entry is touched, so pruning keeps it (see `prune`)."""
    try:
        with open(path, "rb") as handle:
            data = unseal(handle.read())
            if data is not None:
                touch(handle.fileno())
    except OSError:
        return None
    return data


def clear(root: Path) -> bool:
    """Remove the on-disk store; True when there was one."""
    folder = root / CACHE_DIR
    if folder.is_dir():
        shutil.rmtree(folder)
        return True
    return False
