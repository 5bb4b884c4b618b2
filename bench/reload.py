"""Live reload latency: from writing a post on disk to the reloaded page's DOM in real Chromium.

Runs `stufen serve --watch` as its own process on a copy of the demo journal and
on a 1000-post corpus (../shared/bench/make_corpus.py), opens a post, then edits
its title EDITS times. Each sample is the time the page's DOM shows the edit (the browser's own
clock, epoch-based) minus the time of the write: when live.js swapped <main>
in place, the moment it did; after a full reload, DOMContentLoaded.
Targets (issue 3): median ≤ 150 ms on the demo journal, ≤ 300 ms on 1000 posts.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("STUFEN_CORPUS_SCRIPT", REPO.parent / "shared/bench/make_corpus.py"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
EDITS = 20
# [update started, DOM updated], epoch ms on the browser's clock: main swapped in place, or the page reloaded
TIMES = "window.stufenUpdated ? [window.stufenHeard, window.stufenUpdated] : [performance.timeOrigin, " \
        "performance.timeOrigin + performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]"


def demo_site(folder: Path) -> tuple[Path, Path]:
    for part in ("content", "static", "templates"):
        shutil.copytree(REPO / part, folder / part)
    shutil.copy(REPO / "stufen.toml", folder / "stufen.toml")
    return folder, folder / "content/posts/2023-08-11-diving-into-machine-learning.md"


def corpus_site(folder: Path, posts: int = 1000) -> tuple[Path, Path]:
    subprocess.run([sys.executable, str(CORPUS), "--posts", str(posts), "--out", str(folder / "content/posts")],
                   check=True, stdout=subprocess.DEVNULL)
    return folder, sorted((folder / "content/posts").glob("*.md"))[posts // 2]


def serve(root: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "stufen", "-C", str(root), "serve", "--watch", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    for line in process.stdout:
        if line.startswith("Serving "):
            threading.Thread(target=process.stdout.read, daemon=True).start()  # a full pipe would stall it
            return process, line.split()[1]
    raise RuntimeError("stufen serve did not start")


def measure(browser, root: Path, post: Path) -> list[tuple[float, float]]:
    """(write → DOM ready, write → reload started) per edit, in ms."""
    process, address = serve(root)
    try:
        slug = re.search(r"^slug: *\"?([^\"\n]+)", post.read_text(), re.M)
        page = browser.new_page()
        page.goto(f"{address}posts/{slug.group(1) if slug else 'diving-into-machine-learning'}/")
        original = post.read_text(encoding="utf-8")
        samples = []
        for n in range(EDITS):
            title = f"Edited title {n}"
            page.wait_for_timeout(150)  # let the event stream reconnect after the last reload
            written = time.time()
            post.write_text(re.sub(r"^title: .*$", f'title: "{title}"', original, count=1, flags=re.M),
                            encoding="utf-8")
            expect(page.locator("h1")).to_have_text(title, timeout=10_000)
            page.wait_for_function("window.stufenUpdated !== undefined || document.readyState !== 'loading'")
            started, ready = page.evaluate(TIMES)
            samples.append((ready - written * 1000, started - written * 1000))
        post.write_text(original, encoding="utf-8")
        return samples
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        cases = [("demo journal", demo_site(Path(tmp, "demo")), 150)]
        if CORPUS.exists():
            cases.append(("1000-post corpus", corpus_site(Path(tmp, "corpus")), 300))
        else:
            print(f"skipped the 1000-post corpus: {CORPUS} not found (set STUFEN_CORPUS_SCRIPT)")
        for name, (root, post), target in cases:
            samples = measure(browser, root, post)
            totals = [total for total, _ in samples]
            median = statistics.median(totals)
            server = statistics.median(started for _, started in samples)
            print(f"reload {name}: median {median:.0f} ms, min {min(totals):.0f}, max {max(totals):.0f} "
                  f"over {len(samples)} edits (target ≤ {target} ms) {'OK' if median <= target else 'MISSED'}; "
                  f"median {server:.0f} ms until the browser hears of it (debounce, build, event)")
        browser.close()


if __name__ == "__main__":
    main()
