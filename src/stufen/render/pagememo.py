"""Reusing the last `stufen build`'s pages: render only what changed, link the rest.

A page's bytes are a function of its fingerprint (context, templates, settings:
see `memo.Fingerprints`). After a build, its pages' fingerprints are saved with
each page's path and digest, together with the identity of the site's marker
file. The next build fingerprints every page; one whose fingerprint is known
is not rendered but hard-linked from the site it was written into — which is
safe because Stufen never edits a published file in place (every build writes
a new folder and swaps it in), and only trusted while that same site, by its
marker, is still in place, and that file by its size, mtime and inode (a page
deleted or edited in the site by hand is rendered again).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from ..output.atomic import write_atomic
from ..output.write import INDEXED, Linked, Output, marker_identity
from ..site.plan import Page
from .memo import Fingerprints, Memo

FILE = "pages.pickle"


class PageMemo:
    def __init__(self, cache: Path, out: Path, fingerprints: Fingerprints):
        self.file = cache / FILE
        self.out = out
        self.fingerprints = fingerprints
        self.known = self._load()
        self.seen: dict[bytes, tuple[str, bytes, bool]] = {}
        self.reused = 0

    @classmethod
    def start(cls, cache: Path, out: Path, env, settings) -> PageMemo:
        return cls(cache, out, Memo().start(env, settings))

    def _load(self) -> dict[bytes, tuple[str, bytes, bool, tuple[int, int, int] | None]]:
        try:
            with open(self.file, "rb") as handle:
                marker, pages = pickle.load(handle)
            if marker is None or marker != marker_identity(self.out):
                return {}
            return pages
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return {}  # no memo, or a torn one: render everything

    def output(self, page: Page, render: Callable[[], bytes]) -> Output:
        return self._output(page.output_path, self.fingerprints.of(page), render)

    def output_for(self, path: str, inputs: object, render: Callable[[], bytes]) -> Output:
        """A file that is not a page (a feed): `inputs` must be everything its bytes depend on."""
        return self._output(path, self.fingerprints.of_value(inputs, b"file"), render)

    def _output(self, path: str, key: bytes, render: Callable[[], bytes]) -> Output:
        known, here = self.known.get(key), _identity(self.out / path)
        if known is not None and here is not None and known[0] == path and known[3:] == (here,):
            self.seen[key] = known[:3]
            self.reused += 1
            return Linked(path, b"", self.out / path, known[1], known[2])
        data = render()
        self.seen[key] = (path, hashlib.sha256(data).digest(), INDEXED in data)
        return Output(path, data)

    def save(self) -> None:
        """Remember this build's pages, each with its file's identity (call once the new site is in place)."""
        pages = {key: (*seen, _identity(self.out / seen[0])) for key, seen in self.seen.items()}
        try:
            write_atomic(self.file, pickle.dumps((marker_identity(self.out), pages), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # unwritten: the next build renders every page


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino
