"""How many search shards: the author's edit and memory against the reader's first search.

Run: .venv/bin/python bench/search_shards.py [--posts 5000] [--shards 16 32] [--latency 100]
     (`make bench` runs it through bench/run.py; needs Chromium)

Pagefind cannot update an index, so Stufen splits it into shards (`routes.shard_count`: 50 posts
a shard, at most `MAX_SHARDS`) and an edit re-indexes one. Fewer, larger shards cost the author:
each Pagefind run holds its whole shard in memory (one run per core at once) and an edit re-indexes
more pages. More, smaller shards cost the reader: the search page merges every shard, and each
one is another entry file, metadata file and index chunk to fetch for the first search.

For each shard cap this builds the same make_corpus.py corpus (full: search and cards) in a fresh
process with `routes.MAX_SHARDS` set, and prints:

  cold s, peak MiB    the cold build (peak: PSS summed over the build's process tree, Pagefind's
                      included, sampled every 10 ms, as bench/builds.py measures it)
  edit s              median of three one-edit builds (one post's body changed)
  first search        the site served over HTTP by Python's http.server, in headless Chromium
                      with `--latency` ms added to every request (Chrome's network emulation):
                      the time from typing a query to the results shown, and the requests and
                      bytes it took (medians over four queries, each in a fresh browser context)
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from builds import STUFEN_TOML, _post, corpus, edit, run
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("gradient", "kubernetes jobs", "docker", "caching")
BUILD = "import sys, stufen.routes as r; r.MAX_SHARDS = int(sys.argv[1]); from stufen.cli import main; main(['build'])"


def build(site: Path, shards: int) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return run([sys.executable, "-c", BUILD, str(shards)], site, env)


def first_search(site: Path, latency: float) -> tuple[float, int, int]:
    """Median (seconds to results, requests, bytes) of the first search on a fresh page, over QUERIES."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    samples = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            for query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency,
                                                              "downloadThroughput": -1, "uploadThroughput": -1})
                done: list = []
                page.on("requestfinished", lambda request, done=done: done.append(request))
                page.goto(root + "search/")
                page.wait_for_load_state("networkidle")
                before = len(done)
                started = time.perf_counter()
                page.fill("#search-input", query)
                page.wait_for_function("document.getElementById('search-status').textContent.length > 0",
                                       timeout=120_000)
                seconds = time.perf_counter() - started
                page.wait_for_load_state("networkidle")
                fetched = done[before:]
                samples.append((seconds, len(fetched), sum(r.sizes()["responseBodySize"] for r in fetched)))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--shards", nargs="+", type=int, default=[16, 32])
    parser.add_argument("--latency", type=float, default=100.0, help="ms added to each request")
    args = parser.parse_args(argv)
    print(time.strftime("%Y-%m-%d %H:%M %Z"), f"on {os.cpu_count()} cores; {args.posts} posts")
    print(f"{'shard cap':>9} {'shards':>6} {'cold s':>7} {'peak MiB':>8} {'edit s':>7} "
          f"{'first search s':>14} {'requests':>8} {'KiB':>6}")
    with tempfile.TemporaryDirectory(prefix="stufen-shards-") as tmp:
        plain = corpus(Path(tmp), args.posts, "plain")
        (plain / "stufen.toml").write_text(STUFEN_TOML)
        for cap in args.shards:
            site = Path(tmp) / f"cap-{cap}"
            shutil.copytree(plain, site)
            cold, peak = build(site, cap)
            edits = []
            for n in range(3):
                edit(_post(site), n)
                edits.append(build(site, cap)[0])
            shards = sum(1 for p in (site / "_site" / "pagefind").iterdir() if p.is_dir())
            seconds, requests, size = first_search(site / "_site", args.latency)
            print(f"{cap:>9} {shards:>6} {cold:>7.1f} {peak:>8.0f} {statistics.median(edits):>7.2f} "
                  f"{seconds:>14.2f} {requests:>8.0f} {size / 1024:>6.0f}", flush=True)
            shutil.rmtree(site)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
