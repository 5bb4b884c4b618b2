"""Open Graph images: a 1200×630 card per post without `ogImage`, drawn with Pillow.

A card shows the title, the site name and the date in the theme's colours. Each
character is drawn with the first installed font that has it (`cardtext`), so a
CJK title renders too when a CJK font (fonts-noto-cjk or fonts-droid-fallback) is
installed; when none is, the build warns instead of drawing empty boxes. Emoji are
drawn in colour when fonts-noto-color-emoji is installed, else left out.
Cards are cached under `.stufen-cache/og/` by everything they are drawn from,
so an unchanged post costs one hash on the next build.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..config import CONFIG_FILE
from ..dates import short_date
from ..errors import Problems
from ..incremental.buildid import build_id
from ..incremental.pool import CARD_MS, Later, Workers, parallel_map
from ..incremental.prune import touch
from ..incremental.store import Store, read_sealed, seal_into
from ..output.write import Output, Pending
from ..render.pagememo import PageMemo
from ..report import stage
from ..routes import CARD_SIZE, SITE_CARD, og_path, output_path
from ..site.assemble import Site
from ..theme import theme_dir
from .fonts import FONT_HINT, FONTS

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .cardtext import Sticker

# Pillow and the text layout (`cardtext`) are imported where a card is keyed, checked or drawn: a build
# without cards never loads them, and importing the build costs ~40 ms less.

DRAWING_VERSION = "3"  # bump when the layout changes, so cached cards are redrawn


@dataclass(frozen=True, slots=True)
class Colours:
    background: str = "#fdfdfd"
    text: str = "#282728"
    accent: str = "#0060a0"
    muted: str = "#5c5a5c"


@dataclass(frozen=True, slots=True)
class Card:
    """Everything a card is drawn from; its fields are the cache key."""

    title: str
    site: str
    date: str
    colours: Colours = Colours()


def theme_colours(css: str) -> Colours:
    """The light palette of the theme's first `:root { … }` block (--bg, --fg, --accent, --muted)."""
    block = re.search(r":root\s*\{([^}]*)\}", css)
    found = dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,8})", block.group(1))) if block else {}
    default = Colours()
    return Colours(found.get("bg", default.background), found.get("fg", default.text),
                   found.get("accent", default.accent), found.get("muted", default.muted))


def card_key(card: Card, fonts: Sequence[str] = FONTS) -> str:
    """The card's key in the store: the card, the fonts that would draw it, whether Pillow can shape text, Stufen's and
    the layout's version."""
    return _card_key(card, tuple(fonts), build_id())


@lru_cache(maxsize=16384)  # while serving, every card's key on every rebuild
def _card_key(card: Card, fonts: tuple[str, ...], build: str) -> str:
    from .cardtext import RAQM

    text = repr((build, DRAWING_VERSION, card, _font_sizes(fonts), RAQM))
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=16)  # stat'ing every font for every card made a 1000-post rebuild 0.1 s slower
def _font_sizes(fonts: tuple[str, ...]) -> list[tuple[str, int]]:
    return [(path, os.path.getsize(path)) for path in fonts if os.path.isfile(path)]


def cached_cards(cards: Sequence[Card], store: Store, fonts: Sequence[str] = FONTS,
                 defer: bool = False, keys: Sequence[str] | None = None) -> list[bytes | CardDraw]:
    """The PNG for each card: from the store's memory or disk when drawn before, else drawn (in parallel) and stored.

    With `defer`, nothing is read or drawn now: each card is a `CardDraw` that reads its stored
    entry, or draws it, when its bytes are asked for (a build hands the missing ones to its workers).
    Cards kept in memory are those of a dev-server session (not deferred). `keys`: the cards' `card_key`s,
    when the caller has them.
    """
    keys = [card_key(card, fonts) for card in cards] if keys is None else keys
    if defer:
        drawing: dict[str, CardDraw] = {}
        for key, card in zip(keys, cards, strict=True):
            if key not in drawing:
                drawing[key] = CardDraw(card, fonts, store.entry("cards", key))
        return [drawing[key] for key in keys]
    found: dict[str, bytes] = {}
    for key in keys:
        if key not in found:
            data = store.memory.get(("card", key))
            found[key] = data if data is not None else store.read("cards", key)
    todo = {key: card for key, card in zip(keys, cards, strict=True) if found[key] is None}
    drawn = parallel_map(_draw_job, [(card, tuple(fonts)) for card in todo.values()], ms_each=CARD_MS)
    for key, data in zip(todo, drawn, strict=True):
        found[key] = data
        store.write("cards", key, data)
    for key in keys:
        store.memory["card", key] = found[key]
    return [found[key] for key in keys]


