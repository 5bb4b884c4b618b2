"""Smaller WebP copies of an image wider than the content column, for a `srcset`.

A phone should not download a 3000-pixel screenshot to show it 360 pixels wide. Each copy
is made with Pillow once and kept in the store (`images/<key>`, keyed by the source
bytes, the width and the quality), so the next build reads it instead of encoding
again. The original stays the `src` and the widest `srcset` entry: a browser without
WebP, or a screen that wants every pixel, still gets it.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from ..incremental.pool import parallel_map
from ..incremental.store import Store, seal_into

COLUMN = 736  # CSS pixels of the content column: .wrap's 48rem less its 1rem padding on each side
WIDTHS = (COLUMN, 2 * COLUMN)  # one copy for ordinary screens, one for 2× screens
SIZES = f"(max-width: 48rem) calc(100vw - 2rem), {COLUMN}px"
QUALITY = 80
RESIZABLE = (".png", ".jpg", ".jpeg", ".webp")  # GIFs may move and SVGs scale by themselves
IMAGE_MS = 300  # CPU ms to decode an image and make its copies (0.3–1 s for a 2400×1600 photo, measured): ≥ 1 a pool


def widths_for(size: tuple[int, int], suffix: str) -> tuple[int, ...]:
    """The widths of the copies an image of `size` gets: those of `WIDTHS` narrower than it."""
    if suffix.lower() not in RESIZABLE:
        return ()
    return tuple(w for w in WIDTHS if w < size[0])


def webp_copies(images: list[tuple[bytes, tuple[int, ...]]], store: Store) -> list[dict[int, bytes]]:
    """The WebP copies (width → bytes) of each (source bytes, widths), from the store or made, one job per image
    so it is decoded once (in worker processes when worth it). A width is left out where the image cannot be
    read or the copy would not be smaller than the source."""
    keys = [{w: Store.key("images", data, w, QUALITY) for w in widths} for data, widths in images]
    found = {key: store.read("images", key) for k in keys for key in k.values()}
    jobs: dict[str, tuple[bytes, dict[int, str]]] = {}  # an image shown twice is made once
    for (data, _), k in zip(images, keys, strict=True):
        missing = {w: key for w, key in k.items() if found[key] is None}
        if missing:
            jobs.setdefault(next(iter(missing.values())), (data, missing))
    made = parallel_map(_encode, [(data, tuple((w, store.entry("images", key)) for w, key in missing.items()))
                                  for data, missing in jobs.values()], ms_each=IMAGE_MS)
    for (_, missing), copies in zip(jobs.values(), made, strict=True):
        found.update((key, copies.get(w, b"")) for w, key in missing.items())
    return [{w: found[key] for w, key in k.items() if found[key] and len(found[key]) < len(data)}
            for (data, _), k in zip(images, keys, strict=True)]


def _encode(job: tuple[bytes, tuple[tuple[int, Path | None], ...]]) -> dict[int, bytes]:
    """An image's copies at each width, each sealed into its store entry here (in the worker, when there are
    workers); an unreadable image, or an animated one, gets none."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # Pillow (~40 ms) loads with the first picture

    data, wanted = job
    made = {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # no copies of a decompression bomb
            with Image.open(io.BytesIO(data)) as opened:
                if getattr(opened, "is_animated", False):
                    return {}
                picture = ImageOps.exif_transpose(opened)
                picture = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info
                                          else "RGB")
                for width, entry in wanted:
                    height = max(1, round(picture.height * width / picture.width))
                    out = io.BytesIO()
                    picture.resize((width, height), Image.Resampling.LANCZOS).save(out, "WEBP", quality=QUALITY)
                    seal_into(entry, out.getvalue())
                    made[width] = out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        return {}
    return made
