"""Reusing the last build's pages: render only what changed, link (or, in place, keep) the rest.

A page's bytes are a function of its fingerprint (context, templates, settings:
see `memo.Fingerprints`). After a build, its pages' fingerprints are saved with
each page's path and digest, together with the identity of the site's marker
file. The next build fingerprints every page; one whose fingerprint is known
is not rendered but hard-linked from the site it was written into (`stufen
build`, which writes a new folder and swaps it in), or left where it is (the dev
server, which rewrites only changed files, each atomically). Other files are
kept the same way: feeds (`output_for`), Open Graph cards (`made_elsewhere`) and
the search index's shards, whole bundles of files (`last_bundle`).

A known page is trusted in one of two ways. Locally, while the same site is in
place (its marker file's identity) and the file is the one that was written (its
size, mtime and inode): nothing is read. Otherwise, when the file at its path has
the recorded size, its bytes are read and trusted only if their sha256 is the
recorded digest: a site restored from a CI cache (new inodes and mtimes, another
marker) is a site by its content, and a page deleted or edited in the site by hand
is rendered again either way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

from ..output.atomic import write_atomic
from ..output.write import INDEXED, Linked, Output, marker_identity
from ..report import stage
from ..site.plan import Page
from .memo import Digests, Fingerprints

FILE = "pages.pickle"  # in the store: `stufen build`'s record of its last site
Identity = tuple[int, int, int]  # a file's size, mtime (ns) and inode

# (marker identity of the site, {fingerprint: (path, digest, indexed, file identity)},
#  (build id, {template source: the templates it names}), {fingerprint: a value `remembered`})
Record = tuple[tuple[int, int, int] | None, dict[bytes, tuple[str, bytes, bool, tuple[int, int, int] | None]],
               tuple[str, dict[str, list[str | None]]], dict[bytes, object]]


class PageMemo:
    """The pages of the last build, by fingerprint, for one build to reuse; `record()` is this build's.

    `stufen build` keeps the record in the store (`load`/`save`); the dev server keeps it in its session.
    """

    def __init__(self, out: Path, fingerprints: Fingerprints, record: Record | None):
        self.out = out
        self._root = os.path.join(out, "")  # joined as text: pathlib's `/` was 5 µs for each page and card
        self.fingerprints = fingerprints
        self.known = record[1] if record is not None else {}
        if record is not None:  # a template's references follow from its source: no need to parse it again
            fingerprints.known_references(record[2])
        self.same_site = record is not None and record[0] is not None and record[0] == marker_identity(out)
        self._values: dict[bytes, object] = record[3] if record is not None else {}
        self._values_now: dict[bytes, object] = {}
        self.seen: dict[bytes, tuple[str, bytes, bool]] = {}
        self.reused = 0
        self.rendered: list[str] = []  # URLs of the pages this build rendered (the rest were reused)
        self._prints: dict[int, bytes] = {}  # id(page) → fingerprint, for pages fingerprinted ahead
        self._elsewhere: dict[bytes, str] = {}  # fingerprint → path of a file made elsewhere, this build
        self._identities: dict[bytes, Identity] = {}  # a reused file's, as found: linked, it stays

    def to_render(self, pages: Sequence[Page]) -> int:
        """How many of `pages` have no page of the last build to reuse: what deciding whether rendering is
        worth worker processes needs. It fingerprints every page, once: workers forked later inherit them.
        With nothing to compare with (a first build) it is all of them, and nothing is fingerprinted here."""
        if not self.known:
            return len(pages)
        prints = self._prints
        for page in pages:
            prints[id(page)] = self.fingerprints.of(page)
        return sum(prints[id(page)] not in self.known for page in pages)

    def output(self, page: Page, render: Callable[[], bytes]) -> Output:
        key = self._prints.get(id(page))
        output = self._output(page.output_path, key if key is not None else self.fingerprints.of(page), render)
        if type(output) is Output:
            self.rendered.append(page.url)
        return output

    def output_for(self, path: str, inputs: object, render: Callable[[], bytes]) -> Output:
        """A file that is not a page (a feed): `inputs` must be everything its bytes depend on."""
        return self._output(path, self.fingerprints.of_value(inputs, b"file"), render)

    def made_elsewhere(self, output: Output, inputs: object) -> Output:
        """A file whose bytes come later, from elsewhere (an Open Graph card, read from the store or drawn
        by a worker as it is written): the last build's file when `inputs` are unchanged and it is intact,
        else `output` itself, whose digest the record takes from the file once it is written."""
        key = self.fingerprints.of_value(inputs, b"made")
        linked = self._linked(output.path, key)
        if linked is not None:
            return linked
        self._elsewhere[key] = output.path
        return output

    def last_bundle(self, files: Sequence[tuple[str, bytes]], inputs: object) -> list[str] | None:
        """A bundle of files made elsewhere from `inputs` (a search shard: each file's path and digest),
        placed by the caller: the last build's files, to link, when every one of them is known at its path
        with its digest and is intact; else None, and the caller makes the bundle anew (`made_bundle`)."""
        keys = self._bundle_keys(files, inputs)
        found = []
        for key, (path, digest) in zip(keys, files, strict=True):
            known = self.known.get(key)
            here = self._intact(path, digest, known[3]) if known is not None and known[:2] == (path, digest) else None
            if here is None:
                return None
            found.append(here[0])
        self.seen.update((key, (path, digest, False)) for key, (path, digest) in zip(keys, files, strict=True))
        self._identities.update(zip(keys, found, strict=True))
        return [self._root + path for path, _ in files]

    def made_bundle(self, files: Sequence[tuple[str, bytes]], inputs: object) -> None:
        """The bundle `last_bundle` could not give, now written with these digests: this build's record."""
        for key, (path, digest) in zip(self._bundle_keys(files, inputs), files, strict=True):
            self.seen[key] = (path, digest, False)
            self._identities.pop(key, None)  # written anew: its identity is stat'ed for the record

    def _bundle_keys(self, files: Sequence[tuple[str, bytes]], inputs: object) -> list[bytes]:
        """Each file's key: the bundle's fingerprint and the file's path (a fingerprint of its own for each of a
        5000-post site's 5500 search files cost a pickler each)."""
        bundle = self.fingerprints.of_value(inputs, b"bundle")
        return [hashlib.sha256(bundle + path.encode()).digest() for path, _ in files]

    def remembered(self, inputs: object, compute: Callable[[], object]) -> object:
        """`compute()`, a small value that is a function of `inputs` alone (posts stand in by digest), or the
        last build's value for the same inputs: what costs a scan of every post's body on every build.
        A first build, with nothing to compare with, only computes: fingerprinting a post it has not
        loaded from the store would cost a digest of its whole body."""
        if not self.known:
            return compute()
        key = self.fingerprints.of_value(inputs, b"value")
        value = self._values[key] if key in self._values else compute()
        self._values_now[key] = value
        return value

    def _output(self, path: str, key: bytes, render: Callable[[], bytes]) -> Output:
        linked = self._linked(path, key)
        if linked is not None:
            return linked
        data = render()
        self.seen[key] = (path, hashlib.sha256(data).digest(), INDEXED in data)
        return Output(path, data)

    def _linked(self, path: str, key: bytes) -> Linked | None:
        known = self.known.get(key)
        here = self._intact(path, known[1], known[3]) if known is not None and known[0] == path else None
        if here is None:
            return None
        self.seen[key] = known[:3]
        self._identities[key] = here[0]  # a hard link to it has its size, mtime and inode: the record needs no stat
        self.reused += 1
        return Linked(path, b"", self._root + path, known[1], known[2], here[1])

    def _intact(self, path: str, digest: bytes, identity: Identity | None) -> tuple[Identity, tuple[int, int]] | None:
        """The identity, and device and inode, of the file at `path` when it still has the bytes recorded: the very
        file written (same site, same identity), or one of the same size whose sha256 is `digest` (read and
        hashed); else None."""
        try:
            info = os.stat(self._root + path)
        except OSError:
            return None
        here = info.st_size, info.st_mtime_ns, info.st_ino
        if identity is None or here[0] != identity[0]:
            return None
        if not (self.same_site and here == identity):
            try:
                with open(self._root + path, "rb") as handle:
                    if hashlib.file_digest(handle, "sha256").digest() != digest:
                        return None
            except OSError:
                return None
        return here, (info.st_dev, info.st_ino)

    def forget_posts(self) -> None:
        """Once every page is written: drop what holds posts (their digests, the pages' fingerprints by
        object), so a large journal's bodies can be freed before the rest of the build."""
        self.fingerprints.digests = Digests(_refs=self.fingerprints.digests._refs)
        self._prints = {}

    def record(self) -> Record:
        """This build's pages, each with its file's identity (call once the new site is in place)."""
        for key, path in self._elsewhere.items():
            try:
                self.seen[key] = (path, hashlib.sha256((self.out / path).read_bytes()).digest(), False)
            except OSError:
                pass  # not there after all: it is made again next time
        self._elsewhere = {}
        found = self._identities
        pages = {key: (*seen, found[key] if key in found else _identity(self.out / seen[0]))
                 for key, seen in self.seen.items()}
        return marker_identity(self.out), pages, self.fingerprints.references(), self._values_now


@stage("cache I/O")
def load(file: Path | None) -> Record | None:
    """The record `save` left in `file`; None when there is none, or a torn one (every page is rendered)."""
    if file is None:
        return None
    try:
        with open(file, "rb") as handle:
            record = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return record if isinstance(record, tuple) and len(record) == 4 else None  # another Stufen's: not ours


@stage("cache I/O")
def save(file: Path | None, record: Record) -> None:
    if file is None:
        return
    try:
        write_atomic(file, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # unwritten: the next build renders every page


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino
