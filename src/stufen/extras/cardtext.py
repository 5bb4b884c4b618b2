"""Text on Open Graph cards: which font draws each character, emoji, right-to-left and complex scripts.

Each character is drawn with the first installed font that has it, so a CJK title
renders when a CJK font is installed. Most titles go through Pillow's basic layout,
which is fast; only runs that need shaping (Arabic, Hebrew, Indic and other complex
scripts, emoji sequences) are laid out with Raqm, when Pillow has it. A title whose
first strong letter is right-to-left is set right-aligned, its runs in visual order.
Colour emoji come from a bitmap-only font (Noto Color Emoji has one 109 px strike):
they are drawn at that size, scaled, and pasted over the text as pictures. Symbols
and emoji that no font has are left out; only real text that no font has is reported.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, features

from .fonts import FONTS

COLOUR_STRIKE = 109  # the one size a CBDT colour emoji font can be drawn at
RAQM = features.check("raqm") and features.check("fribidi")  # shaping, and bidi for right-to-left runs


@dataclass(frozen=True, slots=True)
class Run:
    """Part of a line that one font draws, in logical order."""

    text: str
    path: str | None  # the font file; None: Pillow's own font
    shaped: bool = False  # laid out with Raqm: right-to-left or complex scripts, emoji sequences
    colour: bool = False  # colour emoji: pasted as a picture, not drawn as coverage


@dataclass(frozen=True, slots=True)
class Sticker:
    """Colour emoji to paste once the card is in colour: `run` at `size` px, its baseline at `xy`."""

    run: Run
    size: int
    xy: tuple[int, int]


_PLAIN = re.compile(r"[\x00-\u02ff]*")  # text that needs no care: one font per character, basic layout
_EMOJI = re.compile(
    "[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    "|[#*0-9]\ufe0f?\u20e3"  # a keycap
    "|(?:[\U0001f000-\U0001faff]|[\u00a9-\u3299]\ufe0f)"  # an emoji, or a symbol asking to be one
    "[\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]*"  # skin tone, tag sequence (subdivision flags)
    "(?:\u200d[\u00a9-\U0001faff]\ufe0f?[\U0001f3fb-\U0001f3ff]?)*"  # more joined with zero-width joiners
)
_SHAPED = re.compile(  # scripts that basic layout draws wrongly: RTL, Indic, South-East Asian, combining marks
    "[\u0300-\u036f\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1700-\u18af\u1a00-\u1b7f"
    "\ua800-\uabff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U00011000-\U000115ff]")
_JOINERS = "\u200c\u200d"  # kept inside shaped runs (Persian, Indic); invisible elsewhere


def missing_glyphs(text: str, fonts: Sequence[str] = FONTS) -> str:
    """The letters, digits and punctuation of `text` that no installed font in `fonts` can draw.

    Symbols and emoji are not counted: a card leaves them out when no font has them.
    """
    return _missing_glyphs(text, tuple(fonts))


@lru_cache(maxsize=8192)  # every post's card text on every rebuild while serving
def _missing_glyphs(text: str, fonts: tuple[str, ...]) -> str:
    known = _NOT_MISSING.setdefault(fonts, set())
    if known.issuperset(text):  # most titles: every character checked already, for an earlier title
        return ""
    loaded, missing = _installed(fonts), []
    for ch in dict.fromkeys(text):
        if ch in known:
            continue
        if not ch.isprintable() or ch.isspace() or _droppable(ch) or _font_for(ch, loaded) is not None:
            known.add(ch)
        else:
            missing.append(ch)
    return "".join(missing)


# fonts → the characters found drawable with them, or left out: a site's titles share a small alphabet, and
# checking each title's characters one by one was 0.1 s of a 1000-post build that draws no card
_NOT_MISSING: dict[tuple[str, ...], set[str]] = {}


def drawable(text: str, fonts: Sequence[str] = FONTS) -> str:
    """`text` without what no font can draw and a card leaves out (emoji, symbols), spaces collapsed."""
    return " ".join("".join(run.text for run in runs(text, tuple(fonts))).split())


def _droppable(ch: str) -> bool:
    """Symbols, emoji modifiers, variation selectors and format characters: left out when no font has them."""
    category = unicodedata.category(ch)
    return category[0] in "SC" or "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


@lru_cache(maxsize=8192)
def runs(text: str, fonts: tuple[str, ...]) -> tuple[Run, ...]:
    """`text` as runs that one font draws (logical order); what no font has is left out or, if it is
    text, drawn with the first font (as boxes: `missing_glyphs` reports it)."""
    loaded = _installed(fonts)
    plain = tuple(path for path in loaded if not _is_colour(path))
    colour = tuple(path for path in loaded if _is_colour(path))
    careful = not _PLAIN.fullmatch(text)
    pieces: list[Run] = []
    for piece, emoji in _clusters(text, careful):
        path = next((p for p in colour if _has(p, piece)), None) if emoji else None
        if path is not None:
            pieces.append(Run(piece, path, shaped=True, colour=True))
            continue
        for ch in piece:
            pieces.extend(_char_run(ch, plain, colour, pieces, careful))
    merged: list[Run] = []
    for run in pieces:
        last = merged[-1] if merged else None
        if last is not None and last.path == run.path and last.colour == run.colour:
            merged[-1] = Run(last.text + run.text, run.path, last.shaped or run.shaped, run.colour)
        else:
            merged.append(run)
    return tuple(merged)


def _clusters(text: str, careful: bool):
    """(piece, is_emoji) in order: emoji sequences whole, the rest as it is."""
    if not careful:
        yield text, False
        return
    start = 0
    for match in _EMOJI.finditer(text):
        if match.start() > start:
            yield text[start:match.start()], False
        yield match.group(), True
        start = match.end()
    if start < len(text):
        yield text[start:], False


def _char_run(ch: str, plain: tuple[str, ...], colour: tuple[str, ...], before: list[Run],
              careful: bool) -> list[Run]:
    if careful and ch in _JOINERS:
        return [Run(ch, before[-1].path, True)] if before and before[-1].shaped and not before[-1].colour else []
    if not ch.isprintable():
        return []
    path = _font_for(ch, plain)
    if path is not None:
        return [Run(ch, path, careful and (bool(_SHAPED.match(ch)) or _strong(ch) == "R"))]
    path = _font_for(ch, colour)  # a symbol only the emoji font has
    if path is not None:
        return [Run(ch, path, shaped=True, colour=True)]
    if _droppable(ch):
        return []
    return [Run(ch, plain[0] if plain else None)]


def _strong(text: str) -> str | None:
    """"R" or "L": the direction of the first strong character, None when there is none."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "R"
        if kind == "L":
            return "L"
    return None


