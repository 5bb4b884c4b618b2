"""Open Graph images: a 1200×630 card per post without `ogImage`, drawn with Pillow.

A card shows the title, the site name and the date in the theme's colours. Each
character is drawn with the first installed font that has it, so a CJK title
renders too when a CJK font (fonts-noto-cjk or fonts-droid-fallback) is
installed; when none is, the build warns instead of drawing empty boxes.
Cards are cached under `.stufen-cache/og/` by everything they are drawn from,
so an unchanged post costs one hash on the next build.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont

from .buildid import build_id
from .cache import store
from .config import CONFIG_FILE, Config
from .dates import short_date
from .errors import Problems
from .model import Post
from .output import Linked, Output
from .parallel import parallel_map
from .site import Site
from .theme import theme_dir

SIZE = (1200, 630)
DRAWING_VERSION = "2"  # bump when the layout changes, so cached cards are redrawn
_FONTS = "/usr/share/fonts"
FONTS = (  # in order of preference; the first that has a character draws it
    f"{_FONTS}/truetype/dejavu/DejaVuSans-Bold.ttf",
    f"{_FONTS}/truetype/liberation/LiberationSans-Bold.ttf",
    f"{_FONTS}/opentype/noto/NotoSansCJK-Bold.ttc",
    f"{_FONTS}/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
    f"{_FONTS}/truetype/droid/DroidSansFallbackFull.ttf",
    f"{_FONTS}/truetype/wqy/wqy-microhei.ttc",
)
FONT_HINT = "install a font that has them, e.g. `apt-get install fonts-noto-cjk` or fonts-droid-fallback"


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


def missing_glyphs(text: str, fonts: Sequence[str] = FONTS) -> str:
    """The characters of `text` that no installed font in `fonts` can draw."""
    return _missing_glyphs(text, tuple(fonts))


@lru_cache(maxsize=8192)  # every post's card text on every rebuild while serving
def _missing_glyphs(text: str, fonts: tuple[str, ...]) -> str:
    loaded = _installed(fonts)
    drawn = (ch for ch in text if ch.isprintable() and not ch.isspace())
    return "".join(dict.fromkeys(ch for ch in drawn if _font_for(ch, loaded) is None))


def card_key(card: Card, fonts: Sequence[str] = FONTS) -> str:
    """Cache key: the card, the fonts that would draw it, Stufen's and the layout's version."""
    text = repr((build_id(), DRAWING_VERSION, card, _font_sizes(tuple(fonts))))
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=16)  # stat'ing every font for every card made a 1000-post rebuild 0.1 s slower
def _font_sizes(fonts: tuple[str, ...]) -> list[tuple[str, int]]:
    return [(path, os.path.getsize(path)) for path in fonts if os.path.isfile(path)]


def cached_cards(cards: Sequence[Card], folder: Path | None, fonts: Sequence[str] = FONTS,
                 memory: dict | None = None, read: bool = True) -> list[bytes | Path]:
    """The PNG for each card: from `memory` or `folder` when drawn before, else drawn (in parallel) and stored.

    With `read=False`, a card stored in `folder` is returned as its path, unread (a build links it).
    """
    memory = {} if memory is None else memory
    keys = [card_key(card, fonts) for card in cards]
    found: dict[str, bytes | Path] = {}
    for key in keys:
        if key in found:
            continue
        stored = folder / f"{key}.png" if folder is not None else None
        if ("og", key) in memory:
            found[key] = memory["og", key]
        elif stored is not None and stored.is_file():
            found[key] = stored.read_bytes() if read else stored
    todo = {key: card for key, card in zip(keys, cards, strict=True) if key not in found}
    drawn = parallel_map(_draw_job, [(card, tuple(fonts)) for card in todo.values()], serial_below=PARALLEL_FROM)
    for key, data in zip(todo, drawn, strict=True):
        found[key] = data
        if folder is not None:
            store(folder / f"{key}.png", data)
    for key in keys:
        if isinstance(found[key], bytes):
            memory["og", key] = found[key]
    return [found[key] for key in keys]


PARALLEL_FROM = 24  # cards to draw before a process pool pays for itself


def _draw_job(args: tuple[Card, tuple[str, ...]]) -> bytes:
    return draw_card(*args)


def draw_card(card: Card, fonts: Sequence[str] = FONTS) -> bytes:
    """The card as an 8-bit palette PNG: a third of the bytes of RGB to compress, so ~4x faster to encode.

    Text is drawn as coverage (0–255) on one grey layer; each region (title,
    site name, date) then maps coverage onto its own 85-step ramp from the
    background to its colour, which is how anti-aliasing would have blended it.
    """
    width, height = SIZE
    layer = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(layer)
    margin = 96
    size, lines = _fit_title(card.title, fonts, width - 2 * margin)
    y = 120
    for line in lines:
        _draw_text(draw, (margin, y), line, size, 255, fonts)
        y += int(size * 1.25)
    site = _wrap(_clip(card.site, 120), 40, fonts, width - 2 * margin)
    _draw_text(draw, (margin, height - 120), site[0] + ("…" if len(site) > 1 else ""), 40, 255, fonts)
    date_x = width - margin - _text_width(card.date, 32, fonts)
    _draw_text(draw, (date_x, height - 112), card.date, 32, 255, fonts)
    footer = height - 140
    image = layer.point(_RAMP[0])
    for box, ramp in (((0, footer, date_x - 8, height), _RAMP[1]), ((date_x - 8, footer, width, height), _RAMP[2])):
        image.paste(layer.crop(box).point(ramp), box[:2])
    image.paste(_BAR, (0, 0, 24, height))
    colours = card.colours
    image.putpalette([*_ramp(colours.background, colours.text), *_ramp(colours.background, colours.accent),
                      *_ramp(colours.background, colours.muted), *_rgb(colours.accent)])
    out = BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()


_STEPS = 85  # palette entries per colour ramp: three ramps and the accent bar fill all 256
_BAR = 3 * _STEPS
_RAMP = [[0 if v == 0 else n * _STEPS + v * (_STEPS - 1) // 255 for v in range(256)] for n in range(3)]


def _rgb(colour: str) -> tuple[int, int, int]:
    """#rgb or #rrggbb (alpha, if any, ignored) as a tuple."""
    digits = colour.lstrip("#")
    if len(digits) in (3, 4):
        digits = "".join(c * 2 for c in digits[:3])
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _ramp(start: str, end: str) -> list[int]:
    a, b = _rgb(start), _rgb(end)
    return [round(a[k] + (b[k] - a[k]) * i / (_STEPS - 1)) for i in range(_STEPS) for k in range(3)]


