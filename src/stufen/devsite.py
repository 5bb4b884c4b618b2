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

from .build import Report, build, now
from .cache import CACHE_DIR, Cache
from .config import load_config
from .httpd import open_server
from .memo import Memo
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


def make_builder(root: Path, drafts: bool = True) -> Callable[[], Report]:
    """A builder for the server: re-reads stufen.toml each time, so a config edit applies at once."""
    cache, memo = Cache(root / CACHE_DIR), Memo()

    def builder() -> Report:
        config = load_config(root)
        mode = Mode(now(), drafts=drafts, future=drafts)
        return build(config, mode=mode, cache=cache, out=root / SERVE_DIR, memo=memo)

    return builder


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
    base_path = load_config(root).base_path
    site = LiveSite(make_builder(root, options.drafts), root / SERVE_DIR, base_path)
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
