"""Full-text search: a Pagefind index of post bodies, built before the site is swapped in.

One index for the whole site, so the one search page finds every post whatever
its language. Pagefind only segments Chinese and Japanese words (which are not
separated by spaces) when the index language is CJK, so "auto" picks "zh" as
soon as a post contains Han or Kana text; Latin words stay searchable (without
stemming) and Korean is split on spaces either way.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .errors import ConfigError
from .model import Post

_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Repeated or navigational text that would only add noise to results.
IGNORED = ".toc, .header-anchor, .footnote-backref, .post-footer, .prev-next, .music-card"


def index_language(setting: str, site_language: str, posts: Iterable[Post]) -> str:
    """The language the whole index is built in: the setting, or the best one for these posts."""
    if setting != "auto":
        return setting
    if any(_HAN_OR_KANA.search(post.title) or _HAN_OR_KANA.search(post.html) for post in posts):
        return "zh"
    return site_language.split("-")[0].lower()


INDEXED = b"data-pagefind-body"  # the attribute that marks a page Pagefind indexes (post pages)
KEEP = 2  # indexes kept in the cache: the current one and the one before, for an undo


def index_key(pages: Iterable[tuple[str, bytes]], language: str) -> str:
    """What an index is built from: the bytes of the indexed pages at their paths, the language, the tool."""
    digest = hashlib.sha256(repr((_executable().name, _version(), language, IGNORED)).encode())
    for path, data in sorted(pages):
        if INDEXED in data:
            digest.update(f"{path}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def build_index(folder: Path, language: str, key: str | None = None, cache: Path | None = None) -> None:
    """Index a written (not yet published) site folder; reuse the cached index when `key` is known.

    Pagefind cannot update an index, so an index is built whole into the cache
    (under its key) and linked into the site: a build whose post pages are all
    unchanged costs a few hundred links instead of a Pagefind run.
    """
    if key is None or cache is None:
        return _run_pagefind(folder, folder / "pagefind", language)
    stored = cache / key
    if not (stored / _COMPLETE).is_file():
        temp = cache / f".{key}.{os.getpid()}"
        shutil.rmtree(temp, ignore_errors=True)
        _run_pagefind(folder, temp, language)
        (temp / _COMPLETE).write_bytes(b"")
        shutil.rmtree(stored, ignore_errors=True)
        os.replace(temp, stored)
        _prune(cache, keep=stored)
    _link_tree(stored, folder / "pagefind")


_COMPLETE = ".complete"


def _run_pagefind(site: Path, output: Path, language: str) -> None:
    command = [str(_executable()), "--site", str(site), "--output-path", str(output), "--glob", "posts/**/*.html",
               "--force-language", language, "--exclude-selectors", IGNORED, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ConfigError(f"search index: Pagefind failed: {(result.stderr or result.stdout).strip()}")


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link (copy where links are impossible) every file under `source` to the same place under `target`."""
    for folder, _, files in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            if name == _COMPLETE:
                continue
            try:
                os.link(Path(folder) / name, into / name)
            except OSError:
                shutil.copyfile(Path(folder) / name, into / name)


def _prune(cache: Path, keep: Path) -> None:
    """Drop all but the newest `KEEP` indexes (the cache must not grow with every edit)."""
    indexes = sorted((p for p in cache.iterdir() if p.is_dir() and p != keep),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in indexes[KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)


@lru_cache(maxsize=1)
def _version() -> str:
    try:
        return importlib.metadata.version(_executable().parent.name.replace("_", "-"))
    except importlib.metadata.PackageNotFoundError:
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
