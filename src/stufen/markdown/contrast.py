"""WCAG 2 contrast: ratios between sRGB colours, and nudging a colour until it is readable.

Used for the code highlighting stylesheet, so any Pygments style a site picks
still reaches AA (4.5:1) for every token on its code background.
"""

from __future__ import annotations

AA = 4.5


def luminance(color: str) -> float:
    """Relative luminance of "#rrggbb" (or "rrggbb"/"#rgb"), per WCAG 2."""
    hex6 = color.lstrip("#")
    if len(hex6) == 3:
        hex6 = "".join(c * 2 for c in hex6)
    channels = [int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str, background: str) -> float:
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(color: str, background: str, minimum: float = AA) -> str:
    """`color` itself when it reaches `minimum` on `background`, else the nearest mix towards
    black (light backgrounds) or white (dark ones) that does; hue is kept as far as possible."""
    if ratio(color, background) >= minimum:
        return _normal(color)
    target = 0 if luminance(background) > 0.18 else 255
    rgb = [int(_normal(color)[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 21):
        mixed = "#" + "".join(f"{round(c + (target - c) * step / 20):02x}" for c in rgb)
        if ratio(mixed, background) >= minimum:
            return mixed
    return "#000000" if target == 0 else "#ffffff"


def _normal(color: str) -> str:
    hex6 = color.lstrip("#").lower()
    return "#" + ("".join(c * 2 for c in hex6) if len(hex6) == 3 else hex6)
