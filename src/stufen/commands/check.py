"""`stufen check`: lint the content without building it.

It runs the build's own load, assemble and plan stages and its link check (so
"broken" means exactly what the build would call broken, with the build's severity: a
finding both report is an error or a warning in both), then adds what only a
linter cares about: encoding damage, missing alt text, posts hidden by a future
date and tags that are probably meant to be one tag. Nothing is rendered or written.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..config import Config
from ..dates import short_date
from ..errors import ContentError, Problems, plural, sorted_problems
from ..extras.assets import static_and_assets
from ..incremental.store import Store
from ..load.frontmatter import SourceError, decode, split
from ..load.post import discover
from ..load.posts import load_all
from ..model import Post
from ..output.atomic import write_atomic
from ..site.assemble import Mode, assemble, release, unique_slugs
from ..site.links import check_links
from ..site.pages import all_pages
from .lint import alt_text_problems, encoding_problems, notebook_encoding_problems, repair_mojibake

# Abbreviations that are not simply the initials of the long form ("ml" → machine-learning is found anyway).
ABBREVIATIONS = {"js": "javascript", "ts": "typescript", "py": "python", "k8s": "kubernetes", "viz": "visualization",
                 "dataviz": "data-visualization", "stats": "statistics", "math": "mathematics", "maths": "mathematics",
                 "db": "database", "algo": "algorithms", "algos": "algorithms", "sklearn": "scikit-learn"}
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class CheckResult:
    files: int
    problems: tuple[ContentError, ...]
    orphans: tuple[str, ...] = ()  # posts nothing links to that link nowhere: information, not a problem

    @property
    def errors(self) -> int:
        return sum(not p.warning for p in self.problems)

    def format(self) -> str:
        lines = [p.format() for p in self.problems]
        lines += [f"{source}: info: orphan: no post links to it and it links to no post" for source in self.orphans]
        warnings = len(self.problems) - self.errors
        lines.append(f"Checked {plural(self.files, 'file')}: {plural(self.errors, 'error')}, "
                     f"{plural(warnings, 'warning')}")
        return "\n".join(lines)

    def to_json(self) -> str:
        items = [{"path": str(p.path), "line": p.line, **({"cell": p.cell} if p.cell else {}),
                  "severity": "warning" if p.warning else "error", "message": p.message, "hint": p.hint}
                 for p in self.problems]
        return json.dumps({"files": self.files, "errors": self.errors, "warnings": len(items) - self.errors,
                           "problems": items, **({"orphans": list(self.orphans)} if self.orphans else {})},
                          ensure_ascii=False, indent=2)


def check(config: Config, mode: Mode) -> CheckResult:
    """Every problem the content has, errors and warnings, sorted by file and line."""
    problems = Problems()
    paths = discover(config.content_path, problems)
    texts = dict(_readable(paths, config))  # an unreadable file is reported by load_all
    posts = load_all(paths, config, Store(None), problems)
    for source, data in texts.items():
        problems.extend(_file_problems(source, data))
    problems.extend(_future_posts(posts, texts, config, mode))
    problems.extend(near_duplicate_tags(posts, texts))
    # Drafts and scheduled posts too: `build --drafts` and `serve` show them, and they are published one day
    site = assemble(unique_slugs(posts, problems), config, mode, problems)
    static, assets = static_and_assets(config, problems)
    pages = all_pages(site, problems)
    check_links(site, pages, [*static, *(a.path for a in assets)], problems)  # warnings, as in `build`
    return CheckResult(len(paths), tuple(sorted_problems(problems.items)), orphans(site))


def orphans(site) -> tuple[str, ...]:
    """Posts with no link in or out (by wikilink or Markdown link), by file: notes not yet connected. Only
    in a journal written as connected notes (some post has a [[wikilink]]): elsewhere most posts stand alone."""
    if not any(p.wikilinks for p in site.posts):
        return ()
    return tuple(sorted(str(p.source) for p in site.posts
                        if p.slug not in site.backlinks and p.slug not in site.linking))


def fix_mojibake(config: Config) -> list[tuple[str, int]]:
    """Repair mojibake in place, touching no other byte; (file, lines repaired) for each file changed."""
    fixed = []
    for path in discover(config.content_path):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # not UTF-8 at all: the check reports it; guessing here could destroy text
        repaired, count = repair_mojibake(text)
        if count:
            write_atomic(path, repaired.encode("utf-8"))
            fixed.append((_rel(path, config).as_posix(), count))
    return fixed


def _readable(paths: list[Path], config: Config):
    for path in paths:
        try:
            yield _rel(path, config), path.read_bytes()
        except OSError:
            continue


def _rel(path: Path, config: Config) -> PurePosixPath:
    return PurePosixPath(path.relative_to(config.root).as_posix())


def _file_problems(source: PurePosixPath, data: bytes) -> list[ContentError]:
    try:
        text = decode(data, source)
    except SourceError:
        return []  # already reported by the load stage
    if source.suffix == ".ipynb":
        try:
            notebook = json.loads(text)
        except (ValueError, RecursionError):
            return []  # already reported by the load stage
        return notebook_encoding_problems(notebook, source) if isinstance(notebook, dict) else []
    found = encoding_problems(text, source)
    try:
        found += alt_text_problems(split(text, source), source)
    except SourceError:
        pass
    return found


def _future_posts(posts: list[Post], texts: dict, config: Config, mode: Mode) -> list[ContentError]:
    return [ContentError(p.source, _line_of(texts[p.source], r"(pubDatetime|date|pubDate)\s*:"),
                         f"pubDatetime is in the future: hidden until {short_date(p.published)} "
                         f"{p.published:%H:%M} ({p.timezone})", "fine if it is scheduled on purpose", warning=True)
            for p in posts if not p.draft and release(p, config) > mode.now]


def near_duplicate_tags(posts: list[Post], texts: dict) -> list[ContentError]:
    """Tags with different pages that probably mean the same: 'ml' and 'machine-learning', 'pyton' and 'python'."""
    first: dict[str, tuple[Post, str]] = {}
    for post in sorted(posts, key=lambda p: str(p.source)):
        for tag in post.tags:
            first.setdefault(tag.slug, (post, tag.name))
    found = []
    slugs = sorted(first)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1:]:
            if _alike(a, b):
                later, earlier = sorted((a, b), key=lambda s: (str(first[s][0].source), s), reverse=True)
                post, name = first[later]
                line = _line_of(texts[post.source], rf"(?<=[\s\[,\"']){re.escape(name)}(?=[\"',\]\s]|$)")
                found.append(ContentError(post.source, line, f"tag '{name}' looks like '{first[earlier][1]}' "
                                          f"({first[earlier][0].source}); they make two tag pages",
                                          "use one spelling everywhere", warning=True))
    return found


def _alike(a: str, b: str) -> bool:
    def squash(s):
        return s.replace("-", "").removesuffix("s")

    short, long = sorted((a, b), key=len)
    initials = "".join(part[0] for part in long.split("-") if part)
    spelt_alike = _NUMBERS.findall(a) == _NUMBERS.findall(b) and (  # gpt-3 and gpt-4 are two things
        one_edit(a, b) or (len(short) >= 10 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.88))
    return (squash(a) == squash(b) or ABBREVIATIONS.get(short) == long
            or (len(short) >= 2 and "-" not in short and "-" in long and short == initials) or spelt_alike)


def one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance 1 between tags of 4 letters or more: one letter added, dropped or swapped
    with its neighbour ('pyton', 'pyhton' / 'python'), or changed from 5 letters on ('numpi' / 'numpy'), since
    4-letter words one letter apart are mostly different words ('node' / 'code', 'bert' / 'bart')."""
    short, long = sorted((a, b), key=len)
    if len(short) < 4 or len(long) - len(short) > 1 or a == b:
        return False
    if len(short) < len(long):
        return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    swapped = len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] and \
        a[differ[1]] == b[differ[0]]
    return swapped or (len(differ) == 1 and len(a) >= 5)


def _line_of(data: bytes, pattern: str) -> int:
    """The first line matching `pattern` (a key or tag in the front matter), else 1."""
    text = data.decode("utf-8", "replace")
    match = re.search(pattern, text, re.IGNORECASE | re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
