"""Cost of notebook posts: loading the demo notebook, and a cold against a warm build of many copies of it.

Run: .venv/bin/python bench/notebooks.py [notebooks]   (default 50)
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

from stufen.cli import main
from stufen.load.post import Settings, load_post

DEMO = Path(__file__).parents[1] / "content/posts/2023-10-08-least-squares-notebook.ipynb"


def load_seconds(rounds: int = 20) -> float:
    data = DEMO.read_bytes()
    source = PurePosixPath("content/posts/least-squares.ipynb")
    load_post(data, source, Settings())  # the first load imports nbformat and its schema
    started = time.perf_counter()
    for _ in range(rounds):
        post, problems = load_post(data, source, Settings())
        assert post is not None, problems
    return (time.perf_counter() - started) / rounds


def main_bench(count: int) -> None:
    started = time.perf_counter()
    import nbformat  # noqa: F401  (what the first notebook costs a build)
    print(f"import nbformat: {(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"load one demo notebook (parse, validate, render): {load_seconds() * 1000:.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content/posts").mkdir(parents=True)
        (root / "stufen.toml").write_text('base_url = "https://user.github.io/journal/"\nsearch = false\n')
        text = DEMO.read_text()
        for n in range(count):
            (root / f"content/posts/n{n:03}.ipynb").write_text(text.replace("Least Squares", f"Least Squares {n}")
                                                             .replace("/posts/notes/linear-regression-by-hand/", "/"))
        for label in ("cold", "warm"):
            started = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                assert main(["-C", str(root), "build"]) == 0
            print(f"{label} build of {count} notebooks: {time.perf_counter() - started:.2f} s")
        shutil.rmtree(root / ".stufen-cache", ignore_errors=True)


if __name__ == "__main__":
    main_bench(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
