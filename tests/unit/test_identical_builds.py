"""Every way of building one site gives the same bytes (issue 17's "Done when").

A realistic small site (the demo journal of this repository, plus a post with a
wikilink and one with a large PNG beside it, for the WebP copies) is built cold,
and then in each of the other ways a site gets built: again from the cache with
nothing changed, after an edit and its revert, through the dev server's build
(in place, with a session), with `--profile`, and from a restored CI cache (a
fresh copy of the sources with new mtimes and inodes, plus what the Pages
workflow restores). Each must give exactly the cold build's files. A new way is
one line in `MODES`.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import FIXED_NOW, files, post
from stufen.incremental.store import CACHE_DIR
from stufen.serve.command import SERVE_DIR, Builder
from stufen.serve.reindex import refresh

REPO = Path(__file__).resolve().parents[2]
EDITED = "content/posts/2023-09-10-pandas-dataframes.md"
SOURCES = ("content", "stufen.toml", "static")  # what a checkout has; the rest is made by building


def restored_paths() -> list[str]:
    """What the Pages workflow's actions/cache step restores beside a fresh checkout."""
    workflow = yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = [step for step in workflow["jobs"]["build"]["steps"] if step.get("uses", "").startswith("actions/cache")]
    return steps[0]["with"]["path"].split()


def make_site(root: Path, search: bool) -> Path:
    """The demo journal, with a wikilink and an image wide enough for a srcset."""
    from PIL import Image

    for name in ("content", "stufen.toml"):
        _copy(REPO / name, root / name)
    _copy(REPO / "static/images", root / "static/images")
    toml = root / "stufen.toml"  # a top-level key: before the first [table]
    toml.write_text(f"search = {str(search).lower()}\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    wiki = post("Linking by name", date="2023-11-02T09:00:00+01:00", description="Wikilinks.", tags="[notes]",
                body="Back to [[Pandas DataFrames for People Who Think in Spreadsheets]] and "
                "[[linear-regression-by-hand|by hand]], with $x^2$.")
    (root / "content/posts/wikilinks.md").write_text(wiki, encoding="utf-8")
    photo = root / "content/posts/photo"
    photo.mkdir()
    (photo / "index.md").write_text(post("A photo", date="2023-11-03T09:00:00+01:00", description="A wide image.",
                                         tags="[notes]", body="![A gradient](gradient.png)"), encoding="utf-8")
    Image.linear_gradient("L").resize((1600, 400)).convert("RGB").save(photo / "gradient.png")
    return root


def _copy(source: Path, target: Path) -> None:
    """A copy with new mtimes and inodes, as a checkout or a cache restore on another machine makes."""
    if source.is_dir():
        shutil.copytree(source, target, copy_function=shutil.copy)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)


def edit(root: Path) -> bytes:
    """Change one post's body; its bytes before, to revert."""
    path = root / EDITED
    before = path.read_bytes()
    path.write_bytes(before + b"\nOne more sentence about what I learned today.\n")
    return before


def build(stufen, root: Path) -> Path:
    code, out, err = stufen(root, "build")
    assert code == 0, out + err
    return root / "_site"


def cold(stufen, site: Path, work: Path) -> Path:
    """Again from nothing, in another folder."""
    shutil.rmtree(site / CACHE_DIR)
    shutil.rmtree(site / "_site")
    return build(stufen, site)


def cached(stufen, site: Path, work: Path) -> Path:
    """Nothing changed, but every source file has a new mtime: a real build, everything from the cache."""
    for path in (site / "content").rglob("*"):
        os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)
    return build(stufen, site)


def incremental(stufen, site: Path, work: Path) -> Path:
    before = edit(site)
    build(stufen, site)
    (site / EDITED).write_bytes(before)
    return build(stufen, site)


def served(stufen, site: Path, work: Path) -> Path:
    """The dev server's builds (drafts hidden, as `stufen build` does): in place, with a session."""
    builder = Builder(site, drafts=False)
    builder()
    before = edit(site)
    builder()
    (site / EDITED).write_bytes(before)
    report = builder()
    job = builder.index_job(report)
    if job is not None:  # the server indexes after the reload
        refresh(site / SERVE_DIR, job)
    return site / SERVE_DIR


def restored(stufen, site: Path, work: Path) -> Path:
    """CI: the cache and site of a push with one post edited, restored beside a fresh checkout without it."""
    before = edit(site)
    build(stufen, site)
    (site / EDITED).write_bytes(before)
    checkout = work / "checkout"
    for name in SOURCES:
        _copy(site / name, checkout / name)
    with tarfile.open(work / "cache.tar", "w") as tar:  # as actions/cache saves and restores: hard links kept
        for name in restored_paths():
            tar.add(site / name, arcname=name)
    with tarfile.open(work / "cache.tar") as tar:
        tar.extractall(checkout, filter="tar")
    assert (checkout / "._site.stufen-spare").is_dir()  # the folder the next site is built in
    return build(stufen, checkout)


def profiled(stufen, site: Path, work: Path) -> Path:
    """`stufen build --profile` after an edit and its revert: measuring must not change a byte."""
    before = edit(site)
    build(stufen, site)
    (site / EDITED).write_bytes(before)
    code, out, err = stufen(site, "build", "--profile")
    assert code == 0 and "total" in out + err, out + err
    return site / "_site"


# Each way of building: (stufen, a copy of the cold-built site with its cache and site, a scratch folder) → the
# folder it built.
MODES: dict[str, Callable[..., Path]] = {
    "cold": cold,
    "cached": cached,
    "incremental": incremental,
    "served": served,
    "restored": restored,
    "profiled": profiled,
}
CASES = [(mode, False) for mode in MODES] + [("restored", True), ("served", True)]  # search on: Pagefind too


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Callable[[bool], tuple[Path, dict[str, bytes]]]:
    """The cold build of the site, once per search setting: (its folder, cache and site included; its files)."""
    built: dict[bool, tuple[Path, dict[str, bytes]]] = {}

    def get(search: bool) -> tuple[Path, dict[str, bytes]]:
        if search not in built:
            from stufen.cli import main

            root = make_site(tmp_path_factory.mktemp(f"cold-search-{search}"), search)
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW)  # as conftest pins it for each test
                assert main(["-C", str(root), "build"]) == 0
            built[search] = root, files(root / "_site")
        return built[search]
    return get


@pytest.mark.parametrize(("mode", "search"), CASES, ids=[f"{m}{'-search' if s else ''}" for m, s in CASES])
def test_every_way_of_building_gives_the_cold_builds_bytes(mode, search, reference, stufen, tmp_path):
    root, expected = reference(search)
    site = tmp_path / "site"
    shutil.copytree(root, site, copy_function=shutil.copy)  # the cold build's sources, cache and site
    got = files(MODES[mode](stufen, site, tmp_path))
    assert len(expected) > 40 and any(name.endswith(".webp") for name in expected)
    assert (any(name.startswith("pagefind/") for name in expected)) == search
    differing = sorted(name for name in expected.keys() | got.keys() if expected.get(name) != got.get(name))
    assert differing == [], f"{mode} build differs from the cold build in: {', '.join(differing)}"
