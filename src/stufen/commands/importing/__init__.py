"""`stufen import SRC DEST`: another generator's site → a Stufen site folder that builds with no edits.

One module per kind of source, each offering a `common.Source` (its name, `detect(src) -> bool` and
`convert(src, dest, report)`); `import_site` asks them in turn and runs the first that recognises SRC.
SRC is only ever read; DEST must be empty (or absent), so nothing of the author's is overwritten. Add a
source kind by adding its Source to SOURCES; an Obsidian vault is told by its `.obsidian/` folder.
"""

from __future__ import annotations

from pathlib import Path

from ...errors import ConfigError
from .astropaper import SOURCE as ASTRO_PAPER
from .common import ImportReport
from .obsidian import SOURCE as OBSIDIAN

SOURCES = (ASTRO_PAPER, OBSIDIAN)


def import_site(src: Path, dest: Path, **options: str | None) -> ImportReport:
    """Convert the site in `src` into a new Stufen site in `dest`; the report says what was not carried over.
    `options` (a vault's `folder`, `tag`) apply to the kinds that name them; None is not given."""
    src, dest = src.resolve(), dest.resolve()
    if not src.is_dir():
        raise ConfigError(f"no site to import: {src} is not a folder")
    if dest == src or dest.is_relative_to(src):
        raise ConfigError(f"{dest} is inside {src}: choose a destination outside the site being imported")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ConfigError(f"{dest} is not empty: give a new or empty folder, so nothing in it is overwritten")
    source = next((kind for kind in SOURCES if kind.detect(src)), None)
    if source is None:
        known = ", ".join(kind.name for kind in SOURCES)
        raise ConfigError(f"{src} is not a site stufen can import (known: {known}; an AstroPaper site has "
                          f"src/data/blog/ or src/content/blog/; a vault has .obsidian/)")
    given = {key: value for key, value in options.items() if value is not None}
    unknown = sorted(set(given) - set(source.options))
    if unknown:
        raise ConfigError(f"--{unknown[0]} applies to an Obsidian vault; {src} is {source.name}")
    report = ImportReport(src, dest)
    dest.mkdir(parents=True, exist_ok=True)
    source.convert(src, dest, report, **given)
    report.save()
    return report
