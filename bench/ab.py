"""A/B: the same builds with two Stufen source trees, interleaved, so machine noise hits both alike.

Run: .venv/bin/python bench/ab.py OLD_SRC NEW_SRC [--posts 300] [--repeat 5]
     (each *_SRC is a folder holding the `stufen` package, e.g. a git worktree's src/)

For each round, in alternating order, each tree builds a make_corpus.py corpus in a
fresh process: cold (no cache, no site), lean cold (search and cards off), no change
(cache warm), one edit (one post's body changed), and `stufen --help` (import time).
Prints the median of each and NEW/OLD. Used to check that a refactor costs nothing
measurable before it lands (issue: "no build slower than before by more than noise").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The team's corpus generator, in `shared/` beside the checkout (or beside the folder of worktrees).
CORPUS = next((p / "shared/bench/make_corpus.py" for p in ROOT.parents if (p / "shared/bench/make_corpus.py").exists()),
              ROOT.parent / "shared/bench/make_corpus.py")
TOML = 'title = "Bench"\nbase_url = "https://bench.example/"\ntimezone = "Europe/Berlin"\n'
LEAN = "search = false\nog_cards = false\n"


def run(src: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    os.sync()  # each build writes back only its own files (see builds.run)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "stufen", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def site(root: Path, posts: int, lean: bool) -> Path:
    (root / "content").mkdir(parents=True)
    subprocess.run([sys.executable, str(CORPUS), "--posts", str(posts), "--out", str(root / "content/posts")],
                   check=True, capture_output=True)
    (root / "stufen.toml").write_text(TOML + (LEAN if lean else ""))
    return root


def round_of(src: Path, work: Path, posts: int) -> dict[str, float]:
    times = {}
    for lean in (False, True):
        root = site(work / ("lean" if lean else "full"), posts, lean)
        times["lean cold" if lean else "cold"] = run(src, "-C", str(root), "build")
        if not lean:
            times["no change"] = run(src, "-C", str(root), "build")
            edited = sorted((root / "content/posts").glob("*.md"))[posts // 2]
            edited.write_text(edited.read_text() + "\nOne more sentence.\n")
            times["one edit"] = run(src, "-C", str(root), "build")
        shutil.rmtree(root, ignore_errors=True)  # a build deletes its replaced site in the background
    times["--help"] = run(src, "--help")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--posts", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    results: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
    with tempfile.TemporaryDirectory() as temp:
        for n in range(options.repeat):
            order = [("old", options.old), ("new", options.new)]
            for name, src in order if n % 2 == 0 else reversed(order):
                for key, seconds in round_of(src.resolve(), Path(temp) / f"{name}{n}", options.posts).items():
                    results[name].setdefault(key, []).append(seconds)
    print(f"{options.posts} posts, {options.repeat} interleaved rounds, medians:")
    print(f"{'build':<11}{'old':>9}{'new':>9}{'new/old':>9}")
    for key in results["old"]:
        old, new = statistics.median(results["old"][key]), statistics.median(results["new"][key])
        print(f"{key:<11}{old:>8.3f}s{new:>8.3f}s{new / old:>9.2f}")


if __name__ == "__main__":
    main()
