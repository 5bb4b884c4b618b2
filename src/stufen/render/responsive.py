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
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from ..incremental.pool import parallel_map
from ..incremental.store import Store, seal_into

COLUMN = 736  # CSS pixels of the content column: .wrap's 48rem less its 1rem padding on each side
WIDTHS = (COLUMN, 2 * COLUMN)  # one copy for ordinary screens, one for 2× screens
SIZES = f"(max-width: 48rem) calc(100vw - 2rem), {COLUMN}px"
QUALITY = 80
RESIZABLE = (".png", ".jpg", ".jpeg", ".webp")  # GIFs may move and SVGs scale by themselves
IMAGE_MS = 60  # CPU milliseconds to decode, resize and encode one copy (a 2400×1600 photo: bench in the report)


@dataclass(frozen=True, slots=True)
class Copy:
    """One WebP copy of an image: its width and its bytes."""

    width: int
    data: bytes


def widths_for(size: tuple[int, int], suffix: str) -> tuple[int, ...]:
    """The widths of the copies an image of `size` gets: those of `WIDTHS` narrower than it."""
    if suffix.lower() not in RESIZABLE:
        return ()
    return tuple(w for w in WIDTHS if w < size[0])


def webp_copies(jobs: list[tuple[bytes, int]], store: Store) -> list[bytes | None]:
    """The WebP copy of each (source bytes, width), from the store or made (in parallel when worth it);
    None where the image cannot be read or the copy would not be smaller than the source."""
    keys = [Store.key("images", data, width, QUALITY) for data, width in jobs]
    unique = {key: job for key, job in zip(keys, jobs, strict=True)}  # one image shown twice is made once
    found = {key: store.read("images", key) for key in unique}
    missing = [key for key, blob in found.items() if blob is None]
    made = parallel_map(_encode, [(*unique[key], store.entry("images", key)) for key in missing], ms_each=IMAGE_MS)
    found.update(zip(missing, made, strict=True))
    return [blob if blob and len(blob) < len(data) else None
            for blob, (data, _) in zip((found[key] for key in keys), jobs, strict=True)]


def _encode(job: tuple[bytes, int, object]) -> bytes:
    """One copy, sealed into its store entry here (in the worker, when there are workers); b"": unreadable."""
    data, width, entry = job
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # no copies of a decompression bomb
            with Image.open(io.BytesIO(data)) as picture:
                if getattr(picture, "is_animated", False):
                    return b""
                picture = ImageOps.exif_transpose(picture)
                picture = picture.convert("RGBA" if "A" in picture.getbands() or "transparency" in picture.info
                                          else "RGB")
                height = max(1, round(picture.height * width / picture.width))
                out = io.BytesIO()
                picture.resize((width, height), Image.Resampling.LANCZOS).save(out, "WEBP", quality=QUALITY,
                                                                                method=4)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        return b""
    blob = out.getvalue()
    seal_into(entry, blob)
    return blob
