"""CPU per post of the load stage and its parts: where a cold build's `load_post` time goes.

Run: .venv/bin/python bench/markdown.py SITE [--rounds 5] [--src OLD_SRC --src NEW_SRC]
     SITE holds content/posts/*.md (e.g. `make_corpus.py --posts 1000 --out SITE/content/posts`).

Every post goes through the real load path (`load.post.load_post`, one process, no store), and
the CPU time (`time.process_time`) is split into:

- front matter: the reader's `read` (split, decode, YAML), then validating it (`rest`, below);
- parse: markdown-it's `MarkdownIt.parse` (block + inline rules, the core rules of the plugins);
- render: markdown-it's `RendererHTML.render` (with highlighting and MathML);
- passes: the rest of `render_markdown`: what is gathered from the tokens (headings, TOC, links,
  ids, words, math lines, raw-HTML links) and choosing the parser;
- rest: the rest of `load_post` (front matter fields, the Post).

The methods are wrapped at class level, so the same script measures any version of the code. A
round is one fresh process loading every post once: a cold build, with lru_caches empty. With
`--src`, rounds of each source tree run interleaved (A B A B …), so machine noise hits both alike;
the medians over rounds are printed per tree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

PARTS = ("whole", "front matter", "parse", "render", "passes", "rest")


def one_round(site: Path) -> dict[str, float]:
    """CPU ms per post of each part, loading every post of `site` once."""
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML

    from stufen.load import post as post_module
    from stufen.load import readers

    spent = dict.fromkeys(PARTS, 0.0)

    def timed(part, function):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[part] += time.process_time() - start
        return wrapper

    MarkdownIt.parse = timed("parse", MarkdownIt.parse)
    RendererHTML.render = timed("render", RendererHTML.render)
    readers.MarkdownReader.read = timed("front matter", readers.MarkdownReader.read)
    readers.render_markdown = timed("markdown", readers.render_markdown)
    spent["markdown"] = 0.0

    settings = post_module.Settings()
    files = sorted((site / "content" / "posts").glob("*.md"))
    data = [(path.read_bytes(), PurePosixPath("content/posts") / path.name) for path in files]
    post_module.load_post(b"---\ntitle: x\npubDatetime: 2024-01-01\n---\n*warm* `up`\n",
                          PurePosixPath("content/posts/warm.md"), settings)  # imports, not caches of content
    spent.update(dict.fromkeys(spent, 0.0))
    start = time.process_time()
    for raw, source in data:
        post_module.load_post(raw, source, settings)
    spent["whole"] = time.process_time() - start
    spent["passes"] = spent["markdown"] - spent["parse"] - spent["render"]
    spent["rest"] = spent["whole"] - spent["markdown"] - spent["front matter"]
    return {part: 1000 * spent[part] / len(data) for part in PARTS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--src", action="append", default=[], help="a Stufen src/ folder; give two to compare")
    parser.add_argument("--json", action="store_true", help="print one round as JSON (used with --src)")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(one_round(args.site)))
        return
    trees = args.src or [None]
    results: dict[str | None, list[dict[str, float]]] = {tree: [] for tree in trees}
    for _ in range(args.rounds):
        for tree in trees:
            env = {**os.environ, **({"PYTHONPATH": str(Path(tree).resolve())} if tree else {})}
            out = subprocess.run([sys.executable, __file__, str(args.site), "--json"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            results[tree].append(json.loads(out))
    print(f"CPU ms per post, median of {args.rounds} rounds ({args.site})")
    print(f"{'':30}" + "".join(f"{part:>13}" for part in PARTS))
    for tree, rounds in results.items():
        medians = [statistics.median(r[part] for r in rounds) for part in PARTS]
        print(f"{str(tree or 'this')[-30:]:30}" + "".join(f"{m:13.2f}" for m in medians))


if __name__ == "__main__":
    main()
