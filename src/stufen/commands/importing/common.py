"""What every importer shares: the report of what was not carried over, copying, and writing stufen.toml."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPORT_FILE = "import-report.txt"


@dataclass(frozen=True)
class Source:
    """One kind of site `stufen import` reads: how to recognise its folder, and how to convert it."""

    name: str
    detect: Callable[[Path], bool]
    convert: Callable[..., None]  # (src, dest, report, **options)
    options: tuple[str, ...] = ()  # the command-line options that apply to this kind only (a vault's --folder)


@dataclass
class ImportReport:
    """What an import did, and each thing it could not carry over with its file and line in SRC."""

    src: Path
    dest: Path
    kind: str = ""
    posts: int = 0
    files: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, path: Path | str, line: int | None, message: str) -> None:
        """`src/config.ts:12: message`, the path relative to SRC."""
        shown = Path(path).relative_to(self.src).as_posix() if Path(path).is_absolute() else str(path)
        self.notes.append(f"{shown}:{line}: {message}" if line else f"{shown}: {message}")

    def format(self) -> str:
        head = (f"Imported {self.kind} from {self.src} into {self.dest}: {self.posts} post"
                f"{'s' * (self.posts != 1)}, {self.files} other file{'s' * (self.files != 1)}.")
        if not self.notes:
            return head + "\nEverything was carried over."
        return "\n".join([head, f"Not carried over ({len(self.notes)}), also in {REPORT_FILE}:",
                          *(f"  {note}" for note in self.notes)])

    def save(self) -> None:
        (self.dest / REPORT_FILE).write_text(self.format() + "\n", encoding="utf-8")


def copy_tree(src: Path, dest: Path, report: ImportReport, place=lambda rel: rel) -> list[tuple[Path, Path]]:
    """Copy the files below `src` into `dest`, in sorted order, each to `place(rel)` (None: left out); links are
    reported, not followed (one could lead out of the site), and a place already taken keeps its first file.
    Returns (source, copy) pairs."""
    copied = []
    for path in sorted(src.rglob("*")):
        if path.is_symlink():
            report.note(path, None, "a symbolic link: not copied (copy the file it points to, if it belongs)")
            continue
        if not path.is_file() or any(p.is_symlink() for p in path.parents):
            continue
        rel = place(path.relative_to(src))
        if rel is None:
            continue
        target = dest / rel
        if target.exists():
            report.note(path, None, f"not copied: {target.relative_to(report.dest).as_posix()} is already taken")
            continue
        copy_file(path, target)
        copied.append((path, target))
    return copied


def copy_file(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)


def toml_text(settings: dict, tables: dict[str, dict[str, str]], comments: dict[str, str]) -> str:
    """stufen.toml from plain values (str, int, bool); `comments` add a line above a key saying where it came from."""
    lines = ["# Written by `stufen import`; every key is described in the README (\"Configuration\").", ""]
    for key, value in settings.items():
        if key in comments:
            lines.append(f"# {comments[key]}")
        lines.append(f"{key} = {_toml_value(value)}")
    for name, table in tables.items():
        if table:
            lines += ["", f"[{name}]", *(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())]
    return "\n".join(lines) + "\n"


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _toml_key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "").isalnum() and key.isascii()
    return key if bare else json.dumps(key, ensure_ascii=False)
