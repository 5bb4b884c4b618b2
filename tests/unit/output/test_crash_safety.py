"""Nothing lost: a build killed with SIGKILL at any moment leaves a complete site behind.

The site is edited, then rebuilt again and again in a subprocess killed after a
random delay spread over a whole build. After every kill `_site/` must be exactly
the old site or exactly the new one, never a mix or nothing; the next build must
succeed and leave no leftovers. The delays are seeded, so a failure reproduces.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXED_NOW, files, write_files

POSTS = 12
KILLS = 8


def post_text(n: int, version: int) -> str:
    code = "\n".join(f"x_{i} = {i} * {version}" for i in range(30))
    return (f"---\ntitle: Post {n} v{version}\npubDatetime: 2024-01-{n % 28 + 1:02}\ndescription: d{n}\n"
            f"tags: [t{n % 5}]\n---\n\nVersion {version} of post {n}.\n\n```python\n{code}\n```\n")


def stufen(root: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_NOW}
    return subprocess.Popen([sys.executable, "-m", "stufen", "-C", str(root), "build", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finished(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()


def test_killed_builds_leave_the_old_or_the_new_site_complete(tmp_path):
    root = write_files(tmp_path / "site", {f"content/posts/p{n}.md": post_text(n, 1) for n in range(POSTS)})
    finished(stufen(root))
    old = files(root / "_site")
    for n in range(0, POSTS, 3):
        (root / f"content/posts/p{n}.md").write_text(post_text(n, 2))
    started = time.perf_counter()
    finished(stufen(root, "--no-cache", "--out", str(tmp_path / "expected")))
    duration = time.perf_counter() - started
    new = files(tmp_path / "expected")
    assert new != old

    rng = random.Random(9)
    outcomes = []
    for _ in range(KILLS):
        if rng.random() < 0.5:
            shutil.rmtree(root / ".stufen-cache", ignore_errors=True)  # so cache entries are being written
        process = stufen(root)
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        site = files(root / "_site")
        assert site in (old, new), "after a kill at random, _site/ is neither the old nor the new site"
        outcomes.append("new" if site == new else "old")

    finished(stufen(root))
    assert files(root / "_site") == new
    for _ in range(200):  # the replaced site is removed in the background
        if not list(root.glob("._site.stufen-trash-*")):
            break
        time.sleep(0.05)
    # the site the last build replaced is kept as the spare the next build fills (output.swap.FreshFolder)
    assert sorted(p.name for p in root.iterdir()) == ["._site.stufen-spare", ".stufen-cache", "_site", "content"]
    assert "old" in outcomes, outcomes  # the kills really landed inside builds


def children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_a_killed_build(tmp_path):
    """`kill -9` of a build must not leave its worker processes running (issue: two 68 MB workers for minutes)."""
    if not Path("/proc/self/stat").is_file():
        return  # not Linux: nothing to read children from
    write_files(tmp_path, {"stufen.toml": 'title = "T"\nbase_url = "https://example.org/"\nsearch = false\n',
                           **{f"content/posts/p{n}.md": post_text(n, 1) * 3 for n in range(400)}})
    build = stufen(tmp_path, "--no-cache")
    deadline, workers = time.monotonic() + 60, set()
    while not workers and time.monotonic() < deadline and build.poll() is None:
        workers = children(build.pid)
        time.sleep(0.02)
    assert workers, "the build finished before it started workers: make the corpus larger"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)]
