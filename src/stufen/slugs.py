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


# --- URL rules: how a post's path below /posts/ is made, per generator (README "URL rules") -------------------
# "stufen" is this project's own rule; the others reproduce AstroPaper's, so an imported blog keeps every URL:
#   v5  (Astro 5 glob loader + src/utils/getPath.ts): folders (minus `_…` ones) + last segment of the entry id,
#       the id being `slug:` verbatim, else the file path through github-slugger, "/index" dropped.
#   v3, v4  (Astro 2–4 content collections, pages/posts/[slug]): Astro's entry slug: `slug:` verbatim, else
#       every path segment through github-slugger, "/index" dropped.
#   v1, v2  (src/utils/slugify.ts): github-slugger of `postSlug:`, else of the title; folders are not in the URL.
URL_RULES = ("stufen", "astro-paper-v5", "astro-paper-v4", "astro-paper-v3", "astro-paper-v2", "astro-paper-v1")
_SAFE_EXTRA = frozenset("-_.~")


def github_slug(text: str) -> str:
    """github-slugger's `slug()` (used by Astro for entry slugs and by AstroPaper ≤ v4): lower-case, keep
    letters, marks, decimal digits, `_` (connector punctuation) and `-`, spaces → `-`, drop everything else."""
    kept = (ch for ch in text.lower()
            if ch in " -" or unicodedata.category(ch)[0] in "LM" or unicodedata.category(ch) in ("Nd", "Nl", "Pc"))
    return "".join(kept).replace(" ", "-")


def safe_segment(text: str) -> bool:
    """True when `text` can be a folder name and a URL segment as written: letters, marks, digits and `-_.~`,
    not `.`/`..` or a dot name, at most MAX_SLUG_BYTES. Only such explicit slugs are used verbatim."""
    return (bool(text) and not text.startswith(".") and len(text.encode()) <= MAX_SLUG_BYTES
            and all(ch in _SAFE_EXTRA or unicodedata.category(ch)[0] in "LMN" for ch in text))


def explicit_slug(text: str, nested: bool = False) -> tuple[str, bool]:
    """An author's `slug:` as the URL segment(s): verbatim when it is safe (`nested`: each "/"-separated
    segment is), else through `slugify` (the rule before verbatim slugs); the flag says whether it was kept."""
    segments = text.split("/") if nested else [text]
    if all(safe_segment(s) for s in segments):
        return text, True
    return "/".join(s for s in (slugify(s) for s in segments) if s) or slugify(text), False


def url_slug(below_posts: tuple[str, ...], rule: str, *, slug: str | None = None, post_slug: str | None = None,
             title: str = "") -> tuple[str, bool]:
    """The path below /posts/ for a post file (`below_posts`: its folders and file name) under `rule`, and
    whether an explicit slug was used as written (False: it had to be made safe, so the URL differs)."""
    *folders, name = below_posts
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    if rule == "stufen":
        path = [slugify(f) for f in folders]
        explicit = slug or post_slug
        last, kept = explicit_slug(explicit) if explicit else (slug_from_filename(stem), True)
        return "/".join([*path, last]), kept
    if rule in ("astro-paper-v1", "astro-paper-v2"):
        made = github_slug(post_slug or title)
        return (_cap(made), True) if made else (slug_from_filename(stem), False)
    entry = _astro_entry_slug([*folders, stem])
    if rule == "astro-paper-v5":
        segment, kept = explicit_slug(slug.split("/")[-1]) if slug else (entry.split("/")[-1], True)
        path = [_cap(github_slug(f)) or slug_from_filename(f) for f in folders if not f.startswith("_")]
        return "/".join([*path, segment]), kept
    return explicit_slug(slug, nested=True) if slug else (entry, True)


def _astro_entry_slug(segments: list[str]) -> str:
    """Astro's `getContentEntryIdAndSlug`: each segment through github-slugger, a trailing "/index" dropped."""
    slugs = [_cap(github_slug(s)) or slug_from_filename(s) for s in segments]  # an all-emoji name: not ""
    slug = "/".join(slugs)
    return slug[: -len("/index")] if slug.endswith("/index") else slug
