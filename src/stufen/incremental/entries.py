"""A parsed post's entry in the store, in two sealed parts: what a build needs of the post, and its body.

A build needs every post's title, dates, headings and links, but a post's rendered body only where a
page shows it. Held for every post at once, the bodies were most of a large journal's memory (96 of
the 140 MiB the posts of 5000 took), in the build and again in each render worker forked from it.
So `stufen build` unpickles only the first part of each entry and leaves the body on disk as a
`StoredHtml`, which the render worker writing the post's page reads (so do feeds and the search
language check, one post at a time). Each part has its own seal; both are checked on every read,
so a damaged entry is a miss, parsed again, never a failed page later:

    [4 bytes: length of the head][sha256 of the head][head: pickled (the post's fields but its body, problems, facts)]
    [sha256 of the body][body: UTF-8]

`facts` is what the load stage notes of a body for the stages after it that must not read it
(the media stage's image sources, load/posts.py); this module only keeps them.
"""

from __future__ import annotations

import os
import pickle
import struct
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from ..output.atomic import write_atomic
from ..report import stage
from .prune import touch
from .seal import SEAL, seal, unseal

_LENGTH = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class StoredHtml:
    """A post body left in its store entry: what `Post.html` holds in a `stufen build` (`Post.body_html()`
    reads it). `rewrite`: what the media stage does to the body (render/media.py), applied as it is read."""

    entry: Path | str
    key: str  # the entry's key: the body is a pure function of it, so it stands for the body in fingerprints
    images: tuple[str, ...] | None  # each <img>'s src, sorted; None: no <img> at all
    img_tags: int  # how many <img> tags the body has
    rewrite: Callable[[str], str] | None = None
    remake: Callable[[str, Path], str] | None = None  # (key, entry) → the body parsed again, the entry rewritten

    def text(self) -> str:
        html = read_body(self.entry)
        if html is None and self.remake is not None:  # damaged or gone since the load read the head: parse again
            html = self.remake(self.key, self.entry)
        if html is None:
            raise ConfigError(f"the store entry {self.entry} was removed or changed during the build "
                              "(by another build's pruning?); build again")
        return self.rewrite(html) if self.rewrite is not None else html

    def __html__(self) -> str:
        """Jinja's `{{ p.html|safe }}` (MarkupSafe asks for `__html__`) prints the body itself, and `str()` (Jinja's
        `|string`, and the filters that start with it) gives it as text: a template listing posts may show
        their bodies (on a post's own page, `post.html` is the text already: render/pages.py)."""
        return self.text()

    __str__ = __html__


def entry_parts(value: tuple, facts: tuple) -> tuple[bytes, bytes]:
    """(head, body) of a loaded `(post, problems)`; `facts`: what the load stage noted of the body.
    The head holds the post's other fields in order, not a `Post`: loading it then makes the post once, with
    its body or its body's handle, rather than once without and again by `replace` (0.1 ms a post)."""
    post, found = value
    fields = tuple(getattr(post, name) for name in _head_fields()[1]) if post is not None else None
    head = pickle.dumps((fields, found, facts), protocol=pickle.HIGHEST_PROTOCOL)
    return head, post.html.encode("utf-8") if post is not None else b""


@stage("cache I/O")
def write_parts(path: Path | str | None, head: bytes, body: bytes) -> bool:
    """Store an entry at `path` (atomically); True when stored. A failed write is only a miss later."""
    if path is None:
        return False
    try:
        write_atomic(Path(path), _LENGTH.pack(len(head)) + seal(head) + seal(body))
    except OSError:
        return False
    return True


def from_head(head: bytes, path: Path | str | None, key: str, body: str | None,
              remake: Callable[[str, Path], str] | None = None) -> tuple | None:
    """`(post, problems)` from an entry's head: the post's html is `body`, or, when None, left in the entry at
    `path` (and made again by `remake` if it is damaged when read). None when the head does not unpickle (made
    by an incompatible Stufen despite the key)."""
    try:
        fields, found, facts = pickle.loads(head)
        post = None
        if fields is not None:
            cls, _, at = _head_fields()
            html = body if body is not None else StoredHtml(path, key, *facts, remake=remake)
            post = cls(*fields[:at], html, *fields[at:])
    except Exception:
        return None
    return post, found


@lru_cache(maxsize=1)
def _head_fields() -> tuple[type, tuple[str, ...], int]:
    """(Post, its fields but `html` in order, where `html` goes): imported here, not at start-up, since an
    up-to-date check reads no entry and must not load the model (tests/unit/test_startup.py)."""
    from ..model import Post

    return Post, tuple(name for name in Post.__slots__ if name != "html"), Post.__slots__.index("html")


def read_entry(path: Path | str, key: str, *, with_body: bool, remake: Callable[[str, Path], str] | None = None
               ) -> tuple | None:
    """`(post, problems)` stored at `path`, its body read too or (`with_body` false) left there, to be read where
    a page needs it; None when missing, torn or altered. Left there, only the head is read and checked: most
    bodies of an edit build are never read (their pages are reused), and reading and hashing them all was 60 µs a
    post. A body found damaged when it is read is then made again (`remake`), never a failed page. A read is a
    use: the entry is touched, so pruning keeps it. (Timed as "cache I/O" by its one caller, `Store.get`.)"""
    if not with_body:
        head = _read_head(path)
        return from_head(head, path, key, None, remake) if head is not None else None
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
            touch(handle.fileno())
    except OSError:
        return None
    parts = _parts(blob)
    if parts is None:
        return None
    head, body = parts
    return from_head(head, path, key, body.decode("utf-8"))


def _read_head(path: Path | str) -> bytes | None:
    """The head of the entry at `path`, checked against its seal; None when missing, torn or altered."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        blob = os.pread(fd, _FIRST_READ, 0)
        end = _head_end(blob)
        if end is None:
            return None
        if end > len(blob):
            blob += os.pread(fd, end - len(blob), len(blob))
        if len(blob) < end or os.fstat(fd).st_size < end + SEAL:  # torn: not even a seal for the body
            return None
        touch(fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    return unseal(blob[_LENGTH.size:end])


_FIRST_READ = 8192  # bytes read first: most heads are 1-3 KiB


@stage("cache I/O")
def read_body(path: Path) -> str | None:
    """The body stored at `path`; None when missing, torn or altered."""
    try:
        with open(path, "rb") as handle:
            parts = _parts(handle.read())
    except OSError:
        return None
    return parts[1].decode("utf-8") if parts is not None else None


def _parts(blob: bytes) -> tuple[bytes, bytes] | None:
    """(head, body) of an entry's bytes when both seals match; None for a torn or altered entry."""
    end = _head_end(blob)
    if end is None:
        return None
    head, body = unseal(blob[_LENGTH.size:end]), unseal(blob[end:])
    return (head, body) if head is not None and body is not None else None


def _head_end(start: bytes) -> int | None:
    """Where the sealed head of the entry beginning with `start` ends (its body's seal follows); None when
    not even the head's length is there."""
    return _LENGTH.size + SEAL + _LENGTH.unpack_from(start)[0] if len(start) >= _LENGTH.size else None
