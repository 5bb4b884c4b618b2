"""Which Stufen is running: its version plus the bytes of its own source files.

Everything remembered between builds (the store's posts, cards and shards, the page
memo, the "nothing changed" record) is keyed by this rather than `__version__`
alone: Stufen's code changed in a checkout or an editable install, without a new
version number, must never leave output built by the old code in place. It hashes
the files' contents, never their modification times, so two installs of the same
source (a fresh CI checkout, a reinstall) share one cache.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from .. import __version__

PACKAGE = Path(__file__).parents[1]


@lru_cache(maxsize=1)  # the code a process runs does not change under it
def build_id() -> str:
    """"0.1.0+<digest of every package file's path and bytes>" (the theme is stamped as a site input)."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "theme"))
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, PACKAGE)}\0{len(data)}\0".encode())
            digest.update(data)
    return f"{__version__}+{digest.hexdigest()[:16]}"
