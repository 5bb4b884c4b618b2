"""The seal on the store's entries: a sha256 of the bytes in front of them, checked on every read, so a
torn, truncated or edited entry is a miss, never output (store.py, and each part of a post's entry,
entries.py)."""

from __future__ import annotations

import hashlib

SEAL = 32  # bytes of sha256 in front of the data


def seal(data: bytes) -> bytes:
    return hashlib.sha256(data).digest() + data


def unseal(blob: bytes) -> bytes | None:
    """The bytes of a sealed entry when its seal matches; None for a torn or altered one."""
    data = blob[SEAL:]
    return data if len(blob) >= SEAL and hashlib.sha256(data).digest() == blob[:SEAL] else None
