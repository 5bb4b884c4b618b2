"""Full-text search: a Pagefind index of post bodies, built before the site is swapped in.

One index for the whole site, so the one search page finds every post whatever
its language. Pagefind only segments Chinese and Japanese words (which are not
separated by spaces) when the index language is CJK, so "auto" picks "zh" as
soon as a post contains Han or Kana text; Latin words stay searchable (without
stemming) and Korean is split on spaces either way.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from functools import lru_cache, partial
from pathlib import Path

from ..config import Config
from ..errors import ConfigError
from ..incremental.pool import MemoryBudget, threads
from ..incremental.prune import touch
from ..incremental.store import Store
from ..model import Post
from ..output.write import INDEXED, Linked, Output, Placed, link_or_copy, unlink_any
from ..render.pagememo import PageMemo
from ..report import add_taken, phase, stage
from ..routes import MAX_SHARDS, shard_count
from ..site.assemble import Site

_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Repeated or navigational text that would only add noise to results.
IGNORED = ".toc, .header-anchor, .footnote-backref, .post-footer, .prev-next, .music-card, .backlinks"


def index_language(setting: str, site_language: str, posts: Iterable[Post], reuse: PageMemo | None = None) -> str:
    """The language the whole index is built in: the setting, or the best one for these posts. With `reuse`,
    a post the last build scanned is not scanned again (the bodies of 1000 posts take ~0.1 s)."""
    if setting != "auto":
        return setting
    if reuse is None:
        found = any(_cjk_post(post) for post in posts)
    else:
        found = any(reuse.remembered(("han or kana", post), partial(_cjk_post, post)) for post in posts)
    return "zh" if found else site_language.split("-")[0].lower()


def _cjk_post(post: Post) -> bool:
    if _has_han_or_kana(post.title):
        return True
    if type(post.html) is str:  # the dev server's: the same string next time, scanned once
        return _has_han_or_kana(post.html)
    return _HAN_OR_KANA.search(post.body_html()) is not None  # read from the store for this scan, not kept


@lru_cache(maxsize=8192)  # while serving, an unchanged post's body is the same string: scanned once
def _has_han_or_kana(text: str) -> bool:
    return _HAN_OR_KANA.search(text) is not None


UI_FILES = re.compile(r"pagefind-(component-ui|modular-ui|ui|highlight)\.")  # Pagefind's UI; we ship our own
_COMPLETE = ".complete"


def shard_of(path: str, shards: int) -> int:
    """A page's shard, from its path alone: an edit re-indexes one shard, not the site."""
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=4).digest(), "big") % shards


