"""What a build reports: counts, time, what was left out, warnings. Kept apart from the build
itself so that answering "nothing changed" needs none of the build's machinery loaded."""

from __future__ import annotations

import functools
import resource
import threading
import time
from dataclasses import dataclass

from .errors import plural


@dataclass(frozen=True, slots=True)
class Report:
    posts: int
    tags: int
    pages: int
    files: int
    seconds: float
    left_out: tuple[str, ...]
    warnings: tuple[str, ...]
    changed: tuple[str, ...] | None = None  # paths an incremental build wrote; None for a whole-site write
    up_to_date: bool = False  # nothing was built: the site on disk is what this build would write

    @property
    def written(self) -> int | None:
        return None if self.changed is None else len(self.changed)

    def format(self) -> str:
        lines = [*self.warnings]
        lines += [f"Left out {line}" for line in self.left_out]
        changed = "" if self.written is None else f" ({self.written} written, {self.files - self.written} unchanged)"
        counts = f"{plural(self.posts, 'post')}, {plural(self.tags, 'tag')}, {plural(self.pages, 'page')}"
        if self.up_to_date:
            lines.append(f"Nothing changed since the last build: {counts} up to date, checked in {self.seconds:.2f} s")
        else:
            lines.append(f"Built {counts} in {self.seconds:.2f} s{changed}")
        return "\n".join(lines)


# --- Where a build spends its time (`stufen build --profile`) ---------------------------------------
#
# Stage functions are marked `@stage("markdown")` (or `with stage(...)`): the CPU time the calling thread
# spends inside counts for that stage, less what nested stages take (highlighting inside Markdown counts
# as highlighting). Counting is always on (two clock reads per call, a few calls per post), so a
# profiled build is the same build. Worker processes send their counts back with each job's result
# (incremental.pool), so the table covers every process. A `phase` also records its wall time.

STAGES = ("load", "front matter", "markdown", "highlighting", "math", "plan", "fingerprints", "render",
          "feeds", "cards", "search", "writes", "cache I/O")
_cpu: dict[str, float] = {}  # seconds of CPU per stage: this process's, and what its workers sent back
_wall: dict[str, float] = {}  # seconds of wall time per phase, in this process
_local = threading.local()  # each thread's stack of entered stages: [start, CPU of nested stages]
_lock = threading.Lock()
_start: list[float] = [0.0, 0.0]  # CPU of this process and its children when the profile started


class stage:
    """A context manager and decorator: the CPU time this thread spends inside counts for `name`."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __enter__(self) -> None:
        stack = _local.__dict__.setdefault("stack", [])
        stack.append([time.thread_time(), 0.0])

    def __exit__(self, *exc) -> None:
        stack = _local.stack
        start, nested = stack.pop()
        spent = time.thread_time() - start
        if stack:  # the enclosing stage counts only its own time
            stack[-1][1] += spent
        with _lock:
            _cpu[self.name] = _cpu.get(self.name, 0.0) + spent - nested

    def __call__(self, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return timed


class phase(stage):
    """A step of the build whose wall time is recorded; its CPU time counts as a stage when one of
    `STAGES` has its name (else as "other": a phase such as "publish" is mostly its stages' work)."""

    __slots__ = ()

    def __enter__(self) -> None:
        _local.__dict__.setdefault("walls", []).append(time.perf_counter())
        if self.name in STAGES:
            super().__enter__()

    def __exit__(self, *exc) -> None:
        if self.name in STAGES:
            super().__exit__(*exc)
        spent = time.perf_counter() - _local.walls.pop()
        with _lock:
            _wall[self.name] = _wall.get(self.name, 0.0) + spent


def taken() -> dict[str, float]:
    """This process's CPU counts since the last call, which resets them (a worker's, sent with a result)."""
    with _lock:
        counts = dict(_cpu)
        _cpu.clear()
    return counts


def add_taken(counts: dict[str, float]) -> None:
    """Add a worker's counts to this process's."""
    with _lock:
        for name, seconds in counts.items():
            _cpu[name] = _cpu.get(name, 0.0) + seconds


def start_profile() -> None:
    """Forget earlier counts: the table that follows covers one build."""
    with _lock:
        _cpu.clear()
        _wall.clear()
    _start[:] = _process_cpu()


def _process_cpu() -> list[float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return [own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime]


def profile_table(report: Report, workers: int) -> str:
    """The profile of the build since `start_profile`, as a table: CPU per post by stage, wall time by phase.

    Call it once the build is done, when its worker processes have ended (their CPU is then counted).
    """
    own, children = (now - then for now, then in zip(_process_cpu(), _start, strict=True))
    posts = max(report.posts, 1)
    with _lock:
        cpu, wall = dict(_cpu), dict(_wall)
    lines = [f"Profile: {plural(report.posts, 'post')}, {plural(report.pages, 'page')}, "
             f"{workers} worker {'process' if workers == 1 else 'processes'}, {report.seconds:.2f} s",
             f"  {'stage':<14}{'CPU ms/post':>12}{'CPU s':>9}{'share':>7}"]
    total = own + children
    names = [*STAGES, *sorted(set(cpu) - set(STAGES))]
    rows = [(name, cpu[name]) for name in names if cpu.get(name, 0.0) > 0]
    rows.append(("other", max(total - sum(cpu.values()), 0.0)))
    for name, seconds in rows:
        lines.append(f"  {name:<14}{seconds * 1000 / posts:>12.2f}{seconds:>9.2f}{_share(seconds, total):>7}")
    lines.append(f"  {'total':<14}{total * 1000 / posts:>12.2f}{total:>9.2f}{'':>7}   "
                 f"(this process {own:.2f} s, workers and Pagefind {children:.2f} s)")
    lines.append(f"  {'phase':<14}{'wall s':>12}")
    for name, seconds in wall.items():
        lines.append(f"  {name:<14}{seconds:>12.2f}")
    return "\n".join(lines)


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole > 0 else ""
