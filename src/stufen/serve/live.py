"""The dev server: serves one built folder under the site's base path, live.

It knows a `builder` callable and a folder, nothing else (as MkDocs' livereload
does), so tests hand it any builder and call `respond` without a socket. A
rebuild waits for requests in flight and requests wait for a rebuild, so no
half-built page is served; a failed build keeps the last good site and tells
the browser over server-sent events, which shows the report as an overlay.
"""

from __future__ import annotations

import errno
import mimetypes
import threading
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..errors import BuildFailed, ConfigError, sorted_problems
from ..extras.assets import PREVIEWS
from ..routes import CARDS, NOT_FOUND, file_url, output_path

EVENTS = "/__stufen/events"
SCRIPT = (Path(__file__).parent / "live.js").read_text(encoding="utf-8")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
         ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".woff2": "font/woff2",
         ".ico": "image/x-icon", ".webmanifest": "application/manifest+json", ".md": "text/markdown; charset=utf-8"}
NOTHING_YET = b"<!DOCTYPE html><html><head><meta charset=utf-8><title>Not found</title></head><body>" \
              b"<h1>Not found</h1><p>Nothing is built at this address.</p></body></html>"


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Preview:
    """The built folder, its build `version` and the last failure, shared by server and watcher."""

    def __init__(self, builder: Callable[[], object], folder: Path, base_path: str | Callable[[], str] = "/",
                 after: Callable[[object], None] | None = None):
        """`base_path`: where the site is served, or a callable giving the path the last good build
        was made for (base_url's path can change while serving: addresses under the old one redirect)."""
        self.builder = builder
        self.after = after  # called with each good build's report once browsers have been told
        self.folder = folder
        self._base_path_of = base_path if callable(base_path) else None
        self.base_path = base_path() if callable(base_path) else base_path
        self.moved_from: list[str] = []  # earlier base paths of this session, the latest first
        self.version = 0
        self.assets = 0  # the last version that changed a file other than a page: tabs then fully reload
        self.error: dict | None = None
        self.closed = False
        self._lock = threading.Condition()
        self._building = False
        self._readers = 0

    def rebuild(self) -> str:
        """Run the builder once (never two at a time); returns what the terminal should print
        (nothing once the site is closed: the server is stopping, so nothing is built)."""
        with self._lock:
            self._lock.wait_for(lambda: not self._building)
            if self.closed:
                return ""
            self._building = True
            self._lock.wait_for(lambda: self._readers == 0)
        error, changed, report = None, None, None
        try:
            report = self.builder()
            text, changed = report.format(), getattr(report, "changed", None)
        except BuildFailed as exc:
            text, error = exc.format(), overlay(exc)
        except ConfigError as exc:
            text, error = f"Error: {exc}", {"summary": "Configuration error",
                                            "problems": [{"where": "stufen.toml", "message": str(exc)}]}
        except Exception as exc:  # a bug in Stufen must not take the server down with it
            text = traceback.format_exc()
            error = {"summary": "Stufen crashed", "problems": [{"where": type(exc).__name__, "message": str(exc)}]}
        with self._lock:
            self._building = False
            self.version += error is None
            if error is None and (changed is None or any(map(_loaded_by_pages, changed))):
                self.assets = self.version
            if error is None and self._base_path_of is not None and self._move(self._base_path_of()):
                text += f"\nbase_url's path is now {self.base_path}: the site is served there " \
                        f"(addresses under {self.moved_from[0]} redirect to it)"
            self.error = error
            self._lock.notify_all()
        if error is None and self.after is not None:
            self.after(report)
        return text

    def _move(self, base_path: str) -> bool:
        """Serve under `base_path` from now on; True if that is a change. Every page links
        anew, so open tabs reload (and follow the redirect)."""
        if base_path == self.base_path:
            return False
        self.moved_from = [p for p in (self.base_path, *self.moved_from) if p != base_path]
        self.base_path = base_path
        self.assets = self.version
        return True

    def state(self) -> dict:
        return {"version": self.version, "assets": self.assets, "error": self.error}

    def next_state(self, seen: dict | None, timeout: float) -> dict:
        """The state once it differs from `seen` (at once if it already does), or after `timeout`."""
        with self._lock:
            self._lock.wait_for(lambda: self.state() != seen or self.closed, timeout)
            return self.state()

    def close(self) -> None:
        with self._lock:
            self.closed = True
            self._lock.notify_all()

    @contextmanager
    def reading(self):
        """Held while a file is read: waits for a running build, and holds the next one back."""
        with self._lock:
            self._lock.wait_for(lambda: not self._building)
            self._readers += 1
        try:
            yield
        finally:
            with self._lock:
                self._readers -= 1
                self._lock.notify_all()

    def respond(self, method: str, target: str) -> Response:
        """The whole answer to one request, except the event stream (see `Handler`)."""
        if method not in ("GET", "HEAD"):
            return Response(405, (("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")),
                            b"405 Method Not Allowed: the dev server only answers GET and HEAD\n")
        path, query = (target.split("#", 1)[0].split("?", 1) + [""])[:2]
        base = self.base_path
        if not path.startswith(base):
            if base.startswith(path.rstrip("/") + "/"):
                return _redirect(base)
            if moved := self._moved(path, base, query):
                return _redirect(moved)
            return _text(404, f"Not found: this site is served under {base}\n")
        parts = unquote(path[len(base):]).split("/")
        if any(part in ("..", ".") or "\\" in part or "\0" in part for part in parts):
            return _text(403, "Forbidden: the path leaves the site folder\n")
        try:
            with self.reading():
                response = self._file(path, [p for p in parts if p], method == "HEAD")
        except OSError as exc:  # a name longer than the file system allows (255 bytes a segment): not a page
            if exc.errno != errno.ENAMETOOLONG:
                raise
            return _text(414, "URI Too Long: a part of this path is longer than any file name can be\n")
        if response.status == 404 and (moved := self._moved(path, base, query)):
            return _redirect(moved)  # under an old, longer base path (/journal/ → /): not a page of the site
        return response

    def _moved(self, path: str, base: str, query: str) -> str | None:
        """Where `path`, under a base path this session served before, is now. A path under the
        current base too is moved only from a longer old one, so a redirect shortens it: no loops."""
        old = max((p for p in self.moved_from if (path + "/").startswith(p)
                   and not (path.startswith(base) and len(p) <= len(base))), key=len, default=None)
        if old is None:
            return None
        return base + path[len(old):] + (f"?{query}" if query else "")

    def _file(self, path: str, parts: list[str], head: bool) -> Response:
        folder = self.folder.resolve()
        target = folder.joinpath(*parts)
        if target.is_dir():
            if not path.endswith("/"):
                return _redirect(path + "/")
            target = target / "index.html"
        real = target.resolve()
        if not real.is_relative_to(folder):
            return _text(403, "Forbidden: the path leaves the site folder\n")
        status = 200
        if not real.is_file():
            status, real = 404, folder / output_path(NOT_FOUND)
        body = real.read_bytes() if real.is_file() else NOTHING_YET
        kind = content_type(real.name if real.is_file() else output_path(NOT_FOUND))
        if kind.startswith("text/html"):
            body = inject(body, self.version)
        headers = (("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"))
        return Response(status, headers, b"" if head else body)