class IndexedPages:
    """Notes the pages Pagefind will index, by path and digest, as they stream past to be written."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, bytes]] = []

    def tap(self, outputs: Iterable[Output]) -> Iterator[Output]:
        for item in outputs:
            if isinstance(item, Linked | Placed):  # linked from the last build, or written by a worker: digest known
                if item.indexed:
                    self.pages.append((item.path, item.digest))
            elif INDEXED in item.data:
                self.pages.append((item.path, hashlib.sha256(item.data).digest()))
            yield item


def indexer(config: Config, site: Site, pages: IndexedPages, store: Store,
            reuse: PageMemo | None = None) -> Callable[..., None] | None:
    """What indexes a written site (`indexer(...)(folder)`), its shards cached in the store; None with search off.
    `reuse`: the last site's files (`stufen build`'s page memo), whose unchanged shards are linked."""
    if not config.search:
        return None
    language = index_language(config.search_language, config.language, site.posts, reuse)
    return partial(build_index, language=language, pages=pages, shards=shard_count(len(site.posts)),
                   cache=store.place("shards"), reuse=reuse)


@phase("search")
def build_index(folder: Path, language: str, pages: IndexedPages, shards: int,
                cache: Path | None = None, *, output: Path | None = None, nice: bool = False,
                reuse: PageMemo | None = None) -> None:
    """Index `pages` into `folder/pagefind/<n>/` (or `output/<n>/`), one Pagefind bundle per shard.

    Pagefind cannot update an index, so each shard is built whole (from the written
    pages, linked into a scratch folder) into the cache under a key of its inputs and
    copied into the site: an edit re-indexes the hundred or so posts of its shard.
    With `reuse` (the page memo of `stufen build`, whose site is `folder`), a shard
    that the last site holds at the same place, intact, is hard-linked from it, file by
    file, as its unchanged pages are: it costs a stat and a link per file, and nothing
    of the store is read but its seal. Shards build in parallel; `nice` runs Pagefind
    at low CPU priority and in its own session (the dev server indexes in the
    background while the browser reloads).
    """
    output = folder / "pagefind" if output is None else output
    groups: list[list[tuple[str, bytes]]] = [[] for _ in range(shards)]
    for path, digest in sorted(pages.pages):
        groups[shard_of(path, shards)].append((path, digest))
    for group in groups:  # the search page loads every shard, and Pagefind cannot index nothing
        largest = max(groups, key=len)
        if not group and len(largest) > 1:
            group.append(largest.pop())
    groups = [group for group in groups if group]  # fewer pages than shards: the page skips the missing
    store = cache if cache is not None else folder / ".pagefind-scratch"
    keys = [_shard_key(group, language) for group in groups]
    todo = [(key, group) for key, group in zip(keys, groups, strict=True) if not (store / key / _COMPLETE).is_file()]
    budget = MemoryBudget(PAGEFIND_MEMORY)
    with threads() as pool:  # each job is a Pagefind process
        for future in [pool.submit(_index_shard, folder, store, key, group, language, nice, budget)
                       for key, group in todo]:
            future.result()
    for n, (key, group) in enumerate(zip(keys, groups, strict=True)):
        touch(store / key)  # used: the store's pruning keeps it
        if not _place(store / key, output / str(n), folder, reuse):  # damaged or pruned since: index it again
            _index_shard(folder, store, key, group, language, nice)
            if not _place(store / key, output / str(n), folder, reuse):
                raise ConfigError(f"search index: the shard stored in {store / key} is damaged as soon as written")
    if cache is None:
        shutil.rmtree(store, ignore_errors=True)
    else:
        _prune(cache, keep=set(keys))


def _shard_key(pages: list[tuple[str, bytes]], language: str) -> str:
    digest = hashlib.sha256(repr((_executable().name, _version(), language, IGNORED)).encode())
    for path, page_digest in pages:
        digest.update(f"{path}\0".encode() + page_digest)
    return digest.hexdigest()


# What the Pagefind processes of one build may take together. Pagefind holds what it indexes: a process
# needs ~12 MiB and ~12 bytes per byte of the pages of its shard (Pagefind 1.5, measured: 57 pages of
# 1.7 MB took 31 MiB, 304 of 9.5 MB 124 MiB, 324 of 10.1 MB 131 MiB). So the shards of a 1000-post journal
# index two at once, and those of 5000 posts (~300 posts each) one at a time: beside the build's own
# ~110 MiB, two took the build to ~360 MiB, to save ~0.4 s a pair (Pagefind runs on more than one core).
PAGEFIND_MEMORY = 128 * 2**20
PAGEFIND_BASE, PAGEFIND_PER_BYTE = 12 * 2**20, 12


@stage("search")
def _index_shard(folder: Path, store: Path, key: str, pages: list[tuple[str, bytes]], language: str,
                 nice: bool, budget: MemoryBudget | None = None) -> None:
    scratch = store / f".{key}.{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    size = 0
    try:
        for path, digest in pages:
            page = scratch / "site" / path
            page.parent.mkdir(parents=True, exist_ok=True)
            # A link, not a copy: Pagefind only reads it, and a page is never rewritten in place (a rewrite
            # replaces the file), so the bytes checked here through the link are the bytes indexed.
            link_or_copy(folder / path, page)
            with open(page, "rb") as handle:
                if hashlib.file_digest(handle, "sha256").digest() != digest:  # rewritten since (the dev server)
                    raise ConfigError(f"search index: {path} changed while it was being indexed")
                size += handle.tell()
        with budget.taking(PAGEFIND_BASE + PAGEFIND_PER_BYTE * size) if budget is not None else nullcontext():
            _run_pagefind(scratch / "site", scratch / "index", language, nice)
        (scratch / "index" / _COMPLETE).write_text(_manifest(scratch / "index"), encoding="utf-8")
        shutil.rmtree(store / key, ignore_errors=True)
        os.replace(scratch / "index", store / key)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_pagefind(site: Path, output: Path, language: str, nice: bool = False) -> None:
    command = [str(_executable()), "--site", str(site), "--output-path", str(output),
               "--force-language", language, "--exclude-selectors", IGNORED, "--silent"]
    if nice and shutil.which("nice"):
        command = ["nice", "-n", "10", *command]
    # A background run (the dev server's) gets its own session: Ctrl-C in the terminal is for the
    # server, which lets the run finish, rather than for Pagefind, which would die mid-write.
    with tempfile.TemporaryFile() as said:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=said, stderr=said,
                                   start_new_session=nice)
        try:
            _, status, usage = os.wait4(process.pid, 0)  # waited for here, for its CPU time (the profile's)
        except BaseException:  # interrupted: Pagefind must not outlive the build
            process.kill()
            process.wait()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        add_taken({"search": usage.ru_utime + usage.ru_stime})
        if process.returncode != 0:
            said.seek(0)
            message = said.read().decode("utf-8", "replace").strip()
            raise ConfigError(f"search index: Pagefind failed: {message}")


def _manifest(bundle: Path) -> str:
    """Every file of a Pagefind bundle with the digest of its bytes, one a line: its seal in the store."""
    lines = []
    for folder, dirs, files in os.walk(bundle):
        dirs.sort()
        for name in sorted(files):
            if name != _COMPLETE:
                path = Path(folder, name)
                lines.append(f"{path.relative_to(bundle).as_posix()}\0{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return "\n".join(lines) + "\n"


def _place(bundle: Path, target: Path, site: Path, reuse: PageMemo | None) -> bool:
    """Put the shard stored at `bundle` at `target` in `site`, minus Pagefind's UI: the last site's files,
    linked, where `reuse` finds them all intact at the same place; else a checked copy of the store's.
    False, with nothing left at `target`, when the store's bundle is damaged or gone."""
    sealed = _seal(bundle)
    if sealed is None:
        return False
    unlink_any(target)  # nothing is written through: a spare's leftover would be a link to a live file
    if reuse is None:
        return _copy_intact(bundle, target, sealed)
    at = f"{target.relative_to(site).as_posix()}/"  # paths as text: pathlib was most of placing 5500 files
    shipped = [(at + rel, digest) for rel, digest in sealed.items() if not UI_FILES.match(rel.rpartition("/")[2])]
    last = reuse.last_bundle(shipped, bundle.name)
    if last is None:
        if not _copy_intact(bundle, target, sealed):
            return False
        reuse.made_bundle(shipped, bundle.name)
        return True
    made: set[str] = set()
    for source, (path, _) in zip(last, shipped, strict=True):
        into = os.path.join(site, path)
        folder = os.path.dirname(into)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        link_or_copy(source, into)
    return True


