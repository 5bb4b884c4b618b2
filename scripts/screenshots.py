"""`make screenshots`: the demo's home and seed post, light and dark, 390 px and 1280 px wide.

PNGs go to docs/screenshots/ (README shows them), reduced to a 128-colour palette:
a page of text looks the same and the files are a fraction of the size. Pass other
paths to look at more pages: `python scripts/screenshots.py tags/ about/`.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright
from sitetools import CHROMIUM, REPO, build_demo, serve

PAGES = {"home": "", "post": "posts/diving-into-machine-learning/"}
SIZES = {"mobile": (390, 844), "desktop": (1280, 800)}


def save_small(png: bytes, target: Path) -> None:
    with Image.open(io.BytesIO(png)) as shot:
        shot.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True)


def main(extra: list[str]) -> None:
    out = REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    pages = {**PAGES, **{p.strip("/").replace("/", "-") or "home": p for p in extra}}
    server, root = serve(build_demo())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for theme in ("light", "dark"):
            for size, (width, height) in SIZES.items():
                page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=theme)
                for name, path in pages.items():
                    page.goto(root + path)
                    target = out / f"{name}-{theme}-{size}.png"
                    save_small(page.screenshot(), target)
                    print(target.relative_to(REPO))
                page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