def _loaded_by_pages(path: str) -> bool:
    """Whether a page may load this file (CSS, scripts, images…): a change to one makes tabs reload fully.

    Pages themselves are swapped in place, and feeds, the sitemap, robots.txt, the
    manifest and Open Graph cards are only linked to, never shown; the link previews are
    fetched when a link is first pointed at (a title edit changes them).
    """
    shown_alone = path.endswith((".html", ".xml", ".txt", ".webmanifest", ".nojekyll"))
    return not (shown_alone or file_url(path).startswith(CARDS) or path == PREVIEWS)


def content_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def inject(html: bytes, version: int) -> bytes:
    """Add the live-reload script before </body> (at the end when there is none)."""
    script = (f'<script id="stufen-live" data-version="{version}" data-events="{EVENTS}">'
              f"{SCRIPT}</script>").encode()
    at = html.rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


def overlay(exc: BuildFailed) -> dict:
    """A failed build as the browser overlay shows it: a summary, then file:line and message per problem."""
    problems = []
    for problem in sorted_problems(exc.problems):
        where = f"{problem.path}:{problem.line}" if problem.line else str(problem.path)
        message = problem.format()[len(where) + 2:]
        problems.append({"where": where, "message": message})
    return {"summary": exc.format().splitlines()[-1], "problems": problems}


def _redirect(location: str) -> Response:
    if location.startswith(("//", "/\\")):  # "//host/x" or "/\host/x" would send the browser to another site
        location = "/" + location.lstrip("/\\")
    return Response(302, (("Location", location), ("Content-Length", "0")), b"")


def _text(status: int, message: str) -> Response:
    body = message.encode()
    return Response(status, (("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))), body)
