"""The one place Stufen runs work in parallel: forked worker processes, and one background thread.

Python threads cannot parse Markdown or draw images in parallel, so CPU-bound work
(loading posts, rendering pages, drawing cards) goes to worker processes. They are
forked, so they inherit what the build already holds (planned pages, compiled
templates) instead of receiving it pickled. A pool costs tens of milliseconds and
megabytes per worker to start, so work goes to one only when its estimated cost
reaches `WORTH_A_POOL_MS`; smaller batches, and systems without `fork`, run here.
Results come back in the order of the inputs, which keeps builds deterministic
whatever the scheduling.

`STUFEN_WORKERS` sets the number of worker processes (`1`: everything runs in this
process, e.g. to debug or profile a build).
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from ..output.atomic import libc_function
from ..report import add_taken, taken

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 8
WORTH_A_POOL_MS = 250  # estimated CPU time below which a pool costs more than it saves

# CPU milliseconds per item of each kind of work, measured on the benchmark corpus (bench/builds.py):
LOAD_MS = 8  # a post: front matter, Markdown, Pygments, math
RENDER_MS = 2  # a page through Jinja
CARD_MS = 5  # an Open Graph card drawn and encoded


def cores() -> int:
    """Worker processes to use: `STUFEN_WORKERS`, else the cores this process may run on (its affinity)."""
    setting = os.environ.get("STUFEN_WORKERS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return min(int(setting), MAX_WORKERS)
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    return min(count, MAX_WORKERS)


def worth_a_pool(items: int, ms_each: float) -> bool:
    """True when `items` of work costing `ms_each` should go to worker processes."""
    return items * ms_each >= WORTH_A_POOL_MS and cores() >= 2 and _can_fork()


def _can_fork() -> bool:
    import multiprocessing  # here: only work worth a pool pays for importing it (~8 ms); a small rebuild has none

    return "fork" in multiprocessing.get_all_start_methods()


MAX_SPAN = 64  # items per worker message at most: results are held here only a span at a time


def parallel_map(fn: Callable[[T], R], items: Sequence[T], *, ms_each: float) -> Iterator[R]:
    """`fn(x) for x in items`, over worker processes when the work is worth a pool, yielded in order.

    `fn` must be a module-level function and its results picklable. Each worker gets spans of items,
    since per-item messages would cost more than a small item's work; a result is let go of once the
    caller takes it, so 5000 loaded posts never wait here all at once. The pool lives until the caller
    has taken the last result (or closes the iterator).
    """
    with Workers(items, wanted=worth_a_pool(len(items), ms_each)) as workers:
        if workers.pool is None:
            yield from map(fn, items)
            return
        chunk = max(1, min(len(items) // (cores() * 4), MAX_SPAN))
        spans = [(start, min(start + chunk, len(items))) for start in range(0, len(items), chunk)]
        for part in workers.map(_map_span, [(fn, span) for span in spans]):
            yield from part


def _map_span(items: Sequence, job: tuple[Callable, tuple[int, int]]) -> list:
    fn, (start, stop) = job
    return [fn(item) for item in items[start:stop]]


_STATE: object = None  # what `Workers` inherit: set in the parent only while it forks them


class Workers:
    """Forked worker processes that inherit `state` instead of receiving it, for work whose inputs are
    large and already in memory, which pickling to each worker would cost more than the work. Work is
    submitted now and its results collected later, so the caller can do other work meanwhile. Without
    `fork` on this OS, or when `wanted` is false, every job runs here, when its result is asked for.
    """

    def __init__(self, state: object, *, wanted: bool = True):
        self.state, self.pool = state, None
        if not wanted or cores() < 2 or not _can_fork():
            return
        import multiprocessing  # loaded by `_can_fork` already
        from concurrent.futures import ProcessPoolExecutor

        global _STATE
        _STATE = state
        libc_function("prctl")  # looked up here, once: every worker inherits it
        gc.freeze()  # the workers' collections then skip what they inherit: it stays shared, not copied
        try:
            self.pool = ProcessPoolExecutor(max_workers=cores(), mp_context=multiprocessing.get_context("fork"),
                                            initializer=_tie_to_parent, initargs=(os.getpid(),))
            self.pool.submit(os.getpid).result()  # the first job forks every worker: now, while they can inherit
        finally:
            gc.unfreeze()
            _STATE = None

    def submit(self, fn: Callable[[object, T], R], item: T) -> Counted[R] | Later[R]:
        """`fn(state, item)` in a worker; `fn` must be a module-level function, `item` and its result picklable."""
        if self.pool is None:
            return Later(fn, self.state, item)
        return Counted(self.pool.submit(_call_with_state, (fn, item)))

    def map(self, fn: Callable[[object, T], R], items: Sequence[T]) -> Iterator[R]:
        """`fn(state, item)` for each item, all submitted now; the results come back in order, each one
        let go of here once taken."""
        futures = deque(self.submit(fn, item) for item in items)
        return (futures.popleft().result() for _ in range(len(futures)))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Counted:
    """A job of a worker process: its result, once the CPU time the worker spent on it is counted here
    (`report.stage`: the profile covers every process)."""

    def __init__(self, future: Future):
        self._future = future
        self._counted = False

    def result(self):
        value, counts = self._future.result()
        if not self._counted:
            self._counted = True
            add_taken(counts)
        return value


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


def _tie_to_parent(parent: int) -> None:
    """In each worker: die with the build (a `kill -9` of it must not leave workers running for minutes),
    and leave Ctrl-C to the build, which stops the workers itself (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    taken()  # the counts inherited from the build are its own: send back only this worker's
    prctl = libc_function("prctl")
    if prctl is not None:  # elsewhere the pool's own checks end idle workers later
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _call_with_state(job):
    fn, item = job
    return fn(_STATE, item), taken()


def threads(count: int | None = None) -> ThreadPoolExecutor:
    """Threads for work that waits rather than computes (other processes, such as Pagefind's), and for
    one background job beside the workers (the search index while cards are drawn)."""
    return ThreadPoolExecutor(max_workers=count or cores())


class MemoryBudget:
    """Lets jobs run at once (on `threads`) only while the memory they are each expected to need fits `limit`
    together; a job expected to need more than the whole budget runs alone. For processes whose memory grows
    with their input, where running two on two cores saves less time than their memory costs (Pagefind)."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self._freed = threading.Condition()

    @contextmanager
    def taking(self, amount: int) -> Iterator[None]:
        """Wait until `amount` (bytes) fits beside the jobs running, and hold it for the block."""
        amount = min(amount, self.limit)
        with self._freed:
            self._freed.wait_for(lambda: self.used + amount <= self.limit)
            self.used += amount
        try:
            yield
        finally:
            with self._freed:
                self.used -= amount
                self._freed.notify_all()
