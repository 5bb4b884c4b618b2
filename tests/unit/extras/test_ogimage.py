"""Open Graph cards: drawn once per distinct input, in the theme's colours, CJK, emoji and right-to-left included."""

from __future__ import annotations

import os
import shutil
import time
from io import BytesIO
from pathlib import Path, PurePosixPath

import pytest
from PIL import Image, ImageChops, ImageFont

from conftest import post
from stufen.config import Config
from stufen.errors import Problems
from stufen.extras import cards as ogimage
from stufen.extras import cardtext
from stufen.extras.cards import FONTS, Card, Colours, cached_cards, card_key, og_images, theme_colours
from stufen.extras.cardtext import missing_glyphs
from stufen.incremental.store import Store
from stufen.load.post import Settings, load_post
from stufen.site.assemble import Mode, assemble

DEJAVU_ONLY = (FONTS[0],)
CJK_TITLE = "機械学習の第一歩"
EMOJI_FONT = next((path for path in FONTS if "Emoji" in path and Path(path).is_file()), None)
ARABIC = "مقدمة في تعلم الآلة"


def cached_card(card: Card, folder=None, fonts=FONTS) -> bytes:
    return cached_cards([card], Store(folder), fonts)[0]


def image(data: bytes) -> Image.Image:
    return Image.open(BytesIO(data)).convert("RGB")


def ink(data: bytes, box=(96, 100, 1104, 420)) -> int:
    """How many pixels of the title area differ from the background."""
    img = image(data).crop(box)
    plain = Image.new("RGB", img.size, img.getpixel((0, 0)))
    return ImageChops.difference(img, plain).convert("L").point(lambda v: 255 if v else 0).histogram()[255]


def test_card_is_a_1200x630_png_in_the_theme_colours():
    colours = theme_colours(":root { --bg: #112233; --fg: #ffffff; --accent: #ff0000; --muted: #00ff00; }")
    assert colours == Colours("#112233", "#ffffff", "#ff0000", "#00ff00")
    img = image(cached_card(Card("A title", "Journal", "1 May 2024", colours), None))
    assert img.size == (1200, 630)
    assert img.getpixel((600, 600)) == (0x11, 0x22, 0x33)
    assert img.getpixel((10, 300)) == (0xFF, 0, 0)  # the accent bar


def test_theme_colours_fall_back_to_the_defaults():
    assert theme_colours("body { color: red }") == Colours()


def test_cjk_titles_are_drawn_with_a_cjk_font():
    assert missing_glyphs(CJK_TITLE + " and Latin") == ""
    assert missing_glyphs(CJK_TITLE, DEJAVU_ONLY) == CJK_TITLE
    card = Card(CJK_TITLE, "Journal", "1 May 2024")
    with_cjk, boxes_only = cached_card(card, None), cached_card(card, None, DEJAVU_ONLY)
    assert with_cjk != boxes_only
    assert ink(with_cjk) > ink(boxes_only)


def test_long_titles_wrap_and_stay_inside_the_card():
    card = Card("word " * 60, "Journal", "1 May 2024")
    img = image(cached_card(card, None))
    right_margin = img.crop((1120, 0, 1200, 500))
    assert len(right_margin.getcolors()) == 1


def test_huge_titles_and_site_names_are_cut_and_drawn_in_linear_time():
    """80,000 characters without a space were one line 3 million pixels wide (a DecompressionBombError);
    2 MB of words took minutes, wrapped whole at five sizes."""
    started = time.perf_counter()
    for title in ("x" * 80_000, "word " * 400_000, "機" * 2_000_000):
        img = image(ogimage.draw_card(Card(title, "S" * 80_000, "1 May 2024")))
        assert img.size == (1200, 630)
    assert time.perf_counter() - started < 10
    size, lines = ogimage._fit_title(ogimage._clip("x" * 80_000), FONTS, 1008, False)
    assert size == 44 and len(lines) == 3 and lines[2].endswith("…")
    width = cardtext.text_width
    assert all(width(line, size, FONTS) <= 1008 + width("…", size, FONTS) for line in lines)
    assert ogimage._fit_title("A " + "y" * 30 + " title", FONTS, 1008, False) == (72, ["A " + "y" * 19,
                                                                                      "y" * 11 + " title"])


def test_cached_by_inputs_so_an_unchanged_card_is_not_redrawn(tmp_path):
    card = Card("Title", "Journal", "1 May 2024")
    first = cached_card(card, tmp_path)
    assert Store(tmp_path).read("cards", card_key(card)) == first
    Store(tmp_path).write("cards", card_key(card), b"cached")  # a second build must take the entry, not draw again
    assert cached_card(card, tmp_path) == b"cached"
    assert cached_card(Card("Title, edited", "Journal", "1 May 2024"), tmp_path) != b"cached"
    assert len(stored_cards(tmp_path)) == 2


