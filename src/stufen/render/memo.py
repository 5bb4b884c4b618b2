"""Fingerprints of pages: what the page memo (pagememo.py) keys rendered pages by.

A page's bytes are a function of its context, the templates it uses and the
site settings, so a fingerprint of those three is a safe key. Posts dominate
the contexts (their HTML is most of the bytes), and an unchanged post is the
very same object from the load cache on every rebuild, so each post object is
hashed once and stands in the fingerprint as that short digest.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import jinja2
from jinja2 import meta

from ..incremental.buildid import build_id
from ..incremental.entries import StoredHtml
from ..model import Post
from ..report import stage
from .environment import template_dirs


@dataclass
class Digests:
    """Each post object's digest and each template's references, kept across the builds of one
    dev-server session (`stufen build` makes a fresh one): an unchanged post is the very same object
    from the store on every rebuild, so it is hashed once per session, not once per build."""

    _digests: dict[int, tuple[Post, bytes]] = field(default_factory=dict)  # id(post) → (post, digest)
    _live: dict[int, tuple[Post, bytes]] = field(default_factory=dict)
    _refs: dict[str, list[str | None]] = field(default_factory=dict)  # template source → names it uses

    def post_digest(self, post: Post) -> bytes:
        known = self._live.get(id(post)) or self._digests.get(id(post))
        if known is None or known[0] is not post:  # the post object keeps its id from being reused
            known = (post, canonical_digest(post))
        self._live[id(post)] = known
        return known[1]

    def name_loaded(self, loaded: Iterable[tuple[str, Post]]) -> None:
        """Posts as the store gave them, with their keys: a loaded post is a pure function of its key (the
        file's bytes, the settings, Stufen's own code), so the key is its digest, with nothing to hash.
        A post changed after loading is another object, hashed in full when it is met."""
        for key, post in loaded:
            known = self._digests.get(id(post))
            if known is None or known[0] is not post:
                self._live[id(post)] = (post, bytes.fromhex(key))

    def finish(self) -> None:
        """Forget posts this build did not use, so memory tracks the site, not its history."""
        self._digests, self._live = self._live, {}


def canonical_digest(post: Post) -> bytes:
    """A post's digest, the same in every process, so `stufen build` can compare it with the last build's.

    A post parsed now and the same post unpickled from the cache pickle differently
    (a string shared twice is written once; a set's order follows the hash seed).
    Here the pickler keeps no memo (each value written in full) and the one set, the
    body's element ids, is sorted. A digest that still differed would only cost a render.
    """
    buffer = io.BytesIO()
    pickler = _CanonicalPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump((replace(post, ids=frozenset()), sorted(post.ids)))
    return hashlib.sha256(buffer.getbuffer()).digest()


class _CanonicalPickler(pickle.Pickler):
    """A body left in the store stands in by its key and rewrite, which make it: not by where the store is."""

    def reducer_override(self, obj):
        if type(obj) is StoredHtml:
            return _stored_html, (obj.key, obj.rewrite)
        return NotImplemented


def _stored_html(key: str, rewrite: object) -> None:
    """Stands for a StoredHtml in digests; never called (digests are hashed, not unpickled)."""


def template_files(config) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for folder in template_dirs(config):
        names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        found.append((str(folder), tuple(names)))
    return tuple(found)


class Fingerprints:
    """Fingerprints of the pages of one build; template digests are computed once per template."""

    def __init__(self, digests: Digests, env: jinja2.Environment, settings: object):
        self.digests = digests
        self.env = env
        self.settings = repr((build_id(), settings)).encode()
        self.templates: dict[str, bytes] = {}
        self.sources: set[str] = set()  # the template sources this build parsed or looked up, for `references`

    @stage("fingerprints")
    def of(self, page) -> bytes:
        return self.of_value((page.url, page.template, dict(page.context)), self.template(page.template))

    @stage("fingerprints")
    def of_value(self, value: object, salt: bytes = b"") -> bytes:
        """The fingerprint of any picklable value under these settings, posts standing in by digest."""
        buffer = io.BytesIO()
        _Pickler(buffer, self.digests).dump(value)
        digest = hashlib.sha256(self.settings)
        digest.update(salt)
        digest.update(buffer.getbuffer())
        return digest.digest()

    def template(self, name: str) -> bytes:
        if name not in self.templates:
            digest = hashlib.sha256()
            for used in sorted(self._closure(name)):
                digest.update(f"{used}\0{self._source(used)}\0".encode())
            self.templates[name] = digest.digest()
        return self.templates[name]

    def _source(self, name: str) -> str:
        try:
            return self.env.loader.get_source(self.env, name)[0]
        except jinja2.TemplateNotFound:
            return "\0missing"

    def _closure(self, name: str) -> set[str]:
        """Every template `name` extends, includes or imports; all of them when one is dynamic."""
        todo, seen = [name], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = self._references(self._source(current))
            if None in refs:
                return set(self.env.list_templates())
            todo += refs
        return seen

    def references(self) -> tuple[str, dict[str, list[str | None]]]:
        """Each template source this build used → the templates it names: kept with the page memo's record,
        so the next `stufen build` does not parse every template again to fingerprint its pages. Under
        Stufen's build id: another Stufen may parse templates differently."""
        return build_id(), {source: self.digests._refs[source] for source in self.sources}

    def known_references(self, references: tuple[str, dict[str, list[str | None]]]) -> None:
        """Take `references()` of an earlier build, when made by this Stufen."""
        if references[0] == build_id():
            self.digests._refs.update(references[1])

    def _references(self, source: str) -> list[str | None]:
        known = self.digests._refs
        self.sources.add(source)
        if source not in known:
            try:
                known[source] = list(meta.find_referenced_templates(self.env.parse(source)))
            except jinja2.TemplateError:
                known[source] = []  # rendering reports it; the source itself is still fingerprinted
        return known[source]


class _Pickler(pickle.Pickler):
    """Pickles a context with each Post replaced by its digest (computed once per post object).

    `reducer_override` is consulted only for objects that are not str, int, list, dict…,
    which keeps this hook off the hot path of the bulk of a context.
    """

    def __init__(self, file, digests: Digests):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.digests = digests

    def reducer_override(self, obj):
        if type(obj) is Post:
            return _post_digest, (self.digests.post_digest(obj),)
        return NotImplemented


def _post_digest(digest: bytes) -> bytes:
    """Stands for a Post in fingerprints; never called (fingerprints are hashed, not unpickled)."""
    return digest
