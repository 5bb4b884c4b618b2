"""Refreshing the served site's search index in the background.

`stufen build` indexes a site before publishing it. While serving, that would
hold every live reload back by a Pagefind run, so the server publishes the
rebuild, tells the browsers, and only then hands the build's index job to a
`Reindexer`: one worker thread that runs the latest job (at low CPU priority)
into a fresh folder beside the site and swaps that in as `pagefind/`. A reader
gets the old index or the new one, never a half-written one; rebuilds that come
while Pagefind runs collapse into one more run.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..output.swap import swap_in

Job = Callable[..., None]  # job(site folder, output=folder to write the index to)
INDEX = "pagefind"


class Reindexer:
    """Runs index jobs for `folder` one at a time, in a background thread, keeping only the latest."""

    def __init__(self, folder: Path, echo: Callable[[str], None] = print, settle: float = 0.0):
        """`settle`: seconds without a new request before indexing. Pagefind takes both cores for
        a while; run during a burst of saves it would slow the very next rebuild and reload."""
        self.folder = folder
        self.echo = echo
        self.settle = settle
        self._requested = 0.0
        self.runs = 0  # jobs finished (tests read it)
        self._pending: Job | None = None
        self._running = False
        self.closed = False
        self._lock = threading.Condition()

    def request(self, job: Job | None) -> None:
        """Index again with `job`: now, or after the run under way (replacing any job still waiting)."""
        if job is None:
            return
        with self._lock:
            if self.closed:
                return
            self._pending = job
            self._requested = time.monotonic()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._work, name="stufen-reindex", daemon=True).start()

    def close(self) -> None:
        """The server is stopping: take no more jobs, drop the waiting one, and say nothing more
        (a Pagefind run under way finishes, so no half-written index is left behind)."""
        with self._lock:
            self.closed, self._pending = True, None
            self._lock.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Until nothing runs or waits; False if `timeout` came first."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._running, timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                while self._pending is not None and (left := self._requested + self.settle - time.monotonic()) > 0 \
                        and not self.closed:
                    self._lock.wait(left)
                job, self._pending = self._pending, None
                if job is None:
                    self._running = False
                    self._lock.notify_all()
                    return
            try:
                refresh(self.folder, job)
            except Exception as exc:  # the site is still served; only search is stale
                if not self.closed:  # after Ctrl-C only "Stopped." is printed
                    self.echo(f"Search index not refreshed: {exc}")
            with self._lock:
                self.runs += 1


def refresh(folder: Path, job: Job) -> None:
    """Index `folder` into a fresh sibling folder, then swap it in as `folder/pagefind` in one step."""
    fresh = folder.parent / f".{folder.name}.{INDEX}-new"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        job(folder, output=fresh)
        fresh.mkdir(exist_ok=True)  # no page to index (no posts, or templates that mark none): an empty index
        old = swap_in(fresh, folder / INDEX)
        if old is not None and old != fresh:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