def _draw_job(args: tuple[Card, tuple[str, ...]]) -> bytes:
    return draw_card(*args)


@stage("cards")
def draw_card(card: Card, fonts: Sequence[str] = FONTS) -> bytes:
    """The card as an 8-bit palette PNG: a third of the bytes of RGB to compress, so ~4x faster to encode
    (a card with colour emoji is RGB).

    Text is drawn as coverage (0–255) on one grey layer; each region (title,
    site name, date) then maps coverage onto its own 85-step ramp from the
    background to its colour, which is how anti-aliasing would have blended it.
    """
    from PIL import Image, ImageDraw

    from .cardtext import draw_text, drawable, is_rtl, paste_stickers, text_width

    width, height = CARD_SIZE
    layer = Image.new("L", CARD_SIZE, 0)
    draw = ImageDraw.Draw(layer)
    stickers: list[Sticker] = []
    margin = 96
    title = drawable(unicodedata.normalize("NFC", _clip(card.title)), fonts)
    rtl = is_rtl(title)
    size, lines = _fit_title(title, fonts, width - 2 * margin, rtl)
    y = 120
    for line in lines:
        x = width - margin - text_width(line, size, fonts, rtl) if rtl else margin
        draw_text(draw, (x, y), line, size, fonts, stickers, rtl)
        y += int(size * 1.25)
    site = drawable(unicodedata.normalize("NFC", _clip(card.site, 120)), fonts)
    shown = _wrap(site, 40, fonts, width - 2 * margin, is_rtl(site))
    draw_text(draw, (margin, height - 120), shown[0] + ("…" if len(shown) > 1 else ""), 40, fonts, stickers,
              is_rtl(site))
    date_x = width - margin - text_width(card.date, 32, fonts)
    draw_text(draw, (date_x, height - 112), card.date, 32, fonts, stickers)
    footer = height - 140
    image = layer.point(_RAMP[0])
    for box, ramp in (((0, footer, date_x - 8, height), _RAMP[1]), ((date_x - 8, footer, width, height), _RAMP[2])):
        image.paste(layer.crop(box).point(ramp), box[:2])
    image.paste(_BAR, (0, 0, 24, height))
    colours = card.colours
    image.putpalette(_palette(colours))
    if stickers:  # colour emoji need more than the palette's 256 colours
        image = paste_stickers(image, stickers)
    out = BytesIO()
    image.save(out, format="PNG", compress_level=3, compress_type=_Z_RLE)
    return out.getvalue()


_STEPS = 85  # palette entries per colour ramp: three ramps and the accent bar fill all 256
_BAR = 3 * _STEPS
_RAMP = [[0 if v == 0 else n * _STEPS + v * (_STEPS - 1) // 255 for v in range(256)] for n in range(3)]


_Z_RLE = 3  # zlib's run-length strategy: a card is long runs of one colour, so it packs as well and encodes faster


@lru_cache(maxsize=16)
def _palette(colours: Colours) -> tuple[int, ...]:
    """The three ramps and the bar colour (the same for every card of a site: computed once)."""
    return (*_ramp(colours.background, colours.text), *_ramp(colours.background, colours.accent),
            *_ramp(colours.background, colours.muted), *_rgb(colours.accent))


def _rgb(colour: str) -> tuple[int, int, int]:
    """#rgb or #rrggbb (alpha, if any, ignored) as a tuple."""
    digits = colour.lstrip("#")
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits[:3])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _ramp(start: str, end: str) -> list[int]:
    a, b = _rgb(start), _rgb(end)
    return [round(a[k] + (b[k] - a[k]) * i / (_STEPS - 1)) for i in range(_STEPS) for k in range(3)]


def _fit_title(title: str, fonts: Sequence[str], width: int, rtl: bool) -> tuple[int, list[str]]:
    """The largest size (72 → 44 px) at which the title fits in three lines; else cut with "…"."""
    for size in (72, 64, 56, 50, 44):
        lines = _wrap(title, size, fonts, width, rtl)
        if len(lines) <= 3:
            return size, lines
    lines = lines[:3]
    lines[2] = lines[2].rstrip() + "…"
    return size, lines


_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af]+\s*|\s+")


