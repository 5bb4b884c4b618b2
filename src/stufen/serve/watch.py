"""Watching the site's sources: a burst of file events becomes one rebuild.

Editors save in several steps (a temp file, a rename, a backup, a swap file)
and `git checkout` touches many files at once; the debouncer waits until the
events have been quiet for `delay` seconds, then calls back once. Reads (our
own build opening files) are not changes and are ignored.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from ..config import CONFIG_FILE

WATCHED_DIRS = ("templates", "static", "assets")  # besides the content folder; assets/: `@/assets/` images
CHANGES = {"created", "modified", "deleted", "moved", "closed"}  # not "opened" or "closed_no_write"
_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".part", ".crdownload", "___jb_tmp___", "___jb_old___")


def is_temp_file(path: str) -> bool:
    """Editor and tool leftovers: `.#x` and `#x#` (Emacs' lock and auto-save files), `x~`, `.x.swp`,
    and `4913`, `5036`… (Vim probes whether it may write a folder with an all-digit name), `*.tmp`,
    dot files."""
    name = os.path.basename(path)
    return (name.startswith(".") or name.endswith(_TEMP_SUFFIXES) or name.isdigit()
            or (len(name) > 1 and name.startswith("#") and name.endswith("#")))


class Debouncer:
    """Calls `callback` once after the pokes stop for `delay` s (or `max_wait` s after the first)."""

    def __init__(self, callback: Callable[[], None], delay: float = 0.05, max_wait: float = 1.0):
        self.callback = callback
        self.delay = delay
        self.max_wait = max_wait
        self._poked = threading.Event()
        self._last = self._first = 0.0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="stufen-debounce", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        now = time.monotonic()
        if not self._poked.is_set():
            self._first = now
        self._last = now
        self._poked.set()

    def stop(self) -> None:
        self._stopped = True
        self._poked.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            self._poked.wait()
            if self._stopped:
                return
            while (quiet := self._last + self.delay - time.monotonic()) > 0 and \
                    time.monotonic() - self._first < self.max_wait:
                time.sleep(quiet)
            self._poked.clear()  # events arriving from here on cause the next rebuild
            if self._stopped:
                return
            self.callback()


class _Relevant(FileSystemEventHandler):
    def __init__(self, root: Path, content_dir: str, poke: Callable[[], None]):
        self.config = str(root / CONFIG_FILE)
        self.folders = tuple(str(root / name) + os.sep for name in (content_dir, *WATCHED_DIRS))
        self.poke = poke
        self.gone: set[str] = set()  # top folders deleted or moved away since the Watcher last looked

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES or (event.is_directory and event.event_type == "modified"):
            return  # a folder's "modified" only echoes a change to a file in it, seen on its own
        paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        if event.is_directory and event.event_type in ("deleted", "moved") and paths[0] + os.sep in self.folders:
            self.gone.add(paths[0])
        if any(p and self.matters(p) for p in paths):
            self.poke()

    def matters(self, path: str) -> bool:
        if is_temp_file(path):
            return False
        return path == self.config or (path + os.sep).startswith(self.folders)


class Watcher:
    """Watches content/, templates/, static/, assets/ and stufen.toml under `root`; `stop()` ends it.

    A top folder made after watching began (`mkdir templates`) is watched from the rebuild its
    creation causes on; one removed and made again is watched afresh (its old watch went with it)."""

    def __init__(self, root: Path, on_change: Callable[[], None], content_dir: str = "content",
                 delay: float = 0.05):
        root = root.resolve()
        # watchdog (7.1) warns when a watched folder moved out of the tree (`mv content/posts /tmp`) comes back:
        # inotify still watches its inode and gives the same descriptor, so watchdog replaces the folder's
        # callback with the very same callback. Nothing is lost (the move back is seen and rebuilt): noise.
        warnings.filterwarnings("ignore", r"Callback with id .* already exists for watch", RuntimeWarning,
                                r"watchdog\.observers\.inotify")
        self.on_change = on_change
        self.folders = [root / name for name in (content_dir, *WATCHED_DIRS)]
        self.debouncer = Debouncer(self._changed, delay)
        self.handler = _Relevant(root, content_dir, self.debouncer.poke)
        self.observer = Observer()
        self.observer.schedule(self.handler, str(root), recursive=False)  # stufen.toml, new folders
        self._watches: dict[Path, ObservedWatch] = {}
        self._follow_folders()
        self.observer.start()

    def _changed(self) -> None:
        self._follow_folders()
        self.on_change()

    def _follow_folders(self) -> None:
        """Watch each top folder that is there now; one that went has lost its watch, so it is watched anew."""
        for folder in self.folders:
            if str(folder) in self.handler.gone:
                self.handler.gone.discard(str(folder))
                if folder in self._watches:
                    self.observer.unschedule(self._watches.pop(folder))
            if folder not in self._watches and folder.is_dir():
                self._watches[folder] = self.observer.schedule(self.handler, str(folder), recursive=True)

    def stop(self) -> None:
        """Stop watching. A watch thread stopped mid-read logs an error about being stopped
        ("queue_events() called when the thread is inactive"): not news, so not shown."""
        log = logging.getLogger("watchdog")
        level = log.level
        log.setLevel(logging.CRITICAL + 1)
        try:
            self.observer.stop()  # stops and joins the watch threads
            self.observer.join(timeout=5)
        finally:
            log.setLevel(level)
        self.debouncer.stop()
