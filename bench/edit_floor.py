"""The floor of a one-edit build: the least any generator must do when one post's body changed.

Run: .venv/bin/python bench/edit_floor.py [--posts 1000 5000] [--edits 5]
     (`make bench` runs it through bench/run.py)

bench/floor.py is the floor of a cold build; this is its counterpart for the build an author waits
for while writing. For each size it makes a make_corpus.py corpus, builds it cold with Stufen (full:
search index and cards) and with the floor below, then edits the same post (a line appended to its
body) `--edits` times, each edit built by Stufen (`stufen build --profile`) and by the floor, in
fresh processes, interleaved. It prints the median wall time of each and the median of each stage.

The floor is what a one-edit build cannot avoid, done the plainest way with the same libraries:

  start      the interpreter, and imports of PyYAML, markdown-it-py, Pygments and Jinja2
  scan       list content/ and stat every post file: which ones changed (path, size, mtime)
  state      read what the last build noted of every post (slug, title, date, tags, shard):
             one pickle of plain tuples, the least a list page or a tag page needs
  parse      front matter and Markdown of the changed post (commonmark + table, Pygments)
  render     its page, with one Jinja template, written in place (a temporary file renamed);
             a body edit changes no title, date or tag, so no list page needs rendering again
  search     its Pagefind shard (the same split as Stufen's: `routes.shard_count`, `shard_of`)
             indexed again: its pages linked into a scratch folder, Pagefind run on it
  note       the state written back
  swap       what Stufen's guarantee costs (a failed build never leaves a half-written site):
             every page and index file hard-linked into a fresh folder, swapped in with a rename.
             Reported apart: the "in place" total leaves it out, the "atomic" one includes it

What the floor leaves out, which Stufen does: checking every link and anchor of the site, the
feeds, sitemap and Open Graph card of the edited post, the fingerprints that tell which pages an
edit changed (the floor knows: the benchmark only edits a body), and the seals that make a damaged
cache entry a miss rather than a wrong page.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402  (after STARTED: the imports are a stage of the floor)
import os  # noqa: E402
import pickle  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402
from jinja2 import Environment  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402
from pygments import highlight  # noqa: E402
from pygments.formatters import HtmlFormatter  # noqa: E402
from pygments.lexers import get_lexer_by_name  # noqa: E402
from pygments.util import ClassNotFound  # noqa: E402

IMPORTED = time.perf_counter()
ROOT = Path(__file__).resolve().parent.parent
OUT = "_edit_floor"
STATE = ".edit-floor-state.pickle"
TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main data-pagefind-body><h1>{{ title }}</h1><p><time>{{ date }}</time></p>
<article>{{ body }}</article></main></body></html>
"""
_FORMATTER = HtmlFormatter()


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""
    return highlight(code, lexer, _FORMATTER)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"highlight": _highlight}).enable("table")


@lru_cache(maxsize=1)
def _template():
    return Environment(autoescape=True).from_string(TEMPLATE)


def _page(path: Path) -> tuple[str, tuple]:
    """(html, (slug, title, date, tags)) of a post file."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(head)
    slug, date = meta.get("slug") or path.stem, str(meta["pubDatetime"])
    html = _template().render(title=meta["title"], date=date, body=_markdown().render(body))
    return html, (slug, meta["title"], date, tuple(meta.get("tags") or ()))


def _write(target: Path, html: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(target.name + ".tmp")
    temp.write_text(html, encoding="utf-8")
    os.replace(temp, target)


def _scan(content: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for folder, _, files in os.walk(content):
        for name in files:
            if name.endswith(".md"):
                stat = os.stat(os.path.join(folder, name))
                found[os.path.join(folder, name)] = (stat.st_size, stat.st_mtime_ns)
    return found


def _pagefind() -> str:
    from pagefind_bin_extended import get_executable

    return str(get_executable())


def _index(site: Path, pages: list[str], bundle: Path) -> None:
    """Pagefind over `pages` of `site` (linked into a scratch folder) into `bundle`."""
    scratch = bundle.with_name(bundle.name + ".scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    for page in pages:
        (scratch / "site" / page).parent.mkdir(parents=True, exist_ok=True)
        os.link(site / page, scratch / "site" / page)
    subprocess.run([_pagefind(), "--site", str(scratch / "site"), "--output-path", str(scratch / "index"),
                    "--force-language", "en", "--silent"], check=True)
    shutil.rmtree(bundle, ignore_errors=True)
    os.replace(scratch / "index", bundle)
    shutil.rmtree(scratch)


def prepare(site: Path) -> None:
    """The cold build the edits start from (not timed): every post page, its state, every shard."""
    sys.path.insert(0, str(ROOT / "src"))
    from stufen.extras.search import shard_of
    from stufen.routes import shard_count

    out = site / OUT
    shutil.rmtree(out, ignore_errors=True)
    posts = {}
    for path, stamp in _scan(site / "content").items():
        html, meta = _page(Path(path))
        page = f"posts/{meta[0]}/index.html"
        _write(out / page, html)
        posts[path] = (stamp, meta, page)
    shards = shard_count(len(posts))
    state = {path: (stamp, meta, page, shard_of(page, shards)) for path, (stamp, meta, page) in posts.items()}
    for n in range(shards):
        _index(out, [page for _, _, page, shard in state.values() if shard == n], out / "pagefind" / str(n))
    (site / STATE).write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))


def edit_build(site: Path) -> dict[str, float]:
    """One build after an edit: each stage's seconds (`start` from the process's first line)."""
    times, clock = {"start": IMPORTED - STARTED}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    out = site / OUT
    found = _scan(site / "content")
    lap("scan")
    state = pickle.loads((site / STATE).read_bytes())
    changed = [path for path, stamp in found.items() if path not in state or state[path][0] != stamp]
    lap("state")
    rendered = {path: _page(Path(path)) for path in changed}
    lap("parse")
    for path, (html, _) in rendered.items():
        _write(out / state[path][2], html)
    lap("render")
    for shard in {state[path][3] for path in changed}:
        _index(out, [page for _, _, page, n in state.values() if n == shard], out / "pagefind" / str(shard))
    lap("search")
    for path, (_, meta) in rendered.items():
        state[path] = (found[path], meta, *state[path][2:])
    (site / STATE).write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    lap("note")
    fresh = site / (OUT + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    for folder, _, files in os.walk(out):
        into = fresh / os.path.relpath(folder, out)
        into.mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(os.path.join(folder, name), into / name)
    old = site / (OUT + ".old")
    os.rename(out, old)
    os.rename(fresh, out)
    lap("swap")
    return times  # the old site is removed by the benchmark, after the timing (Stufen keeps it as its spare)


def _stufen(site: Path) -> tuple[float, dict[str, float]]:
    """`stufen build --profile` of `site`: wall seconds and its phases' wall seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    os.sync()  # each build writes back only its own files (see builds.run)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "stufen", "build", "--profile"], cwd=site, env=env,
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    phases = done.stdout[done.stdout.index("phase"):].splitlines()[1:]
    return wall, {" ".join(line.split()[:-1]): float(line.split()[-1]) for line in phases if line.strip()}