def _clip(text: str, limit: int = 300) -> str:
    """At most `limit` characters, then "…": three lines at the smallest size hold fewer, and a title
    of megabytes would otherwise be measured whole, at every size."""
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _wrap(text: str, size: int, fonts: Sequence[str], width: int, rtl: bool) -> list[str]:
    """Greedy wrapping by words (in reading order, also right to left), and between any two CJK characters;
    a word wider than a line is broken between characters."""
    from .cardtext import text_width

    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        for part in token if text_width(token.rstrip(), size, fonts, rtl) > width else (token,):
            if line and text_width((line + part).rstrip(), size, fonts, rtl) > width:
                lines.append(line.rstrip())
                line = part.lstrip()
            else:
                line += part
    return [*lines, line.rstrip()] if line.strip() else lines or [""]


@stage("cards")
def og_images(site: Site, store: Store, problems: Problems, fonts: Sequence[str] = FONTS,
              defer: bool = False, reuse: PageMemo | None = None) -> list[Output]:
    """A card for every shown post without `ogImage`, and one for the site unless `og_image` is set.

    With `defer`, a card is not read or drawn now: it is a `Pending` output whose `CardDraw` reads it
    from the store, or is handed to the build's workers (`start_drawing`) to be drawn while the site
    is being written; and with `reuse`, an unchanged card is the last build's file, linked (a one-edit
    build of 1000 posts otherwise reads and writes 1000 cards).
    """
    config = site.config
    colours = theme_colours(_theme_css(config.root))
    cards = [(og_path(post, config), Card(post.title, config.title, short_date(post.published), colours), post)
             for post in site.posts if not post.og_image and config.og_cards]
    if not config.og_image:
        cards.append((SITE_CARD, Card(config.title, urlsplit(config.base_url).netloc or config.description,
                                      "", colours), None))
    if cards:
        from .cardtext import missing_glyphs
    for _, card, post in cards:
        missing = missing_glyphs(card.title + card.site, fonts)
        if missing:
            where = post.source if post else CONFIG_FILE
            problems.warn(where, None, f"no installed font can draw {missing!r} in its Open Graph image",
                          FONT_HINT)
    keys = [card_key(card, fonts) for _, card, _ in cards]
    images = cached_cards([card for _, card, _ in cards], store, fonts, defer=defer, keys=keys)
    outputs = [_output(output_path(path), image) for (path, _, _), image in zip(cards, images, strict=True)]
    if defer and reuse is not None:
        made = [reuse.made_elsewhere(output, ("card", key)) for output, key in zip(outputs, keys, strict=True)]
        for output, kept in zip(outputs, made, strict=True):
            if kept is not output and isinstance(output, Pending) and output.job.args[2] is not None:
                touch(output.job.args[2])  # linked from the last site, its entry unread: still in use, kept
        outputs = made
    return outputs


def _output(path: str, image: bytes | CardDraw) -> Output:
    return Pending(path, b"", image) if isinstance(image, CardDraw) else Output(path, image)


class CardDraw:
    """A card whose bytes are read from its store entry, or drawn (and stored), when first asked for.
    One whose entry is missing can be started on a worker beforehand (`start`)."""

    def __init__(self, card: Card, fonts: Sequence[str], entry: Path | None):
        self.args = (card, tuple(fonts), entry)
        self.job: Future | Later | None = None

    def start(self, workers: Workers) -> None:
        entry = self.args[2]
        if self.job is None and (entry is None or not entry.is_file()):
            self.job = workers.submit(_draw_stored, self.args)

    def result(self) -> bytes:
        """The card's bytes, handed over, not kept: a site's cards are ~20 KiB each, 100 MiB at 5000 posts,
        and a build writes each once. Asked again, they are read from the store again (or drawn)."""
        job, self.job = self.job or Later(_draw_stored, None, self.args), None
        return job.result()


def start_drawing(outputs: Sequence[Output], workers: Workers) -> None:
    """Queue every deferred card not yet stored on `workers` (behind whatever they already have to do)."""
    for item in outputs:
        if isinstance(item, Pending) and isinstance(item.job, CardDraw):
            item.job.start(workers)


def _draw_stored(_state, args: tuple[Card, tuple[str, ...], Path | None]) -> bytes:
    card, fonts, entry = args
    data = read_sealed(entry) if entry is not None else None
    if data is None:
        data = draw_card(card, fonts)
        seal_into(entry, data)
    return data




def _theme_css(root: Path) -> str:
    for css in (root / "static/assets/style.css", theme_dir() / "static/assets/style.css"):
        if css.is_file():
            return css.read_text(encoding="utf-8")
    return ""
