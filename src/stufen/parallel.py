"""Spreading CPU-bound work (parsing posts, drawing cards) over the machine's cores.

Python threads cannot parse Markdown in parallel, so this forks worker
processes; a pool costs tens of milliseconds to start, so small batches stay
in this process. Results come back in the order of the inputs, which keeps
builds deterministic whatever the scheduling.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
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


_STATE: object = None  # what `forked_map`'s workers inherit: set in the parent just before it forks


def forked_map(fn: Callable[[object, T], R], items: Sequence[T], *, state: object, serial_below: int):
    """`fn(state, item)` for each item, lazily and in order, over forked workers that inherit
    `state` instead of receiving it: for work whose inputs are large and already in memory (a
    build's planned pages and templates), which pickling to each worker would cost more than the
    work. Where the OS cannot fork, or for few items, it runs here.
    """
    workers = min(cores(), MAX_WORKERS)
    if len(items) < serial_below or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield fn(state, item)
        return
    global _STATE
    _STATE = state
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    try:
        yield from pool.map(_call_with_state, [(fn, item) for item in items])
    finally:
        _STATE = None
        pool.shutdown(cancel_futures=True)


def _call_with_state(job):
    fn, item = job
    return fn(_STATE, item)
