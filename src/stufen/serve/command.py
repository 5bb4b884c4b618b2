"""`stufen serve`: one writing session, gluing the build, the server and the watcher.

The server is handed a builder that runs the same `build()` as `stufen build`,
with one load cache and one render memo kept for the whole session, so a
one-post edit re-parses one file and re-renders only the pages it changes.
The site is built into `.stufen-serve/`, never `_site/`, so a preview with
drafts can never be mistaken for (or deployed as) the real build. One server at
a time may use that folder (`ServeLock`), and it claims the folder and binds its
port before building, so a second `stufen serve` changes nothing on its way out.
"""

from __future__ import annotations

import os
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..build import Session, build
from ..config import load_config
from ..dates import now
from ..errors import ConfigError
from ..incremental.store import CACHE_DIR, Store
from ..report import Report
from ..site.assemble import Mode
from .http import open_server
from .live import Preview
from .reindex import Job, Reindexer
from .watch import Watcher

SERVE_DIR = ".stufen-serve"

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so no guard against a second server
    fcntl = None


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
        self.cache, self.session = Store(root / CACHE_DIR), Session()
        self.base_path = load_config(root).base_path  # that of the last build (base_url may change)

    def __call__(self) -> Report:
        mode = Mode(now(), drafts=self.drafts, future=self.drafts)
        config = load_config(self.root)
        self.base_path = config.base_path
        return build(config, mode=mode, cache=self.cache, out=self.root / SERVE_DIR, session=self.session)

    def index_job(self, report: Report) -> Job | None:
        """The search index this build owes: only when a page changed (search off: none). Pagefind
        runs `nice`: at low CPU priority, and out of reach of the Ctrl-C that stops the server."""
        changed, job = report.changed, self.session.index
        if job is None or not (changed is None or any(p.endswith(".html") for p in changed)):
            return None
        return partial(job, nice=True)


make_builder = Builder


INDEX_SETTLE = 1.0  # seconds of quiet after the last rebuild before the search index is refreshed


def open_preview(root: Path, drafts: bool = True, echo: Callable[[str], None] = print) -> tuple[Preview, Reindexer]:
    """The site of one session: built like `stufen build` but memoised, its search index refreshed
    in the background once each rebuild has been announced to the browsers."""
    folder, builder = root / SERVE_DIR, Builder(root, drafts)
    reindexer = Reindexer(folder, echo, settle=INDEX_SETTLE)
    preview = Preview(builder, folder, lambda: builder.base_path,
                       after=lambda report: reindexer.request(builder.index_job(report)))
    return preview, reindexer


class ServeLock:
    """`.stufen-serve.lock` beside the serve folder, locked while one server uses the folder.

    A second server for the same site would rebuild the folder under the first one (its
    search index gone, drafts missing), so it is refused, naming the address the first
    serves, which the lock file holds. The lock is the kernel's (flock): it goes with the
    process, however that ends, so a stale file never blocks the next server.
    """

    def __init__(self, folder: Path):
        self.path = folder.with_name(folder.name + ".lock")
        self.file = None

    def __enter__(self) -> ServeLock:
        file = open(self.path, "a+", encoding="utf-8")  # held open for as long as the lock
        try:
            if fcntl is not None:
                fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            file.seek(0)
            holder = file.read().strip()
            file.close()
            raise ConfigError(f"this site is already being served{f' at {holder}' if holder else ''}; "
                              f"open that, or stop it first: two servers would rebuild {SERVE_DIR}/ "
                              "under each other") from None
        self.file = file
        return self

    def announce(self, address: str) -> None:
        """Note where this server serves, for a second one to name."""
        self.file.truncate(0)
        self.file.write(f"{address} (process {os.getpid()})\n")
        self.file.flush()

    def __exit__(self, *exc) -> None:
        self.file.close()  # the lock goes with it; the file stays (removing it would race a new server)


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


def http_address(host: str, port: int, path: str = "/") -> str:
    """The URL to print and open: an IPv6 address goes in brackets (http://[::1]:8000/), its zone's
    `%` escaped (RFC 6874)."""
    if ":" in host:
        host = "[" + host.replace("%", "%25") + "]"
    return f"http://{host}:{port}{path}"


def run(root: Path, options: Options, echo: Callable[[str], None] = print) -> None:
    """Claim the serve folder and the port, then build, serve until Ctrl-C, and (with `watch`)
    rebuild on every change. Another server of this site, or a port in use, is refused before
    anything is built, so the running server is left alone."""
    with ServeLock(root / SERVE_DIR) as lock:
        preview, reindexer = open_preview(root, options.drafts, echo)
        server = open_server(preview, options.host, options.port)
        address = http_address(*server.server_address[:2], preview.base_path)
        lock.announce(address)
        quiet, watcher, stopped = Quieter(), None, False
        try:
            echo(quiet(preview.rebuild()))
            echo(f"Serving {address} (Ctrl-C to stop)")
            if options.watch:
                watcher = Watcher(root, lambda: _unless_closed(preview, echo, quiet(preview.rebuild())),
                                  load_config(root).content_dir)
                echo("Watching content/, templates/, static/ and stufen.toml for changes")
            if options.open_browser:
                webbrowser.open(address)
            server.serve_forever(poll_interval=0.25)
        except KeyboardInterrupt:
            stopped = True
        finally:
            preview.close()  # from here on a rebuild or index run under way finishes without a word
            reindexer.close()
            if stopped:
                echo("Stopped.")
            if watcher:
                watcher.stop()
            server.server_close()
            reindexer.wait(5)


def _unless_closed(preview: Preview, echo: Callable[[str], None], text: str) -> None:
    if not preview.closed:  # a rebuild that ends after Ctrl-C: only "Stopped." is printed
        echo(text)
