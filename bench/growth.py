"""Does loading a post grow linearly with its size? Pathological inputs at n, 2n, 4n and 8n.

Run: .venv/bin/python bench/growth.py [base-repeats]   (default 2000)

For each shape the time per doubling is printed; about 2× is linear, 4× is
quadratic. Exits 1 when any shape grows faster than 3× per doubling, so a
regression towards quadratic time shows up here (timings never go in tests).
On a busy machine single doublings jump about; rerun before believing a ×3.

It found two: 50,000 quotes in one paragraph (markdown-it's smartquotes) and
10,000 headings with one title (the anchors plugin's unique ids); see
src/stufen/markdown.py. At the default size the largest prose post is 6.5 MB.
"""

from __future__ import annotations

import sys
import time
from pathlib import PurePosixPath

from stufen.load.post import Settings, load_post

FRONT = "---\ntitle: T\npubDatetime: 2024-05-01\ndescription: d\n---\n"
SHAPES = {
    "prose": "Small steps downhill until the loss stops falling. ",
    "unclosed emphasis": "*a _b ",
    "unclosed links": "[a ](",
    "brackets": "[[[]]",
    "backticks": "` `` ",
    "nested quotes": ">",
    "list items": "- x\n",
    "nested lists": None,  # built below: items indented deeper and deeper, 40 levels, again and again
    "html": "<span a='",
    "dollars": "$a ",
    "headings": "## h\n",
    "table rows": "| a | b |\n",
    "footnotes": "[^1] ",
    "entities": "&amp;&#x26;&",
    "tags": None,  # built below: front matter with that many distinct tags
    "prose, 5 MB at 8n": None,  # built below: 40 KB sections, so the largest is a 5 MB post
}
REPEATS = (1, 2, 4, 8)
SOURCE = PurePosixPath("content/posts/bench.md")


def document(shape: str, unit: str | None, count: int) -> str:
    if shape == "tags":
        return FRONT.replace("---\n", f"---\ntags: [{', '.join(f't{i}' for i in range(count))}]\n", 1) + "Hi.\n"
    if shape.startswith("prose, 5 MB"):
        section = "## Step\n\n" + "Small steps downhill until the loss stops falling. " * 800 + "\n\n"
        return FRONT + section * (count // 100)
    if unit is None:
        return FRONT + "".join("  " * (i % 40) + "- x\n" for i in range(count))
    if shape == "table rows":
        return FRONT + "| a | b |\n| - | - |\n" + unit * count
    return FRONT + unit * count


def seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        load_post(text.encode(), SOURCE, Settings())
        best = min(best, time.perf_counter() - started)
    return best


def main(base: int) -> int:
    worst = 0.0
    for shape, unit in SHAPES.items():
        times = [seconds(document(shape, unit, base * r)) for r in REPEATS]
        # Per doubling, averaged over the last two (from 2n to 8n): the first is mostly fixed costs,
        # and one doubling alone is at the mercy of whatever else the machine is doing.
        growth = (times[-1] / times[1]) ** 0.5 if times[1] > 0 else 0.0
        worst = max(worst, growth)
        print(f"{shape:18} " + "  ".join(f"{t * 1000:8.1f} ms" for t in times) + f"   ×{growth:.1f} per doubling")
    print(f"worst growth per doubling: ×{worst:.1f} (2 is linear, 4 is quadratic)")
    return 1 if worst > 3 else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
