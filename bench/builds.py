"""Build times and peak memory on make_corpus.py corpora, against Pelican in the same run.

Run: .venv/bin/python bench/builds.py [SIZES…] [--repeat N] [--no-pelican]
     (default sizes 100 1000 5000; make bench runs it through bench/run.py)

For each size it builds the corpus with `stufen build` in a fresh process:
cold (no `.stufen-cache/`, no `_site/`), no-change (again, cache warm),
one-edit (one post's body changed) and "cold, lean" (cold without the search
index and Open Graph cards, which Pelican does not make), and the same corpus in Pelican's format
with Pelican (cold, then its cached rebuild after one edit). Every build is a
subprocess so interpreter start-up and imports count, as they do for an author.
Times are medians; peak memory is the largest sum of PSS over the build's
process tree (workers included), sampled every 10 ms.

Pelican runs from its own virtualenv (`.venv-pelican`, made on first use), so
its pins never touch Stufen's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"
PELICAN_VENV = ROOT / ".venv-pelican"
LEAN_TOML = "search = false\nog_cards = false\n"
STUFEN_TOML = 'title = "Bench"\nbase_url = "https://bench.example/"\ntimezone = "Europe/Berlin"\n'
PELICAN_CONF = """\
SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = {load}
CACHE_PATH = "cache"
FEED_ALL_ATOM = "feeds/all.atom.xml"
"""


def corpus(root: Path, posts: int, flavor: str) -> Path:
    folder = root / "content" / ("posts" if flavor == "plain" else "")
    subprocess.run([sys.executable, str(CORPUS), "--posts", str(posts), "--out", str(folder),
                    "--flavor", flavor], check=True, capture_output=True)
    return sorted(folder.glob("*.md"))[posts // 2]


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                ppid = int(open(f"/proc/{entry.name}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], ()))
    return found


def _pss_kib(pid: int) -> int:
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one command; fails loudly if it fails."""
    peak, done = [0], threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        while not done.wait(0.01):
            peak[0] = max(peak[0], sum(_pss_kib(p) for p in _tree(proc.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{err.decode(errors='replace')}")
    return seconds, peak[0] / 1024


def edit(post: Path, n: int) -> None:
    """Change one post's body, differently each time, the way an author would."""
    text = post.read_text(encoding="utf-8").rstrip("\n").rsplit("\n\nEdit ", 1)[0]
    post.write_text(f"{text}\n\nEdit {n}: one more sentence about what I learned today.\n", encoding="utf-8")


def stufen(root: Path, size: int, repeat: int) -> dict[str, tuple[float, float]]:
    site = root / f"stufen-{size}"
    site.mkdir()
    (site / "stufen.toml").write_text(STUFEN_TOML)
    post = corpus(site, size, "plain")
    cmd = [sys.executable, "-m", "stufen", "build"]
    cold, same, one = [], [], []
    for _ in range(repeat):
        shutil.rmtree(site / ".stufen-cache", ignore_errors=True)
        shutil.rmtree(site / "_site", ignore_errors=True)
        cold.append(run(cmd, site))
    for _ in range(repeat):
        same.append(run(cmd, site))
    for n in range(repeat):
        edit(post, n)
        one.append(run(cmd, site))
    lean = []  # like for like with generators that draw no cards and build no search index
    (site / "stufen.toml").write_text(STUFEN_TOML + LEAN_TOML)
    for _ in range(repeat):
        shutil.rmtree(site / ".stufen-cache", ignore_errors=True)
        shutil.rmtree(site / "_site", ignore_errors=True)
        lean.append(run(cmd, site))
    return {"cold": _median(cold), "no-change": _median(same), "one-edit": _median(one),
            "cold, lean": _median(lean)}


def pelican(root: Path, size: int, repeat: int) -> dict[str, tuple[float, float]]:
    site = root / f"pelican-{size}"
    site.mkdir()
    post = corpus(site, size, "pelican")
    binary = str(_pelican_venv() / "bin" / "pelican")

    def build(load: bool) -> tuple[float, float]:
        (site / "pelicanconf.py").write_text(PELICAN_CONF.format(load=load))
        return run([binary, "content", "-o", "output", "-s", "pelicanconf.py", "-q"], site)

    cold, one = [], []
    for _ in range(repeat):
        shutil.rmtree(site / "cache", ignore_errors=True)
        shutil.rmtree(site / "output", ignore_errors=True)
        cold.append(build(False))
    for n in range(repeat):
        edit(post, n)
        one.append(build(True))
    return {"cold": _median(cold), "one-edit": _median(one)}


def _pelican_venv() -> Path:
    if not (PELICAN_VENV / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run([str(PELICAN_VENV / "bin" / "pip"), "install", "--quiet", "pelican[markdown]"], check=True)
    return PELICAN_VENV


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pelican", action="store_true")
    args = parser.parse_args(argv)
    print(f"{'posts':>6} {'build':<18} {'median s':>9} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory(prefix="stufen-bench-") as tmp:
        for size in args.sizes:
            ours = stufen(Path(tmp), size, args.repeat)
            theirs = {} if args.no_pelican else pelican(Path(tmp), size, args.repeat)
            for name, (seconds, mib) in ours.items():
                print(f"{size:>6} {'stufen ' + name:<18} {seconds:>9.2f} {mib:>9.0f}")
            for name, (seconds, mib) in theirs.items():
                ratio = seconds / ours[name][0]
                lean = f" ({seconds / ours['cold, lean'][0]:.1f}x lean)" if name == "cold" else ""
                print(f"{size:>6} {'pelican ' + name:<18} {seconds:>9.2f} {mib:>9.0f}   "
                      f"stufen is {ratio:.1f}x faster{lean}")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