def test_a_damaged_card_entry_is_drawn_again_never_published(tmp_path):
    card = Card("Title", "Journal", "1 May 2024")
    first = cached_card(card, tmp_path)
    (entry,) = stored_cards(tmp_path)
    entry.write_bytes(entry.read_bytes()[:-10])  # torn, as by a power cut or an edit in place
    assert cached_card(card, tmp_path) == first
    assert Store(tmp_path).read("cards", card_key(card)) == first  # and stored whole again


def stored_cards(folder: Path) -> list[Path]:
    return [p for p in (folder / "cards").rglob("*") if p.is_file()]


def test_many_cards_are_drawn_in_parallel_in_input_order(tmp_path):
    cards = [Card(f"Post {n}", "Journal", "1 May 2024") for n in range(30)]  # above the pool's threshold
    drawn = cached_cards([*cards, cards[0]], Store(tmp_path))
    assert drawn[:30] == [cached_cards([card], Store(None))[0] for card in cards]
    assert drawn[30] == drawn[0]
    assert len(stored_cards(tmp_path)) == 30


def test_build_reuses_cached_cards(site, stufen):
    root = site({"content/posts/a.md": post(description="x")})
    assert stufen(root, "build")[0] == 0
    store = Store(root / ".stufen-cache")
    cached = stored_cards(store.folder)
    assert len(cached) == 2  # the post's card and the site's
    for path in cached:
        store.write("cards", path.name, b"from cache")
    (root / "content/posts/a.md").write_text(post(description="x") + "\nMore.\n")  # a real build, same title
    shutil.rmtree(root / "_site")  # no last site whose card could be linked: the store's is used
    assert stufen(root, "build")[0] == 0
    assert (root / "_site/og/posts/a.png").read_bytes() == b"from cache"
    assert os.stat(root / "_site/og/posts/a.png").st_nlink == 1  # a copy: editing it cannot reach the store
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert (root / "_site/og/posts/a.png").read_bytes().startswith(b"\x89PNG")


def test_missing_font_is_a_warning_naming_the_post(tmp_path):
    data = post(f'"{CJK_TITLE}"', description="x").encode()
    loaded, _ = load_post(data, PurePosixPath("content/posts/jp.md"), Settings())
    problems = Problems()
    config = Config(root=tmp_path, og_image="/og.png")
    site = assemble([loaded], config, Mode(now=loaded.published), problems)
    outputs = og_images(site, Store(None), problems, fonts=DEJAVU_ONLY)
    assert [o.path for o in outputs] == ["og/posts/jp.png"]
    assert [p.format() for p in problems.items] == [
        f"content/posts/jp.md: warning: no installed font can draw '{CJK_TITLE}' in its Open Graph image "
        "(install a font that has them, e.g. `apt-get install fonts-noto-cjk` or fonts-droid-fallback)"]


def test_posts_with_og_image_get_no_card(site, stufen):
    root = site({"stufen.toml": 'og_image = "/images/site.png"\n',
                 "static/images/site.png": "png", "static/images/a.png": "png",
                 "content/posts/a.md": post(description="x", ogImage="/images/a.png")})
    assert stufen(root, "build", "--strict")[0] == 0
    assert not (root / "_site/og").exists()
    assert 'content="/images/a.png"' in (root / "_site/posts/a/index.html").read_text()


def test_cards_can_be_turned_off_and_posts_then_share_the_sites_image(site, stufen):
    root = site({"content/posts/a.md": post(description="x"), "stufen.toml": "og_cards = false\n"})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/og/posts").exists() and (root / "_site/og/site.png").is_file()
    page = (root / "_site/posts/a/index.html").read_text()
    assert 'og:image" content="/og/site.png"' in page
    (root / "stufen.toml").write_text('og_cards = false\nog_image = "/images/me.png"\n')
    (root / "static/images").mkdir(parents=True)
    (root / "static/images/me.png").write_bytes(b"png")
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/og").exists()
    assert 'og:image" content="/images/me.png"' in (root / "_site/posts/a/index.html").read_text()


def test_an_emoji_in_a_title_never_fails_a_strict_build(site, stufen):
    root = site({"content/posts/a.md": post('"Shipping my first model 🚀"', description="x")})
    code, _, err = stufen(root, "build", "--strict")
    assert (code, "font" in err) == (0, False)
    assert (root / "_site/og/posts/a.png").read_bytes().startswith(b"\x89PNG")