def is_rtl(text: str) -> bool:
    """Whether a paragraph of `text` runs right to left (its first strong character does)."""
    return not _PLAIN.fullmatch(text) and _strong(text) == "R"


def layout(text: str, size: int, fonts: Sequence[str], rtl: bool = False) -> tuple[list[tuple[Run, int, str]], int]:
    """A line's runs in visual order, each with its x offset and direction, and the line's width."""
    line = runs(text, tuple(fonts))
    direction = _directions(line, rtl)
    widths = [_length(run, size, d) for run, d in zip(line, direction, strict=True)]
    placed, x = [], 0
    for i in _visual_order(direction, rtl):
        placed.append((line[i], x, direction[i]))
        x += widths[i]
    return placed, x


def text_width(text: str, size: int, fonts: Sequence[str], rtl: bool = False) -> int:
    if _PLAIN.fullmatch(text):  # the common case, without resolving directions
        return sum(_length(run, size, "ltr") for run in runs(text, tuple(fonts)))
    return layout(text, size, fonts, rtl)[1]


def draw_text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fonts: Sequence[str],
              stickers: list[Sticker], rtl: bool = False) -> None:
    """Draw `text` as coverage with its top-left at `xy`; colour emoji go to `stickers` instead."""
    x, y = xy
    baseline = y + _ascent(tuple(fonts), size)
    for run, offset, direction in layout(text, size, fonts, rtl)[0]:
        if run.colour:
            stickers.append(Sticker(run, size, (x + offset, baseline)))
        elif run.shaped and RAQM:
            draw.text((x + offset, baseline), run.text, font=_font(run.path, size, True), fill=255, anchor="ls",
                      direction=direction)
        else:  # without Raqm, right-to-left letters at least come in the right order, if unjoined
            shown = run.text[::-1] if run.shaped and direction == "rtl" else run.text
            draw.text((x + offset, baseline), shown, font=_font(run.path, size), fill=255, anchor="ls")


