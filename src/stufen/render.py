"""Render: each planned `Page` through Jinja to bytes.

A template problem (a syntax error or an undefined name in a site's own
override) becomes a ContentError naming the template and line, never a traceback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path

import jinja2

from .errors import ContentError, Problems
from .memo import Fingerprints
from .output import Output, Placed
from .pagememo import PageMemo
from .pages import Page
from .parallel import forked_map
from .search import INDEXED

Finish = Callable[[bytes], bytes]  # what a build does to every rendered page (build.py: image sizes)


def render_page(env: jinja2.Environment, page: Page, finish: Finish | None = None) -> bytes:
    html = env.get_template(page.template).render(page=page, **page.context).encode("utf-8")
    return finish(html) if finish is not None else html


def render_all(pages: Iterable[Page], env: jinja2.Environment, problems: Problems,
               fingerprints: Fingerprints | None = None, finish: Finish | None = None) -> list[Output]:
    """Render every page; with `fingerprints`, a page whose inputs are unchanged reuses its bytes."""
    return list(iter_render(pages, env, problems, fingerprints, finish=finish))


def iter_render(pages: Iterable[Page], env: jinja2.Environment, problems: Problems,
                fingerprints: Fingerprints | None = None, reuse: PageMemo | None = None,
                finish: Finish | None = None) -> Iterator[Output]:
    """Render page by page, so a build can write each page and let go of it (memory stays flat).

    With `reuse`, a page unchanged since the last build is linked, not rendered. A page
    that fails is reported in `problems` (once per distinct error) and skipped. `finish`
    runs over each rendered page, before it is remembered, so memos hold the final bytes.
    """
    reported: set[str] = set()
    for page in pages:
        try:
            draw = partial(render_page, env, page, finish)
            if reuse is not None:
                yield reuse.output(page, draw)
            else:
                yield Output(page.output_path, _render(draw, page, fingerprints))
        except jinja2.TemplateError as exc:
            problem = template_problem(exc, page)
            if problem.format() not in reported:
                reported.add(problem.format())
                problems.items.append(problem)


CHUNK = 32  # pages per worker task: small enough to balance, large enough that messages cost nothing
PARALLEL_FROM = 4 * CHUNK  # fewer pages render faster here than a pool starts


def render_into(pages: Sequence[Page], env: jinja2.Environment, problems: Problems, folder: Path,
                reuse: PageMemo | None = None, finish: Finish | None = None) -> Iterator[Output]:
    """`iter_render` over all cores for a large build: forked workers render chunks of pages and
    write each one into `folder` (the new site `write_site` is filling) themselves, so a page's
    bytes never cross a process boundary. What comes back, in order, is a `Placed` (or `Linked`)
    per page; the workers' page-memo entries and problems are merged here.
    """
    if len(pages) < PARALLEL_FROM:
        yield from iter_render(pages, env, problems, reuse=reuse, finish=finish)
        return
    chunks = [(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]
    reported = {problem.format() for problem in problems.items}
    state = (pages, env, reuse, finish, folder)
    for outputs, found, seen in forked_map(_render_chunk, chunks, state=state, serial_below=PARALLEL_FROM // CHUNK):
        for problem in found:
            if problem.format() not in reported:
                reported.add(problem.format())
                problems.items.append(problem)
        if reuse is not None:
            reuse.seen.update(seen[0])
            reuse.reused += seen[1]
        yield from outputs


def _render_chunk(state, bounds: tuple[int, int]):
    """In a worker: render pages[start:stop], write each into the new site, say what was placed."""
    pages, env, reuse, finish, folder = state
    problems, placed, made = Problems(), [], set()
    if reuse is not None:  # this worker's own copy: report only this chunk's entries
        reuse.seen, reuse.reused = {}, 0
    for item in iter_render(pages[bounds[0]:bounds[1]], env, problems, reuse=reuse, finish=finish):
        if type(item) is Output:
            target = folder / item.path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(item.data)
            indexed = INDEXED in item.data
            item = Placed(item.path, b"", hashlib.sha256(item.data).digest() if indexed else b"", indexed)
        placed.append(item)
    return placed, problems.items, (reuse.seen, reuse.reused) if reuse is not None else None


def _render(draw: Callable[[], bytes], page: Page, fingerprints: Fingerprints | None) -> bytes:
    if fingerprints is None:
        return draw()
    key = fingerprints.of(page)
    data = fingerprints.memo.get(key)
    if data is None:
        data = draw()
        fingerprints.memo.put(key, data, page.url)
    return data


def template_problem(exc: jinja2.TemplateError, page: Page) -> ContentError:
    """Point at the template file and line where Jinja knows them."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or page.template
    line = getattr(exc, "lineno", None)
    return ContentError(f"templates/{name}" if "/" not in str(name) else name, line,
                        f"template error while rendering {page.url}: {exc.message or exc}")
