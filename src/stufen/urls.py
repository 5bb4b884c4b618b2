"""URLs as authors write them, parsed without ever raising.

`urllib.parse` raises on addresses a browser shrugs at: `https://[TODO]/` is an
"Invalid IPv6 URL", a full-width `＃` in a host fails its NFKC check, and a tab
inside `/\t/[x` is removed before parsing, which turns a path into a host. A
post holding one must still build: such a link is kept as written, and the link
check warns about it at its line.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def join(base: str, ref: str) -> str:
    """`ref` resolved against `base`, or `ref` as written when either cannot be parsed."""
    try:
        return urljoin(base, ref)
    except ValueError:
        return ref


def is_external(url: str) -> bool:
    """True for `https://…`, `mailto:…`, `//host/…`: links the link check leaves alone."""
    return bool(_EXTERNAL.match(url))


def malformed(url: str) -> bool:
    """True when `url` cannot be parsed (Python's reason differs between versions, so it is not shown)."""
    try:
        urlsplit(url)
    except ValueError:
        return True
    return False