def _seal(bundle: Path) -> dict[str, bytes] | None:
    """The seal of a stored bundle (`_manifest`): each file's path in it → the sha256 of its bytes; None when
    it is missing or unreadable."""
    try:
        lines = (bundle / _COMPLETE).read_text(encoding="utf-8").splitlines()
        return {rel: bytes.fromhex(digest) for rel, digest in (line.split("\0") for line in lines)}
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _copy_intact(source: Path, target: Path, sealed: dict[str, bytes]) -> bool:
    """Copy the bundle under `source` to `target`, minus Pagefind's UI, checking each file against the
    bundle's seal as it is read (one read of the store, not one to check and one to copy). False, with
    nothing left at `target`, when the bundle is incomplete or a file is not what was indexed. A copy,
    never a link: a published file edited in place must not reach back into the store."""
    try:
        seen = 0
        for folder, _, files in os.walk(source):
            into = target / Path(folder).relative_to(source)
            into.mkdir(parents=True, exist_ok=True)
            for name in files:
                if name == _COMPLETE:
                    continue
                path = Path(folder) / name
                data = path.read_bytes()
                if hashlib.sha256(data).digest() != sealed.get(path.relative_to(source).as_posix()):
                    raise ValueError(path)
                seen += 1
                if not UI_FILES.match(name):
                    (into / name).write_bytes(data)
        if seen != len(sealed):
            raise ValueError(source)
    except (OSError, ValueError):
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def _prune(cache: Path, keep: set[str]) -> None:
    """Drop shards no longer used, but keep the newest few (an undo is then free): the cache must not grow forever."""
    if not cache.is_dir():  # a site without posts has no shard, so nothing made the folder
        return
    unused = sorted((p for p in cache.iterdir() if p.is_dir() and p.name not in keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in unused[MAX_SHARDS:]:
        shutil.rmtree(old, ignore_errors=True)


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib import metadata  # here, not at start-up: it costs 30 ms of imports, needed once a build

    try:
        return metadata.version(_executable().parent.name.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return str(_executable().stat().st_size)


def _executable() -> Path:
    """Pagefind's binary ships in a PyPI wheel (the extended build, for CJK segmentation)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        try:
            from pagefind_bin import get_executable
        except ImportError:
            raise ConfigError("search index: Pagefind is not installed; "
                              "reinstall Stufen or set search = false in stufen.toml") from None
    return Path(get_executable())
