"""Peak memory of Stufen builds at one size: cold full, cold lean, one edit (issue 17: ≤ 250 MiB at 5000 posts).

Run: .venv/bin/python bench/memory.py [--posts 5000] [--src SRC] [--keep FOLDER]

Peak memory is measured as bench/builds.py measures it (its `run`): the largest
sum of PSS over the build's process tree, workers and Pagefind included, sampled
every 10 ms. Full: search index and a card per post (the defaults); lean:
`search = false`, `og_cards = false`. Cold: no `.stufen-cache/`, no `_site/`;
one edit: one post's body changed, cache and last site in place.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from builds import ROOT, Stufen, corpus, fresh_copy


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the source tree to build with")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep the sites (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="stufen-memory-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        plain = corpus(root, args.posts, "plain")
        sites = {name: root / f"{name}-{args.posts}" for name in ("full", "lean")}
        for site in sites.values():
            fresh_copy(plain, site)
        full = Stufen(sites["full"], args.src.resolve(), lean=False)
        lean = Stufen(sites["lean"], args.src.resolve(), lean=True)
        rows = [("cold full", full.cold(0)), ("cold lean", lean.cold(0)), ("one edit full", full.one(1)),
                ("one edit lean", lean.one(1))]
    print(f"{args.posts} posts, {args.src}")
    print(f"{'build':<16} {'s':>7} {'peak MiB':>9}")
    for name, (seconds, mib) in rows:
        print(f"{name:<16} {seconds:>7.2f} {mib:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
