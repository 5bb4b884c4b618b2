"""AstroPaper (v1–v5) → Stufen: posts with the files beside them, public/ → static/, src/assets/ → assets/,
src/pages/about.md → content/about.md, and stufen.toml from the literals in src/config.ts and astro.config.*.

The version decides the URL rule written to stufen.toml (`urls = "astro-paper-v5"`), so every post keeps the
address that version gave it (slugs.url_slug). It is read from package.json's "version" and checked against
the folder layout: v5 keeps posts in src/data/blog/, v2–v4 in src/content/blog/ (v2's schema has `postSlug`),
v1 in src/contents/. When the two disagree, the layout wins and the report says so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .common import ImportReport, Source, copy_tree
from .siteconfig import write_config

NAME = "AstroPaper"
POSTS = {5: "src/data/blog", 4: "src/content/blog", 3: "src/content/blog", 2: "src/content/blog", 1: "src/contents"}
POST_SUFFIXES = (".md", ".ipynb")
# Files Stufen writes itself: a copy from public/ would be an error at build time, so it is left out and named.
BUILT = {"robots.txt", "sitemap.xml", "site.webmanifest", ".nojekyll", "404.html", "rss.xml", "feed.xml",
         "index.html", "assets/style.css"}
# What AstroPaper builds from code: named in the report, since Stufen has its own (or none).
ASTRO_ONLY = ("src/components", "src/layouts", "src/styles", "src/pages", "src/scripts", "src/i18n")
_STANDARD_PAGES = re.compile(r"^(about\.md|index\.astro|404\.astro|robots\.txt\.ts|rss\.xml\.ts|og\.png\.ts|"
                             r"search\.astro|archives/.*|posts/.*|tags/.*|\[.*)$")


def detect(src: Path) -> bool:
    """An Astro project (package.json or astro.config.*) with an AstroPaper posts folder."""
    astro = (src / "package.json").is_file() or any(src.glob("astro.config.*"))
    return astro and any((src / folder).is_dir() for folder in set(POSTS.values()))


def version(src: Path, report: ImportReport) -> int:
    """The major version, from package.json when the layout agrees with it, else from the layout."""
    layout = _layout_version(src)
    declared = None
    try:
        text = (src / "package.json").read_text(encoding="utf-8")
        match = re.match(r"\s*(\d+)\.", str(json.loads(text).get("version", "")))
        declared = int(match.group(1)) if match else None
    except (OSError, ValueError, AttributeError):
        pass
    if declared == layout or (declared in (3, 4) and layout == 4):
        return declared
    if declared is not None:
        report.note(src / "package.json", None, f"says version {declared}, but the folders are laid out as "
                    f"AstroPaper v{layout}'s; URLs follow v{layout}'s rule (set `urls` in stufen.toml if not)")
    return layout


def _layout_version(src: Path) -> int:
    if (src / POSTS[5]).is_dir():
        return 5
    if not (src / POSTS[4]).is_dir():
        return 1
    schemas = [src / "src/content/_schemas.ts", src / "src/content/config.ts", src / "src/content.config.ts"]
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in schemas if p.is_file())
    return 2 if "postSlug" in text else 4


def convert(src: Path, dest: Path, report: ImportReport) -> None:
    major = version(src, report)
    report.kind = f"AstroPaper v{major}"
    _copy_posts(src / POSTS[major], dest / "content/posts", major, report)
    if (src / "public").is_dir():
        copied = copy_tree(src / "public", dest / "static", report, lambda rel: _unless_built(rel, src, report))
        report.files += len(copied)
    if (src / "src/assets").is_dir():
        report.files += len(copy_tree(src / "src/assets", dest / "assets", report))
    _copy_about(src, dest, report)
    _astro_only(src, report)
    write_config(src, dest, major, report)


def _copy_posts(folder: Path, posts: Path, major: int, report: ImportReport) -> None:
    """Every file below the posts folder, beside its post. v5 builds posts in `_folders` too, leaving the folder
    out of the URL; Stufen skips `_` names, so such a folder's files move up into its parent (same URL)."""
    def place(rel: Path) -> Path:
        if major != 5 or not any(p.startswith("_") for p in rel.parts[:-1]):
            return rel
        moved = Path(*[p for p in rel.parts[:-1] if not p.startswith("_")], rel.name)
        report.note(folder / rel, None, f"moved to content/posts/{moved.as_posix()} (Stufen skips `_` folders; "
                    "the URL is the same)")
        return moved

    for source, _ in copy_tree(folder, posts, report, place):
        _count(source, report)


SOURCE = Source(NAME, detect, convert)


def _count(path: Path, report: ImportReport) -> None:
    if path.name.startswith(("_", ".")):
        report.files += 1
    elif path.suffix in POST_SUFFIXES:
        report.posts += 1
    elif path.suffix == ".mdx":
        report.files += 1
        report.note(path, 1, "MDX (components, imports) is not built by Stufen: copied, but not a post "
                    "(rename it to .md once it holds only Markdown)")
    else:
        report.files += 1


def _unless_built(rel: Path, src: Path, report: ImportReport) -> Path | None:
    if rel.as_posix() in BUILT or rel.parts[0] == "pagefind":
        report.note(src / "public" / rel, None, "not copied: Stufen builds this file itself")
        return None
    return rel


_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
ABOUT_KEYS = ("title", "description", "modDatetime")


def _copy_about(src: Path, dest: Path, report: ImportReport) -> None:
    """src/pages/about.md → content/about.md, its front matter cut to what Stufen's About page reads."""
    about = src / "src/pages/about.md"
    if not about.is_file():
        return
    lines = about.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, dropping, in_front = [], False, bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines, 1):
        if in_front and number > 1 and line.strip() == "---":
            in_front = False
        elif in_front and number > 1:
            key = _KEY.match(line)
            if key:
                dropping = key.group(1) not in ABOUT_KEYS
                if dropping:
                    report.note(about, number, f"{key.group(1)}: not carried over (an About page has "
                                f"{', '.join(ABOUT_KEYS)})")
            if dropping:
                continue
        kept.append(line)
    (dest / "content").mkdir(parents=True, exist_ok=True)
    (dest / "content/about.md").write_text("".join(kept), encoding="utf-8")
    report.files += 1


def _astro_only(src: Path, report: ImportReport) -> None:
    """Components, layouts, styles and custom pages: Astro code that Stufen's templates replace (one line per
    folder; a page AstroPaper does not ship is named on its own, as it may hold words of the site)."""
    for folder in ASTRO_ONLY:
        files = sorted(p for p in (src / folder).rglob("*") if p.is_file()) if (src / folder).is_dir() else []
        if folder == "src/pages":
            for path in files:
                if not _STANDARD_PAGES.match(path.relative_to(src / folder).as_posix()):
                    report.note(path, 1, "a custom page: not carried over (write it as a post, or as a template)")
        elif files:
            report.note(src / folder, None, f"{len(files)} file{'s' * (len(files) != 1)} of Astro code: not "
                        "carried over (Stufen's own templates/ and static/ take its place)")
