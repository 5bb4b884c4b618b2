"""What a build reports: counts, time, what was left out, warnings. Kept apart from the build
itself so that answering "nothing changed" needs none of the build's machinery loaded."""

from __future__ import annotations

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