def test_without_an_emoji_font_emoji_and_symbols_are_left_out_not_drawn_as_boxes(tmp_path):
    title = "Shipping my first model 🚀 👩‍💻 🇩🇪 ❤️"
    assert missing_glyphs(title, DEJAVU_ONLY) == ""
    assert cached_card(Card(title, "J", "1 May 2024"), None, DEJAVU_ONLY) == cached_card(
        Card("Shipping my first model ❤", "J", "1 May 2024"), None, DEJAVU_ONLY)  # DejaVu has a plain heart
    data = post(f'"{title}"', description="x").encode()
    loaded, _ = load_post(data, PurePosixPath("content/posts/a.md"), Settings())
    problems = Problems()
    site = assemble([loaded], Config(root=tmp_path), Mode(now=loaded.published), problems)
    og_images(site, Store(None), problems, fonts=DEJAVU_ONLY)
    assert problems.items == []


def test_text_in_a_script_no_font_has_is_still_reported():
    assert missing_glyphs("मशीन 🚀", DEJAVU_ONLY) == "मशीन"


def colourful(data: bytes, box=(96, 100, 1104, 420)) -> int:
    """Pixels of the title area that are neither grey nor the accent blue: emoji colours."""
    hue, saturation, value = image(data).crop(box).convert("HSV").split()
    vivid = ImageChops.multiply(saturation.point(lambda s: 255 * (s > 100)), value.point(lambda v: 255 * (v > 100)))
    return ImageChops.multiply(vivid, hue.point(lambda h: 255 * (not 130 < h < 160))).histogram()[255]


@pytest.mark.skipif(EMOJI_FONT is None, reason="needs fonts-noto-color-emoji")
def test_with_an_emoji_font_emoji_are_drawn_in_colour():
    rocket = cached_card(Card("Shipping my first model 🚀", "Journal", "1 May 2024"), None)
    assert colourful(rocket) > 500
    assert colourful(cached_card(Card("Shipping my first model", "Journal", "1 May 2024"), None)) == 0
    if cardtext.RAQM:  # a sequence joined with zero-width joiners is one picture, as wide as any emoji
        size = 72
        assert cardtext.text_width("👩\u200d💻", size, FONTS) == cardtext.text_width("🚀", size, FONTS)


def title_box(data: bytes) -> tuple[int, int, int, int]:
    """Where the title's ink is (right of the accent bar)."""
    title = image(data).crop((24, 100, 1200, 420))
    box = ImageChops.difference(title, Image.new("RGB", title.size, title.getpixel((0, 0)))).getbbox()
    return box[0] + 24, box[1] + 100, box[2] + 24, box[3] + 100


def test_right_to_left_titles_are_right_aligned_and_read_from_the_right():
    first_word, two_words = (cached_card(Card(text, "Journal", "1 May 2024"), None)
                             for text in ("مقدمة", "مقدمة في"))
    one, two = title_box(first_word), title_box(two_words)
    assert 1090 <= one[2] <= 1104 and one[2] == two[2]  # against the right margin
    assert two[0] < one[0]  # the second word is to the left of the first
    right = (one[0] - 2, 100, 1104, 420)
    assert image(first_word).crop(right) == image(two_words).crop(right)


@pytest.mark.skipif(not cardtext.RAQM, reason="Pillow without Raqm cannot shape text")
def test_arabic_is_shaped_into_joined_letters():
    shaped = ImageFont.truetype(FONTS[0], 72, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(FONTS[0], 72, layout_engine=ImageFont.Layout.BASIC)
    assert cardtext.text_width(ARABIC, 72, FONTS, rtl=True) == round(shaped.getlength(ARABIC, direction="rtl"))
    assert cardtext.text_width(ARABIC, 72, FONTS, rtl=True) < basic.getlength(ARABIC)  # joined forms are narrower


def test_runs_in_other_fonts_are_ordered_as_the_bidi_algorithm_orders_them():
    placed, _ = cardtext.layout("مرحبا 世界 and 中文", 72, FONTS, rtl=True)
    assert [run.text for run, _, _ in placed] == ["世界", " and ", "中文", "مرحبا "]
    placed, _ = cardtext.layout("Learn مرحبا 世界", 72, FONTS)
    assert [run.text for run, _, _ in placed] == ["Learn مرحبا ", "世界"]



def test_a_deferred_card_hands_its_bytes_over_and_keeps_none(tmp_path):
    card = Card("Title", "Journal", "1 May 2024")
    (draw,) = cached_cards([card], Store(tmp_path), defer=True)
    first = draw.result()
    assert draw.job is None  # 5000 cards of ~20 KiB would otherwise stay in the build's memory
    assert first == cached_card(card) and draw.result() == first  # asked again: read back from the store