def _fit_title(title: str, fonts: Sequence[str], width: int) -> tuple[int, list[str]]:
    """The largest size (72 → 44 px) at which the title fits in three lines; else cut with "…"."""
    title = _clip(title)
    for size in (72, 64, 56, 50, 44):
        lines = _wrap(title, size, fonts, width)
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


def _wrap(text: str, size: int, fonts: Sequence[str], width: int) -> list[str]:
    """Greedy wrapping by words, and between any two CJK characters; a word wider than a line is broken
    between characters."""
    lines, line = [], ""
    for token in _TOKEN.findall(" ".join(text.split())):
        for part in token if _text_width(token.rstrip(), size, fonts) > width else (token,):
            if line and _text_width((line + part).rstrip(), size, fonts) > width:
                lines.append(line.rstrip())
                line = part.lstrip()
            else:
                line += part
    return [*lines, line.rstrip()] if line.strip() else lines or [""]


def _runs(text: str, size: int, fonts: Sequence[str]) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """Split text into runs that one font can draw; characters no font has use the first."""
    loaded = _installed(tuple(fonts))
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for ch in filter(str.isprintable, text):
        path = _font_for(ch, loaded) or (loaded[0] if loaded else None)
        font = _font(path, size)
        if runs and runs[-1][1] is font:
            runs[-1] = (runs[-1][0] + ch, font)
        else:
            runs.append((ch, font))
    return runs


def _draw_text(draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, fill: str,
               fonts: Sequence[str]) -> None:
    x, y = xy
    for run, font in _runs(text, size, fonts):
        draw.text((x, y), run, font=font, fill=fill)
        x += round(font.getlength(run))


def _text_width(text: str, size: int, fonts: Sequence[str]) -> int:
    return sum(round(font.getlength(run)) for run, font in _runs(text, size, fonts))


@lru_cache(maxsize=16)
def _installed(fonts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path for path in fonts if os.path.isfile(path))


@lru_cache(maxsize=64)
def _font(path: str | None, size: int):
    if path is None:
        return ImageFont.load_default(size)  # Pillow's own font: Latin only, but never missing
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def _font_for(ch: str, fonts: tuple[str, ...]) -> str | None:
    """The first font that has a glyph for `ch` (one that draws it unlike its "missing" box)."""
    if ch.isspace():
        return fonts[0] if fonts else None
    for path in fonts:
        font = _font(path, 24)
        if _glyph(font, ch) != _glyph(font, "\uffff"):
            return path
    return None


def _glyph(font: ImageFont.FreeTypeFont, ch: str) -> tuple:
    return font.getbbox(ch), bytes(font.getmask(ch))


def og_images(site: Site, folder: Path | None, problems: Problems,
              fonts: Sequence[str] = FONTS, memory: dict | None = None, link: bool = False) -> list[Output]:
    """A card for every shown post without `ogImage`, and one for the site unless `og_image` is set.

    With `link`, a card already in the cache `folder` is hard-linked into the site, not copied.
    """
    config = site.config
    colours = theme_colours(_theme_css(config.root))
    cards = [(og_path(post, config), Card(post.title, config.title, short_date(post.published), colours), post)
             for post in site.posts if not post.og_image and config.og_cards]
    if not config.og_image:
        cards.append((SITE_CARD, Card(config.title, urlsplit(config.base_url).netloc or config.description,
                                      "", colours), None))
    for _, card, post in cards:
        missing = missing_glyphs(card.title + card.site, fonts)
        if missing:
            where = post.source if post else CONFIG_FILE
            problems.warn(where, None, f"no installed font can draw {missing!r} in its Open Graph image",
                          FONT_HINT)
    images = cached_cards([card for _, card, _ in cards], folder, fonts, memory, read=not link)
    return [Linked(path.lstrip("/"), b"", image) if isinstance(image, Path) else Output(path.lstrip("/"), image)
            for (path, _, _), image in zip(cards, images, strict=True)]


SITE_CARD = "/og/site.png"


def og_path(post: Post, config: Config) -> str:
    """Where a post's image is: its own `ogImage`, the card Stufen draws for it, or (`og_cards = false`) the site's."""
    if post.og_image:
        return post.og_image
    return f"/og/posts/{post.slug}.png" if config.og_cards else site_og_path(config)


def site_og_path(config: Config) -> str:
    return config.og_image or SITE_CARD


def _theme_css(root: Path) -> str:
    for css in (root / "static/assets/style.css", theme_dir() / "static/assets/style.css"):
        if css.is_file():
            return css.read_text(encoding="utf-8")
    return ""
