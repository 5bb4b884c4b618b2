"""`stufen serve`: one writing session, gluing the build, the server and the watcher.

The server is handed a builder that runs the same `build()` as `stufen build`,
with one load cache and one render memo kept for the whole session, so a
one-post edit re-parses one file and re-renders only the pages it changes.
The site is built into `.stufen-serve/`, never `_site/`, so a preview with
drafts can never be mistaken for (or deployed as) the real build.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .build import build
from .cache import CACHE_DIR, Cache
from .config import load_config
from .dates import now
from .httpd import open_server
from .memo import Memo
from .reindex import Job, Reindexer
from .report import Report
from .serve import LiveSite
from .site import Mode
from .watch import Watcher

SERVE_DIR = ".stufen-serve"


@dataclass(frozen=True, slots=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    watch: bool = False
    drafts: bool = True  # drafts and scheduled posts are shown (and marked) while serving
    open_browser: bool = False


class Builder:
    """The server's builder: re-reads stufen.toml each time, so a config edit applies at once."""

    def __init__(self, root: Path, drafts: bool = True):
        self.root, self.drafts = root, drafts
        self.cache, self.memo = Cache(root / CACHE_DIR), Memo()

    def __call__(self) -> Report:
        mode = Mode(now(), drafts=self.drafts, future=self.drafts)
        return build(load_config(self.root), mode=mode, cache=self.cache, out=self.root / SERVE_DIR, memo=self.memo)

    def index_job(self, report: Report) -> Job | None:
        """The search index this build owes: only when a page changed (search off: none)."""
        changed = report.changed
        return self.memo.index if changed is None or any(p.endswith(".html") for p in changed) else None


make_builder = Builder


INDEX_SETTLE = 1.0  # seconds of quiet after the last rebuild before the search index is refreshed


def live_site(root: Path, drafts: bool = True, echo: Callable[[str], None] = print) -> tuple[LiveSite, Reindexer]:
    """The site of one session: built like `stufen build` but memoised, its search index refreshed
    in the background once each rebuild has been announced to the browsers."""
    folder, builder = root / SERVE_DIR, Builder(root, drafts)
    reindexer = Reindexer(folder, echo, settle=INDEX_SETTLE)
    site = LiveSite(builder, folder, load_config(root).base_path,
                    after=lambda report: reindexer.request(builder.index_job(report)))
    return site, reindexer


class Quieter:
    """Rebuild reports without the warnings the author has already seen: those shrink to a count."""

    def __init__(self):
        self.seen: set[str] = set()

    def __call__(self, report: str) -> str:
        lines = report.splitlines()
        warnings = {line for line in lines if ": warning: " in line}
        repeated = warnings & self.seen
        self.seen = warnings
        kept = [line for line in lines if line not in repeated]
        if repeated:
            kept.insert(len(kept) - 1, f"({len(repeated)} warnings as before)")
        return "\n".join(kept)


def run(root: Path, options: Options, echo: Callable[[str], None] = print) -> None:
    """Build, serve until Ctrl-C, and (with `watch`) rebuild on every change."""
    site, reindexer = live_site(root, options.drafts, echo)
    base_path = site.base_path
    quiet = Quieter()
    echo(quiet(site.rebuild()))
    server = open_server(site, options.host, options.port)
    host, port = server.server_address[:2]
    address = f"http://{host}:{port}{base_path}"
    echo(f"Serving {address} (Ctrl-C to stop)")
    watcher = Watcher(root, lambda: echo(quiet(site.rebuild())), load_config(root).content_dir) \
        if options.watch else None
    if watcher:
        echo("Watching content/, templates/, static/ and stufen.toml for changes")
    if options.open_browser:
        webbrowser.open(address)
    try:
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        site.close()
        if watcher:
            watcher.stop()
        server.server_close()
        reindexer.wait(5)
