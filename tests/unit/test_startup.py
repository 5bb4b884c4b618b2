"""`stufen build` starts by importing only what its common paths run; heavy modules load where they are used.

What a process has imported is checked in a fresh interpreter, since a module is imported once per
process and the test run has imported everything already. How long anything takes is the
benchmarks' business (bench/), never a test's.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import post

# Each is imported inside the function that uses it: a card drawn or a font checked, a picture read, a
# notebook read, work worth a process pool, a formula; installed packages' metadata: a code style not built in.
DEFERRED = {
    "PIL", "stufen.extras.cardtext", "stufen.load.notebook", "stufen.load.nboutputs", "nh3", "nbformat",
    "multiprocessing", "concurrent.futures.process", "importlib.metadata", "latex2mathml",
}
# Answering "nothing changed" needs no stage: no records, templates, Markdown, YAML or highlighting.
NOT_FOR_NOTHING_CHANGED = {"stufen.build", "stufen.model", "jinja2", "markdown_it", "yaml", "pygments"} | DEFERRED


def loaded(code: str, *args: str) -> tuple[list[str], set[str]]:
    """Run `code` in a fresh interpreter: (what it printed, line by line, the modules it imported)."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    *printed, modules = done.stdout.splitlines()
    return printed, set(json.loads(modules))  # a package is there whenever any of its modules is


def run_build(root: Path) -> tuple[list[str], set[str]]:
    return loaded("from stufen.cli import main\nassert main(sys.argv[1:]) == 0", "-C", str(root), "build")


def test_importing_the_build_loads_nothing_deferred():
    _, modules = loaded("import stufen.cli, stufen.build")
    assert modules & DEFERRED == set()


def test_nothing_changed_loads_no_stage(site):
    root = site({"content/posts/a.md": post("Alpha", body="Some `code` and a [link](https://example.com/).")})
    run_build(root)
    printed, modules = run_build(root)
    assert printed[-1].startswith("Nothing changed since the last build")
    assert modules & NOT_FOR_NOTHING_CHANGED == set()


def test_a_small_rebuild_without_notebooks_cards_or_pictures_loads_none_of_their_readers(site):
    root = site({"stufen.toml": 'og_cards = false\nog_image = "https://example.com/card.png"\n',
                 "content/posts/a.md": post("Alpha"), "content/posts/b.md": post("Beta")})
    run_build(root)
    with (root / "content/posts/a.md").open("a") as file:
        file.write("One more line.\n")
    printed, modules = run_build(root)
    assert printed[-1].startswith("Built 2 posts")
    assert modules & DEFERRED - {"importlib.metadata"} == set()  # the search index asks Pagefind's version
