"""Reusing the last `stufen build`'s pages: render only what changed, link the rest.

A page's bytes are a function of its fingerprint (context, templates, settings:
see `memo.Fingerprints`). After a build, its pages' fingerprints are saved with
each page's path and digest, together with the identity of the site's marker
file. The next build fingerprints every page; one whose fingerprint is known
is not rendered but hard-linked from the site it was written into — which is
safe because Stufen never edits a published file in place (every build writes
a new folder and swaps it in), and only trusted while that same site, by its
marker, is still in place.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path

from .memo import Fingerprints, Memo
from .model import Post
from .output import Output, marker_identity
from .pages import Page

FILE = "pages.pickle"
INDEXED = b"data-pagefind-body"  # kept in step with search.INDEXED (checked by a test)


@dataclass(frozen=True, slots=True)
class Linked(Output):
    """A page unchanged since the last build: written by linking `source`; `data` stays empty."""

    source: Path = Path()
    digest: bytes = b""
    indexed: bool = False


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
        return cls(cache, out, _CanonicalMemo().start(env, settings))

    def _load(self) -> dict[bytes, tuple[str, bytes, bool]]:
        try:
            with open(self.file, "rb") as handle:
                marker, pages = pickle.load(handle)
            if marker is None or marker != marker_identity(self.out):
                return {}
            return pages
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
            return {}  # no memo, or a torn one: render everything

    def output(self, page: Page, render: Callable[[], bytes]) -> Output:
        key = self.fingerprints.of(page)
        known = self.known.get(key)
        if known is not None and known[0] == page.output_path and (self.out / page.output_path).is_file():
            self.seen[key] = known
            self.reused += 1
            return Linked(page.output_path, b"", self.out / page.output_path, known[1], known[2])
        data = render()
        self.seen[key] = (page.output_path, hashlib.sha256(data).digest(), INDEXED in data)
        return Output(page.output_path, data)

    def save(self) -> None:
        """Remember this build's pages (call once the new site is in place)."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temp = self.file.with_name(f".{FILE}.{os.getpid()}")
            with open(temp, "wb") as handle:
                pickle.dump((marker_identity(self.out), self.seen), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.file)
        except OSError:
            pass  # the next build renders everything, nothing worse


class _CanonicalMemo(Memo):
    """Post digests that are the same in every process: a post parsed now and the same post
    unpickled from the cache pickle differently (shared strings, set order), so the dev server's
    pickle-based digest would see every post as changed on the next `stufen build`."""

    def post_digest(self, post: Post) -> bytes:
        known = self._live.get(id(post))
        if known is None or known[0] is not post:
            known = (post, hashlib.sha256(canonical(post).encode()).digest())
            self._live[id(post)] = known
        return known[1]


def canonical(value: object) -> str:
    """A text form of a value that depends only on the value (sets sorted, mappings by key)."""
    if is_dataclass(value) and not isinstance(value, type):
        inner = ",".join(f"{f.name}={canonical(getattr(value, f.name))}" for f in fields(value))
        return f"{type(value).__name__}({inner})"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, Mapping):
        return "{" + ",".join(sorted(f"{canonical(k)}:{canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(canonical(v) for v in value) + ")"
    return repr(value)
