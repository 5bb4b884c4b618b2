"""The floor: the plainest build of a make_corpus.py corpus a Python generator can do with Stufen's libraries.

Run: .venv/bin/python bench/floor.py SITE [-o OUT]   (SITE holds content/**/*.md; OUT defaults to SITE/_floor)
     Run by bench/builds.py beside Stufen and Pelican; alone it just builds and prints the time.

Stufen's speed is reported against this, not against a guess: any Python static site generator
that parses the same Markdown with the same libraries pays at least this. What it does, and
nothing more:

- reads every `content/**/*.md`, splits the YAML front matter off and loads it with PyYAML
  (`yaml.safe_load`, as python-frontmatter does), skips `draft: true`;
- renders the body with markdown-it-py's `commonmark` preset plus `table`, and fenced code with
  Pygments (`HtmlFormatter`, the fence's lexer by name, plain text when unknown);
- renders each post into ONE Jinja template and writes `posts/<slug>/index.html`: this runs in a
  process pool of one worker per core (`os.cpu_count()`), posts in chunks, each worker writing its
  own pages so no HTML crosses a process boundary; the worker returns only title, date and tags;
- in the parent, with the same template: one page per tag (`tags/<tag>/`, every post of the tag,
  no pagination), the tags index, the archives and the home page (the 10 newest), all plain lists
  of links.

That is the page set Stufen's lean build writes (one page per post, tag pages, archives, index),
without what the floor leaves out on purpose, which Stufen does and pays for: typographic quotes
and replacements, GFM extras (strikethrough, autolinks, task lists, footnotes, alerts), definition
lists, math, heading anchors and the table of contents, raw-HTML link rewriting, link and anchor
checking, validating front matter with errors at a line, dates in a timezone, slugs from titles,
series and prev/next, paginated lists, feeds, sitemap, robots, 404, the music page, static assets,
the search index, Open Graph cards, any cache or incremental rebuild, and an atomic site swap
(OUT is removed and written in place). A build of the floor is always cold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml
from jinja2 import Environment
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="/">Bench</a> <a href="/archives/">Archives</a> <a href="/tags/">Tags</a></header>
<main><h1>{{ title }}</h1>
{% if body %}<p><time>{{ date }}</time>{% for tag in tags %} <a href="/tags/{{ tag }}/">#{{ tag }}</a>{% endfor %}</p>
<article>{{ body }}</article>
{% else %}<ul>{% for post in posts %}
<li><a href="/posts/{{ post.slug }}/">{{ post.title }}</a> <time>{{ post.date }}</time></li>
{% endfor %}</ul>{% endif %}</main></body></html>
"""
_FORMATTER = HtmlFormatter()


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang)
    except ClassNotFound:
        return ""  # markdown-it escapes it itself
    return highlight(code, lexer, _FORMATTER)


# Made once in the parent; the forked workers inherit them.
MD = MarkdownIt("commonmark", {"highlight": _highlight}).enable("table")
PAGE = Environment(autoescape=True).from_string(TEMPLATE)


def _write(out: Path, url: str, html: str) -> None:
    folder = out / url
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")


def _post(path: Path, out: Path) -> dict | None:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    if meta.get("draft"):
        return None
    slug, date, tags = meta.get("slug") or path.stem, str(meta["pubDatetime"]), list(meta.get("tags") or ())
    html = PAGE.render(title=meta["title"], date=date, tags=tags, body=MD.render(body))
    _write(out, f"posts/{slug}", html)
    return {"slug": slug, "title": meta["title"], "date": date, "tags": tags}


def _chunk(paths: list[Path], out: Path) -> list[dict]:
    return [post for post in (_post(p, out) for p in paths) if post]


def build(site: Path, out: Path) -> int:
    """Build SITE/content into OUT; returns the number of pages written."""
    shutil.rmtree(out, ignore_errors=True)
    paths = sorted((site / "content").rglob("*.md"))
    workers = os.cpu_count() or 1
    size = max(1, len(paths) // (workers * 8))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(workers) as pool:
        posts = [post for done in pool.map(_chunk, chunks, [out] * len(chunks)) for post in done]
    posts.sort(key=lambda post: post["date"], reverse=True)
    tags: dict[str, list[dict]] = {}
    for post in posts:
        for tag in post["tags"]:
            tags.setdefault(tag, []).append(post)
    for tag, tagged in tags.items():
        _write(out, f"tags/{tag}", PAGE.render(title=f"#{tag}", posts=tagged))
    _write(out, "tags", PAGE.render(title="Tags", posts=[{"slug": f"../tags/{t}", "title": t, "date": len(p)}
                                                         for t, p in sorted(tags.items())]))
    _write(out, "archives", PAGE.render(title="Archives", posts=posts))
    _write(out, "", PAGE.render(title="Bench", posts=posts[:10]))
    return len(posts) + len(tags) + 3


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("-o", "--out", type=Path)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pages = build(args.site, args.out or args.site / "_floor")
    print(f"floor: {pages} pages in {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
