"""Render: each planned `Page` through Jinja to bytes.

A template problem (a syntax error or an undefined name in a site's own
override) becomes a ContentError naming the template and line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

import jinja2

from .errors import ContentError, Problems
from .output import Output
from .pages import Page


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    html = env.get_template(page.template).render(page=page, **page.context)
    return html.encode("utf-8")


def render_all(pages: Iterable[Page], env: jinja2.Environment, problems: Problems) -> list[Output]:
    outputs = []
    reported: set[str] = set()
    for page in pages:
        try:
            outputs.append(Output(page.output_path, render_page(env, page)))
        except jinja2.TemplateError as exc:
            problem = template_problem(exc, page)
            if problem.format() not in reported:
                reported.add(problem.format())
                problems.items.append(problem)
    return outputs


def template_problem(exc: jinja2.TemplateError, page: Page) -> ContentError:
    """Point at the template file and line where Jinja knows them."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or page.template
    line = getattr(exc, "lineno", None)
    return ContentError(f"templates/{name}" if "/" not in str(name) else name, line,
                        f"template error while rendering {page.url}: {exc.message or exc}")
