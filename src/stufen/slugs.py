"""Turning titles, file names and tags into URL segments and element ids.

Unicode-aware on purpose: a CJK title keeps readable characters (browsers show
them; hrefs are percent-encoded by the `url` helper), while Latin letters with
accents fold to ASCII so "Über" and "uber" meet at the same URL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_]")
_SYMBOLS = {"+": " plus ", "#": " sharp ", "&": " and ", "@": " at "}
_NOT_WORD = re.compile(r"[^\w]+")
MAX_SLUG_BYTES = 200  # a slug is a folder name, and file systems stop at 255 bytes


def slugify(text: str) -> str:
    """Lowercase, hyphen-separated, ASCII where the letter has an ASCII form."""
    for symbol, word in _SYMBOLS.items():
        text = text.replace(symbol, word)
    folded = "".join(_fold(ch) for ch in text.casefold())
    slug = _NOT_WORD.sub("-", folded.replace("_", "-")).strip("-")
    return _cap(slug or _codepoints(text))


def _cap(slug: str) -> str:
    """Shorten an over-long slug, ending it with a hash of the whole so distinct ones stay distinct."""
    if len(slug.encode()) <= MAX_SLUG_BYTES:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
    head = slug.encode()[: MAX_SLUG_BYTES - 11].decode(errors="ignore").rstrip("-")
    return f"{head}-{digest}"


def _codepoints(text: str) -> str:
    """A stable, distinct slug for text with no letters at all (an emoji tag)."""
    return "-".join(f"u{ord(ch):x}" for ch in text.strip() if not ch.isspace())[:60]


def _fold(ch: str) -> str:
    """Drop accents from Latin letters; keep letters of scripts with no ASCII form."""
    if ch.isascii():
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if base.isascii() else unicodedata.normalize("NFKC", ch)


def slug_from_filename(stem: str) -> str:
    """"2023-08-11-diving-into-machine-learning" → "diving-into-machine-learning"."""
    return slugify(_DATE_PREFIX.sub("", stem)) or slugify(stem)


def heading_id(text: str) -> str:
    """GitHub-style heading ids: what AstroPaper's links to `#sections` expect."""
    lowered = text.strip().lower()
    kept = "".join(ch for ch in lowered if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-") or "section"


def valid_utf8(name: str) -> bool:
    """False for a file name holding bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