def _floor(site: Path) -> tuple[float, dict[str, float]]:
    os.sync()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--edit-build", str(site)], capture_output=True, text=True,
                          check=True)
    wall = time.perf_counter() - started
    shutil.rmtree(site / (OUT + ".old"))
    return wall, {name: float(s) for name, s in (line.split() for line in done.stdout.splitlines())}


def bench(size: int, edits: int, root: Path) -> None:
    # here, not at the top: an edit build (this file, run again) must not pay for the imports
    from builds import LEAN_TOML, STUFEN_TOML, _post, corpus, edit

    plain = corpus(root, size, "plain")
    (plain / "stufen.toml").write_text(STUFEN_TOML)
    sites = {name: root / f"{name}-{size}" for name in ("stufen full", "stufen lean", "floor")}
    for target in sites.values():
        shutil.copytree(plain, target)
    (sites["stufen lean"] / "stufen.toml").write_text(STUFEN_TOML + LEAN_TOML)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for name in ("stufen full", "stufen lean"):
        subprocess.run([sys.executable, "-m", "stufen", "build"], cwd=sites[name], env=env, check=True,
                       capture_output=True)
    prepare(sites["floor"])
    runs: dict[str, list[tuple[float, dict[str, float]]]] = {name: [] for name in sites}
    for n in range(edits):
        order = [(name, site, _floor if name == "floor" else _stufen) for name, site in sites.items()]
        for name, site, build in order if n % 2 == 0 else reversed(order):
            edit(_post(site), n)
            runs[name].append(build(site))
    print(f"\n{size} posts, one post's body edited, {edits} builds each (medians; the first edit after "
          "Stufen's cold build also makes its spare site):")
    walls = {name: statistics.median(r[0] for r in results) for name, results in runs.items()}
    for name, results in runs.items():
        stages = {stage: statistics.median(r[1].get(stage, 0.0) for r in results) for stage in results[0][1]}
        shown = "  ".join(f"{stage} {seconds:.3f}" for stage, seconds in stages.items())
        print(f"  {name:<12} wall {walls[name]:5.2f} s   {shown}")
    swap, search = (statistics.median(r[1][stage] for r in runs["floor"]) for stage in ("swap", "search"))
    floors = {"full": walls["floor"], "lean": walls["floor"] - search}
    print(f"  the floor with search: {floors['full'] - swap:.2f} s in place, {floors['full']:.2f} s atomic; "
          f"without: {floors['lean'] - swap:.2f} s, {floors['lean']:.2f} s")
    for kind, floor in floors.items():
        print(f"  stufen {kind} / the floor {'with' if kind == 'full' else 'without'} search, atomic: "
              f"{walls['stufen ' + kind] / floor:.2f}x")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    if argv[:1] == ["--edit-build"]:
        for stage, seconds in edit_build(Path(argv[1])).items():
            print(stage, f"{seconds:.4f}")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", nargs="+", type=int, default=[1000, 5000])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args(argv)
    print(time.strftime("%Y-%m-%d %H:%M %Z"), f"on {os.cpu_count()} cores")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="stufen-edit-floor-") as tmp:
        for size in args.posts:
            bench(size, args.edits, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
