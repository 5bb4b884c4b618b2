"""What a build does to every rendered page before it is remembered and written.

Two steps, in this order: local images get their sizes (found by the marks on the
body's site links), then the marks become base_url's path. This is the one place
a body's links get the base path, so a parsed post never depends on base_url.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..routes import with_base
from .images import add_image_sizes


def finish_page(html: bytes, files: Mapping[str, Path], base_path: str) -> bytes:
    """A rendered page as it is written: its images sized, its site links under `base_path`."""
    return with_base(add_image_sizes(html, files), base_path)
