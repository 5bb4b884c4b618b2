"""Cost of feeds, sitemap and Open Graph cards: a cold build (every card drawn) against a warm one.

Run: .venv/bin/python bench/feeds_og.py [posts]   (default 200)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from stufen.cli import main


def make_site(root: Path, count: int) -> None:
    (root / "content/posts").mkdir(parents=True)
    (root / "stufen.toml").write_text('base_url = "https://user.github.io/journal/"\n')
    for n in range(count):
        title = f"Post {n}: notes on gradient descent" if n % 4 else f"第{n}回 機械学習ノート"
        (root / f"content/posts/p{n:04}.md").write_text(
            f'---\ntitle: "{title}"\ndescription: "Post {n}."\npubDatetime: 2024-01-01T09:00:00Z\n'
            f'tags: ["t{n % 10}"]\n---\n\nBody of post {n}, linking [home](/).\n')


def timed(root: Path, *args: str) -> float:
    started = time.perf_counter()
    assert main(["-C", str(root), "build", *args]) == 0
    return time.perf_counter() - started


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_site(root, count)
        cold = timed(root)
        warm = timed(root)
        print(f"{count} posts: cold build {cold:.2f} s (cards drawn), warm build {warm:.2f} s (cards cached)")
