"""The Jinja environment: the site's templates first, then the bundled theme's.

Autoescape is on and undefined names are errors (StrictUndefined), so a typo in
a template fails the build instead of silently printing nothing. Every internal
URL comes from `routes` (a global: `routes.post_url(post.slug)`, `routes.TAGS`) and
goes through the `url` filter, which applies base_url's path.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from pathlib import Path

import jinja2

from .. import __version__, routes
from ..config import Config
from ..dates import MONTH_NAMES, iso, short_date
from ..errors import Problems
from ..incremental.store import Store
from ..output.tree import files_under
from ..report import phase, stage
from ..routes import ABOUT, MUSIC, ROADMAP, SERIES, absolute_url, url
from ..theme import theme_dir
from .head import head_globals
from .share import share_links

# Pages that exist only when the content asks for them, linked from the footer when planned.
MORE_PAGES = ((SERIES, "Series"), (ROADMAP, "Roadmap"), (MUSIC, "Music"))


def nav_globals(urls: Collection[str]) -> dict[str, object]:
    """What the header and footer link to besides the fixed pages, given the planned page URLs.

    The build sets these on the environment for each build and adds them to the render
    fingerprints, so adding the first series post re-renders every page's footer.
    """
    return {"has_about": ABOUT in urls, "more_pages": [(u, label) for u, label in MORE_PAGES if u in urls]}


def make_env(config: Config, bytecode: Path | None = None) -> jinja2.Environment:
    """The environment; with `bytecode`, compiled templates are kept in that folder between builds
    (Jinja checks each against its source), so a build compiles only templates that changed."""
    loaders = [jinja2.FileSystemLoader(str(path)) for path in template_dirs(config)]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache(bytecode, config) if bytecode is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        url=partial(url, config.base_path),
        absolute_url=partial(absolute_url, config),
        date=short_date,
        isodate=iso,
        month_name=lambda m: MONTH_NAMES[m - 1],
        reading_time=lambda words: f"{max(1, round(words / config.words_per_minute))} min read",
    )
    env.globals.update(site=config, stufen_version=__version__, routes=routes, **nav_globals(()))
    env.globals.update(head_globals(config))
    env.globals["share_links"] = partial(share_links, config.share)
    return env


def _bytecode_cache(folder: Path, config: Config) -> jinja2.BytecodeCache | None:
    """Compiled templates keyed by Stufen's code and the whole config as well as their source: Jinja
    folds filters of constants at compile time (`{{ "/rss.xml" | url }}` becomes "/blog/rss.xml"),
    so code compiled under one base_url must never serve another."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unwritable cache only makes builds compile templates again
    return jinja2.FileSystemBytecodeCache(str(folder), f"{Store.key('templates', config)[:24]}-%s.cache")


@stage("render")
def compile_all(env: jinja2.Environment) -> None:
    """Load every template now, so forked render workers inherit them compiled rather than each
    compiling its own; a broken one is left for rendering to report with its line."""
    for name in env.list_templates():
        try:
            env.get_template(name)
        except (jinja2.TemplateError, UnicodeDecodeError, OSError):
            pass


def template_dirs(config: Config) -> list[Path]:
    """The site's own templates/ overrides the theme's, file by file."""
    own = config.root / "templates"
    theme = theme_dir() / "templates"
    return [own, theme] if own.is_dir() and own.resolve() != theme.resolve() else [theme]


@phase("plan")
def check_templates(config: Config, problems: Problems) -> None:
    """The site's templates/ by the rules every read of the author's folders follows (output.tree):
    Jinja would follow a link to any file on the machine, and render it into a page."""
    own = config.root / "templates"
    if own.resolve() != (theme_dir() / "templates").resolve():
        files_under(own, config.root, problems, skip=lambda name: name.startswith("."))
