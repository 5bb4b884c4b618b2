"""Render: each planned `Page` through Jinja to bytes.

A template problem (a syntax error or an undefined name in a site's own
override) becomes a ContentError naming the template and line, never a traceback:
one per distinct problem, however many pages it breaks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import jinja2

from ..errors import ContentError, Problems
from ..incremental.pool import Workers
from ..model import Post
from ..output.write import INDEXED, Output, Placed, in_folder, write_new
from ..report import stage
from ..site.plan import Page
from .pagememo import PageMemo

Finish = Callable[[bytes], bytes]  # what a build does to every rendered page (build.py: image sizes)


@stage("render")
def render_page(env: jinja2.Environment, page: Page, finish: Finish | None = None) -> bytes:
    html = env.get_template(page.template).render(page=page, **_with_body(page.context)).encode("utf-8")
    return finish(html) if finish is not None else html


def _with_body(context: Mapping[str, object]) -> Mapping[str, object]:
    """A post page's context with the post's body as text, read from the store where `stufen build` left it:
    a template (a site's own override too) may slice or filter `post.html` like any string."""
    post = context.get("post")
    if type(post) is Post and type(post.html) is not str:
        return {**context, "post": replace(post, html=post.body_html())}
    return context


def iter_render(pages: Iterable[Page], env: jinja2.Environment, problems: Problems, reuse: PageMemo | None = None,
                finish: Finish | None = None, failures: TemplateFailures | None = None) -> Iterator[Output]:
    """Render page by page, so a build can write each page and let go of it (memory stays flat).

    With `reuse`, a page unchanged since the last build is linked, not rendered. A page
    that fails is skipped and its problem reported in `problems` once the pages are done
    (once per distinct template, line and message, with how many pages it broke); with
    `failures`, it is only noted there, for the caller to report with other pages' failures.
    `finish` runs over each rendered page, before it is remembered, so memos hold the final bytes.
    """
    own = failures is None
    failures = TemplateFailures(env) if failures is None else failures
    for page in pages:
        try:
            draw = partial(render_page, env, page, finish)
            yield reuse.output(page, draw) if reuse is not None else Output(page.output_path, draw())
        except jinja2.TemplateError as exc:
            failures.add(exc, page)
    if own:
        problems.extend(failures.problems())


CHUNK = 32  # pages per worker task: small enough to balance, large enough that messages cost nothing


@dataclass(frozen=True, slots=True)
class RenderJob:
    """What render workers inherit (see `parallel.Workers`): the pages and how to render them, and
    `folder`, the new site `output.FreshFolder` is filling, where they write each page themselves."""

    pages: Sequence[Page]
    env: jinja2.Environment
    folder: Path
    reuse: PageMemo | None = None
    finish: Finish | None = None


def render_into(workers: Workers, problems: Problems) -> Iterator[Output]:
    """Render `workers.state` (a RenderJob) over all cores: forked workers render chunks of pages and
    write each one into the new site, so a page's bytes never cross a process boundary. The chunks
    are submitted now; what comes back as the result is consumed, in order, is a `Placed` (or
    `Linked`) per page, and the workers' page-memo entries and problems are merged here.
    """
    job: RenderJob = workers.state
    if workers.pool is None:
        return iter_render(job.pages, job.env, problems, reuse=job.reuse, finish=job.finish)
    chunks = [(start, min(start + CHUNK, len(job.pages))) for start in range(0, len(job.pages), CHUNK)]
    return _merged(workers.map(_render_chunk, chunks), job, problems)


def _merged(results: Iterator, job: RenderJob, problems: Problems) -> Iterator[Output]:
    failures = TemplateFailures(job.env)  # one problem per template mistake, over all the chunks
    for outputs, found, seen in results:
        failures.merge(found)
        if job.reuse is not None:
            job.reuse.seen.update(seen[0])
            job.reuse.reused += seen[1]
            job.reuse.rendered += seen[2]
        yield from outputs
    problems.extend(failures.problems())


def _render_chunk(state, bounds: tuple[int, int]):
    """In a worker: render pages[start:stop], write each into the new site, say what was placed."""
    job: RenderJob = state
    reuse = job.reuse
    failures, placed, made = TemplateFailures(job.env), [], set()
    if reuse is not None:  # this worker's own copy: report only this chunk's entries
        reuse.seen, reuse.reused, reuse.rendered = {}, 0, []
    for item in iter_render(job.pages[bounds[0]:bounds[1]], job.env, Problems(), reuse=reuse, finish=job.finish,
                            failures=failures):
        if type(item) is Output:
            with stage("writes"):
                write_new(in_folder(job.folder / item.path, made), item.data)
            indexed = INDEXED in item.data
            item = Placed(item.path, b"", hashlib.sha256(item.data).digest() if indexed else b"", indexed)
        placed.append(item)
    return placed, failures.pages, (reuse.seen, reuse.reused, reuse.rendered) if reuse is not None else None


class TemplateFailures:
    """Template errors of one build, by (template, line, message), with the pages each one broke.

    A typo in a partial breaks every page that includes it: that is one problem to fix,
    so it is reported once, "(on 23 pages, e.g. /posts/x/)".
    """

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.pages: dict[tuple[str, int | None, str], list[str]] = {}

    def add(self, exc: jinja2.TemplateError, page: Page) -> None:
        self.pages.setdefault(where_and_what(exc, self.env, page.template), []).append(page.url)

    def merge(self, pages: dict[tuple[str, int | None, str], list[str]]) -> None:
        """Add another's `pages` (a worker's, for the pages after these)."""
        for key, urls in pages.items():
            self.pages.setdefault(key, []).extend(urls)

    def problems(self) -> list[ContentError]:
        return [ContentError(path, line, f"template error: {message} ({_on(urls)})")
                for (path, line, message), urls in self.pages.items()]


def _on(urls: list[str]) -> str:
    return f"on {urls[0]}" if len(urls) == 1 else f"on {len(urls)} pages, e.g. {urls[0]}"


def where_and_what(exc: jinja2.TemplateError, env: jinja2.Environment, template: str) -> tuple[str, int | None, str]:
    """(templates/<name>, line, message) of a template error.

    A syntax error carries its template and line. A runtime error (an undefined name or
    attribute, a missing include) does not, but Jinja rewrites the traceback so that each
    template's frame has the template file as its file name and the template line as its
    line: the innermost such frame is where the author has to look.
    """
    message = exc.message or str(exc)
    if type(exc) is jinja2.TemplateNotFound:
        message = f"template {exc.name!r} not found"
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.name:
        return f"templates/{exc.name}", exc.lineno, message
    name, line = template, None
    names = _names(env)
    tb = exc.__traceback__
    while tb is not None:
        own = tb.tb_frame.f_globals.get("__jinja_template__")  # a frame Jinja did not rewrite
        if own is not None and own.name:
            name, line = own.name, own.get_corresponding_lineno(tb.tb_lineno)
        elif (found := names(tb.tb_frame.f_code.co_filename)) is not None:
            name, line = found, tb.tb_lineno
        tb = tb.tb_next
    return f"templates/{name}", line, message


def _names(env: jinja2.Environment) -> Callable[[str], str | None]:
    """A template file's path → its template name, for the file-system loaders of `env`."""
    loaders = getattr(env.loader, "loaders", [env.loader])
    roots = [Path(root).resolve() for loader in loaders for root in getattr(loader, "searchpath", ())]

    def name(filename: str) -> str | None:
        if filename.startswith("<") or filename.endswith(".py"):
            return None
        path = Path(filename).resolve()
        return next((path.relative_to(root).as_posix() for root in roots if path.is_relative_to(root)), None)
    return name
