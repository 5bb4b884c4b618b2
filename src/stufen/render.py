"""Render: each planned `Page` through Jinja to bytes.

A template problem (a syntax error or an undefined name in a site's own
override) becomes a ContentError naming the template and line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial

import jinja2

from .errors import ContentError, Problems
from .memo import Fingerprints
from .output import Output
from .pagememo import PageMemo
from .pages import Page

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
