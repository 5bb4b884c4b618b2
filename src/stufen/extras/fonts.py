"""The fonts Open Graph cards are drawn with: paths only, so naming them (in keys, defaults) needs no Pillow."""

_FONTS = "/usr/share/fonts"
FONTS = (  # in order of preference; the first that has a character draws it
    f"{_FONTS}/truetype/dejavu/DejaVuSans-Bold.ttf",
    f"{_FONTS}/truetype/liberation/LiberationSans-Bold.ttf",
    f"{_FONTS}/opentype/noto/NotoSansCJK-Bold.ttc",
    f"{_FONTS}/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
    f"{_FONTS}/truetype/droid/DroidSansFallbackFull.ttf",
    f"{_FONTS}/truetype/wqy/wqy-microhei.ttc",
    f"{_FONTS}/truetype/noto/NotoColorEmoji.ttf",  # colour emoji (fonts-noto-color-emoji), when installed
)
FONT_HINT = "install a font that has them, e.g. `apt-get install fonts-noto-cjk` or fonts-droid-fallback"
