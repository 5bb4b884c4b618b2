"""Where the bundled default theme lives.

In a wheel it is package data (`stufen/theme/`); in a source checkout it is the
repository's top-level `templates/` and `static/`, the same files.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def theme_dir() -> Path:
    packaged = Path(__file__).parent / "theme"
    if (packaged / "templates").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "templates").is_dir():
        return checkout
    raise RuntimeError("Stufen's default theme is missing; reinstall Stufen")
