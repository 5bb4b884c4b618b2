"""Full-text search: a Pagefind index of post bodies, built before the site is swapped in.

One index for the whole site, so the one search page finds every post whatever
its language. Pagefind only segments Chinese and Japanese words (which are not
separated by spaces) when the index language is CJK, so "auto" picks "zh" as
soon as a post contains Han or Kana text; Latin words stay searchable (without
stemming) and Korean is split on spaces either way.
"""

from __future__ import annotations

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
    if any(_has_han_or_kana(post.title) or _has_han_or_kana(post.html) for post in posts):
        return "zh"
    return site_language.split("-")[0].lower()


@lru_cache(maxsize=8192)  # while serving, an unchanged post's body is the same string: scanned once
def _has_han_or_kana(text: str) -> bool:
    return _HAN_OR_KANA.search(text) is not None


def build_index(folder: Path, language: str, *, output: Path | None = None, nice: bool = False) -> None:
    """Run the bundled Pagefind binary over a written (not yet published) site folder.

    The index goes to `folder/pagefind/`, or to `output`; `nice` runs it at low CPU
    priority (the dev server indexes in the background while the browser reloads).
    """
    command = [str(_executable()), "--site", str(folder), "--force-language", language,
               "--exclude-selectors", IGNORED, "--silent"]
    if output is not None:
        command += ["--output-path", str(output)]
    if nice and shutil.which("nice"):
        command = ["nice", "-n", "10", *command]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ConfigError(f"search index: Pagefind failed: {(result.stderr or result.stdout).strip()}")


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
