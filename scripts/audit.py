"""`make audit`: Lighthouse on home, the seed post and a tag page of the demo, served locally.

Runs npm's lighthouse with Debian's Chromium (CHROME_PATH, headless, no sandbox)
and prints the four category scores per page; exits 1 when any is below 100.
Scores are the median of RUNS runs (default 3), as Lighthouse's docs advise: the
mobile preset slows the CPU fourfold, so a busy machine alone can cost a few points
of performance in a single run. The site is served gzipped, as GitHub Pages serves it.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

from sitetools import CHROMIUM, build_demo, serve

PAGES = {"home": "", "seed post": "posts/diving-into-machine-learning/", "tag": "tags/machine-learning/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def audit(lighthouse: str, url: str, preset: str) -> dict[str, int]:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([lighthouse, url, "--quiet", "--output=json", f"--output-path={report.name}",
                        f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--no-sandbox --headless=new",
                        *(["--preset=desktop"] if preset == "desktop" else [])],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.load(open(report.name, encoding="utf-8"))
    failing = [a["id"] for a in result["audits"].values() if a.get("score") is not None and a["score"] < 1
               and a.get("scoreDisplayMode") in ("binary", "numeric")]
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    return {**scores, "failing": failing}


def median_audit(lighthouse: str, url: str, preset: str, runs: int) -> dict[str, int]:
    results = [audit(lighthouse, url, preset) for _ in range(runs)]
    scores = {c: round(statistics.median(r[c] for r in results)) for c in CATEGORIES}
    failing = sorted({a for r in results for a in r["failing"]})
    return {**scores, "failing": failing, "performance runs": [r["performance"] for r in results]}


def main(lighthouse: str) -> int:
    runs = int(os.environ.get("RUNS", "3"))
    print(f"median of {runs} run(s) per page; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    server, root = serve(build_demo())
    worst = 100
    try:
        for preset in ("mobile", "desktop"):
            for name, path in PAGES.items():
                found = median_audit(lighthouse, root + path, preset, runs)
                failing, runs_seen = found.pop("failing"), found.pop("performance runs")
                worst = min(worst, *found.values())
                print(f"{preset:8} {name:10} " + "  ".join(f"{c} {s}" for c, s in found.items())
                      + f"   (performance runs: {runs_seen})")
                if any(s < 100 for s in found.values()):
                    print(f"{'':20}below 1: {', '.join(failing)}")
    finally:
        server.shutdown()
    return 0 if worst == 100 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
