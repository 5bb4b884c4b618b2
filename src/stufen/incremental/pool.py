"""Spreading CPU-bound work (parsing posts, drawing cards) over the machine's cores.

Python threads cannot parse Markdown in parallel, so this forks worker
processes; a pool costs tens of milliseconds to start, so small batches stay
in this process. Results come back in the order of the inputs, which keeps
builds deterministic whatever the scheduling.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 8


def cores() -> int:
    """Cores this process may run on (its affinity), not the machine's total."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parallel_map(fn: Callable[[T], R], items: Sequence[T], *, serial_below: int) -> list[R]:
    """`[fn(x) for x in items]`, over worker processes when there are at least `serial_below` items.

    `fn` must be a module-level function and items and results picklable. Each
    worker gets a few large chunks, since per-item messages would cost more than
    a small item's work.
    """
    workers = min(cores(), MAX_WORKERS)
    if len(items) < serial_below or workers < 2:
        return [fn(item) for item in items]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items, chunksize=max(1, len(items) // (workers * 4))))


_STATE: object = None  # what `Workers` inherit: set in the parent while it forks them


class Workers:
    """Forked worker processes that inherit `state` instead of receiving it, for work whose inputs are
    large and already in memory (a build's planned pages and templates), which pickling to each
    worker would cost more than the work. Work is submitted now and its results collected later,
    so the caller can do other work meanwhile (write pages, build the search index). Without
    `fork` on this OS, or when `wanted` is false, every job runs here, when its result is asked for.
    """

    def __init__(self, state: object, *, wanted: bool = True):
        self.state, self.pool = state, None
        workers = min(cores(), MAX_WORKERS)
        if not wanted or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        global _STATE
        _STATE = state
        gc.freeze()  # the workers' collections then skip what they inherit: it stays shared, not copied
        try:
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
            self.pool.submit(os.getpid).result()  # the first job forks every worker: now, while they can inherit
        finally:
            gc.unfreeze()
            _STATE = None

    def submit(self, fn: Callable[[object, T], R], item: T) -> Future[R] | Later[R]:
        """`fn(state, item)` in a worker; `fn` must be a module-level function, `item` and its result picklable."""
        if self.pool is None:
            return Later(fn, self.state, item)
        return self.pool.submit(_call_with_state, (fn, item))

    def map(self, fn: Callable[[object, T], R], items: Sequence[T]) -> Iterator[R]:
        """`fn(state, item)` for each item, all submitted now; the results come back in order."""
        futures = [self.submit(fn, item) for item in items]
        return (future.result() for future in futures)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Later:
    """A job of a pool-less `Workers`: run when its result is first asked for."""

    def __init__(self, fn, state, item):
        self._job: tuple | None = (fn, state, item)
        self._result = None

    def result(self):
        if self._job is not None:
            fn, state, item = self._job
            self._result, self._job = fn(state, item), None
        return self._result


def _call_with_state(job):
    fn, item = job
    return fn(_STATE, item)
