"""Author-facing problems: one type, one collector, one place that formats them.

Stages never raise on the first bad file; they add to `Problems` so a build
reports everything at once. Only `raise_if_errors` turns the collection into
an exception, which the CLI prints without a traceback.
"""

from __future__ import annotations

import difflib
import os
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath


@dataclass(frozen=True, slots=True)
class ContentError:
    """A problem in something the author wrote, located as precisely as we can."""

    path: PurePath | str
    line: int | None
    message: str
    hint: str | None = None
    warning: bool = False
    cell: int | None = None  # a notebook cell (1-based); `line` then counts within that cell

    def format(self) -> str:
        path = printable_path(self.path)
        where = f"{path}:{self.line}" if self.line else f"{path}"
        if self.cell:
            where = f"{path}: cell {self.cell}" + (f", line {self.line}" if self.line else "")
        kind = "warning: " if self.warning else ""
        text = f"{where}: {kind}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class Problems:
    """Collects errors and warnings from every stage of one build."""

    items: list[ContentError] = field(default_factory=list)

    def error(self, path, line, message, hint=None, cell=None) -> None:
        self.items.append(ContentError(path, line, message, hint, cell=cell))

    def warn(self, path, line, message, hint=None, cell=None) -> None:
        self.items.append(ContentError(path, line, message, hint, warning=True, cell=cell))

    def extend(self, items: Iterable[ContentError]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[ContentError]:
        return [p for p in self.items if not p.warning]

    @property
    def warnings(self) -> list[ContentError]:
        return [p for p in self.items if p.warning]

    def raise_if_errors(self, strict: bool = False) -> None:
        failing = self.items if strict else self.errors
        if failing:
            raise BuildFailed(tuple(self.items), strict)


class BuildFailed(Exception):
    """Raised once per build with every problem found; never shows a traceback."""

    def __init__(self, problems: tuple[ContentError, ...], strict: bool = False):
        self.problems = problems
        self.strict = strict
        super().__init__(self.format())

    def format(self) -> str:
        lines = [p.format() for p in sorted_problems(self.problems)]
        errors = sum(not p.warning for p in self.problems)
        warnings = len(self.problems) - errors
        summary = f"Build failed: {plural(errors, 'error')}"
        if warnings:
            summary += f", {plural(warnings, 'warning')}"
            if self.strict:
                summary += " (--strict makes warnings fail)"
        return "\n".join([*lines, summary])


class ConfigError(Exception):
    """A problem with stufen.toml or the command line that stops the build before it starts."""


def sorted_problems(problems: Iterable[ContentError]) -> list[ContentError]:
    """Order problems by file and line so reports are stable and easy to follow."""
    return sorted(problems, key=lambda p: (str(p.path), p.cell or 0, p.line or 0, p.message))


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxlist, _SHOWN.maxdict, _SHOWN.maxtuple, _SHOWN.maxset = 3, 6, 6, 6, 6
_SHOWN.maxstring, _SHOWN.maxother, _SHOWN.maxlong = 100, 100, 40


def printable_path(path: object) -> str:
    """A path as a message shows it: bytes of a file name that are not UTF-8 as `\\xff` escapes (printing
    the name itself would raise), everything else as it is."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def shown(value: object) -> str:
    """A value as a message quotes it: repr, but cut short, so a huge value or a YAML alias bomb
    (`&a [*b, *b, …]`, a billion items by reference) costs a bounded line, not a hang."""
    return _SHOWN.repr(value)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint for a misspelt key, or None when nothing is close."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f"did you mean '{close[0]}'?" if close else None
