"""The one way Stufen writes a file that something else may read meanwhile: whole or not at all.

The bytes go to a temporary file beside the target, which is then renamed over it:
a reader (the dev server, the next build reading the cache, an editor) sees the
old file or the new one, never half of one. A temporary file left by a killed
process is never read as the target (its name differs) and is overwritten by the
next write from a process with the same id.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically, creating its folder; raises OSError like `write_bytes`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.parent / f".{target.name}.stufen-tmp{os.getpid()}"
    try:
        temp.write_bytes(data)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def flush_to_disk(folder: Path) -> None:
    """Make everything written below `folder` durable before it is swapped in, so a power cut after the
    swap cannot leave a published site of empty files: one `syncfs` of its file system (Linux), not an
    fsync per file. Elsewhere a no-op: the next build still notices a torn file by its size."""
    syncfs = libc_function("syncfs")
    if syncfs is None:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        syncfs(fd)
    finally:
        os.close(fd)


def libc_function(name: str):
    """A C library function Stufen uses where the OS has it (Linux: syncfs, renameat2, prctl); None elsewhere."""
    libc = _libc()
    return getattr(libc, name, None) if libc is not None else None


@lru_cache(maxsize=1)  # find_library runs ldconfig: once per process, not per build step or worker
def _libc():
    import ctypes.util  # here, not at start-up: `stufen build` with nothing changed never needs it

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