def paste_stickers(image: Image.Image, stickers: Sequence[Sticker]) -> Image.Image:
    """`image` in RGB with each colour emoji scaled from its strike and pasted on its baseline."""
    image = image.convert("RGB")
    for sticker in stickers:
        font = _font(sticker.run.path, sticker.size, RAQM)
        left, top, right, bottom = font.getbbox(sticker.run.text, mode="RGBA", anchor="ls")
        if right <= left or bottom <= top:
            continue
        picture = Image.new("RGBA", (right - left, bottom - top))
        ImageDraw.Draw(picture).text((-left, -top), sticker.run.text, font=font, anchor="ls", embedded_color=True)
        scale = sticker.size / COLOUR_STRIKE
        picture = picture.resize((max(1, round(picture.width * scale)), max(1, round(picture.height * scale))),
                                 Image.Resampling.LANCZOS)
        x, y = sticker.xy
        image.paste(picture, (x + round(left * scale), y + round(top * scale)), picture)
    return image


def _directions(line: Sequence[Run], rtl: bool) -> list[str]:
    """Each run's direction: its first strong character's, else its neighbours' when they agree,
    else the paragraph's (a simplified Unicode bidi algorithm, at the level of runs)."""
    strong = [_strong(run.text) for run in line]
    paragraph = "R" if rtl else "L"
    resolved = []
    for i, kind in enumerate(strong):
        if kind is None:
            before = next((k for k in reversed(strong[:i]) if k), paragraph)
            after = next((k for k in strong[i + 1:] if k), paragraph)
            kind = before if before == after else paragraph
        resolved.append("rtl" if kind == "R" else "ltr")
    return resolved


def _visual_order(direction: Sequence[str], rtl: bool) -> list[int]:
    """Indices of runs left to right: runs against the paragraph's direction one level up, then
    every sequence at or above each level reversed, highest level first (bidi rule L2)."""
    base = 1 if rtl else 0
    levels = [base + ((d == "rtl") != rtl) for d in direction]
    order = list(range(len(direction)))
    for level in range(max(levels, default=0), 0, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return order


def _length(run: Run, size: int, direction: str) -> int:
    if run.colour:
        font = _font(run.path, size, RAQM)
        return round(font.getlength(run.text) * size / COLOUR_STRIKE)
    if run.shaped and RAQM:
        return round(_font(run.path, size, True).getlength(run.text, direction=direction))
    return round(_font(run.path, size).getlength(run.text))


@lru_cache(maxsize=64)
def _ascent(fonts: tuple[str, ...], size: int) -> int:
    plain = [path for path in _installed(fonts) if not _is_colour(path)]
    return _font(plain[0] if plain else None, size).getmetrics()[0]


@lru_cache(maxsize=16)
def _installed(fonts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path for path in fonts if os.path.isfile(path))


@lru_cache(maxsize=128)
def _font(path: str | None, size: int, shaped: bool = False):
    if path is None:
        return ImageFont.load_default(size)  # Pillow's own font: Latin only, but never missing
    engine = ImageFont.Layout.RAQM if shaped and RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, COLOUR_STRIKE if _is_colour(path) else size, layout_engine=engine)


@lru_cache(maxsize=16)
def _is_colour(path: str) -> bool:
    """A bitmap-only colour font (CBDT): it loads only at its strike size."""
    try:
        ImageFont.truetype(path, 24)
        return False
    except OSError:
        ImageFont.truetype(path, COLOUR_STRIKE)
        return True


@lru_cache(maxsize=8192)
def _font_for(ch: str, fonts: tuple[str, ...]) -> str | None:
    """The first font that has a glyph for `ch` (one that draws it unlike its "missing" box)."""
    if ch.isspace():
        return fonts[0] if fonts else None
    return next((path for path in fonts if _has(path, ch)), None)


@lru_cache(maxsize=8192)
def _has(path: str, text: str) -> bool:
    font = _font(path, 24, len(text) > 1)
    return _glyph(font, text) != _glyph(font, "\uffff")


def _glyph(font: ImageFont.FreeTypeFont, text: str) -> tuple:
    return font.getbbox(text), bytes(font.getmask(text))
