"""Memoising the load stage, the expensive one (Markdown + Pygments).

Keyed by content: the file's bytes, its path, Stufen's code (`buildid`) and every
setting the result depends on. Entries live in memory (for `serve`) and on
disk under `.stufen-cache/` (for CLI builds). Disk entries are written
atomically; an unreadable or torn entry is simply a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import fields
from pathlib import Path

from ..model import Heading, Link, Post, Tag, Track
from .buildid import build_id

CACHE_DIR = ".stufen-cache"
# A Post pickled before a field was added would load without it (slots) and fail later: its shape, and that of
# the records it holds, is in every key.
_SHAPE = repr([(f.name, f.type) for cls in (Post, Heading, Link, Tag, Track) for f in fields(cls)]).encode()


class Cache:
    """A content-addressed store; `Cache(None)` keeps entries in memory only."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.memory: dict[str, object] = {}
        self.hits = 0
        self.misses = 0
        self.stamps: dict[Path, tuple] = {}  # file → ((mtime_ns, size, inode), other key parts, key)

    def file_key(self, path: Path, *parts: object) -> tuple[str, bytes | None]:
        """`key(*parts, bytes of path)`, and the bytes; a file unchanged since last time (same
        mtime, size and inode) is not read again: its bytes come back as None."""
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        known = self.stamps.get(path)
        if known is not None and known[0] == stamp and known[1] == parts:
            return known[2], None
        data = path.read_bytes()
        key = self.key(*parts, data)
        self.stamps[path] = (stamp, parts, key)
        return key, data

    @staticmethod
    def key(*parts: object) -> str:
        digest = hashlib.sha256(build_id().encode() + _SHAPE)
        for part in parts:
            digest.update(part if isinstance(part, bytes) else repr(part).encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str):
        if key in self.memory:
            self.hits += 1
            return self.memory[key]
        value = self._read(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.memory[key] = value
        return value

    def put(self, key: str, value: object) -> None:
        self.memory[key] = value
        if self.folder is not None:
            store(self._path(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def entry(self, key: str) -> Path | None:
        """Where `key`'s disk entry goes, for a worker process to `store` it (None: memory only)."""
        return None if self.folder is None else self._path(key)

    def _read(self, key: str):
        if self.folder is None:
            return None
        try:
            return pickle.loads(self._path(key).read_bytes())
        except Exception:  # missing, torn or from an incompatible version: a miss
            return None

    def _path(self, key: str) -> Path:
        return self.folder / "posts" / key[:2] / f"{key}.pickle"



def store(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all: beside it, then renamed over it.

    A cache that cannot be written only makes the next build slower, so errors
    are swallowed; a temp file left by a killed build is never read as an entry.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".tmp{os.getpid()}")
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        pass


def clear(root: Path) -> bool:
    """Remove the on-disk cache; True when there was one."""
    folder = root / CACHE_DIR
    if folder.is_dir():
        shutil.rmtree(folder)
        return True
    return False
