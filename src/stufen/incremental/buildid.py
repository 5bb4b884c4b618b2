"""Which Stufen is running: its version plus the state of its own source files.

Everything remembered between builds (the load cache, the page memo, Open Graph
cards, the "nothing changed" stamp) is keyed by this rather than `__version__`
alone: Stufen's code changed in a checkout or an editable install, without a new
version number, must never leave output built by the old code in place.
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
    """"0.1.0+<digest of every package file's path, size and mtime>" (the theme is stamped as a site input)."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "theme"))
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, PACKAGE)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return f"{__version__}+{digest.hexdigest()[:16]}"
