"""Whole sites built by the real CLI and compared file by file with expected output.

Regenerate with `pytest --update-golden` and read the diff before committing.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).parent
REPO = HERE.parents[1]
SITES = sorted(p.name for p in (HERE / "sites").iterdir() if (p / "site").is_dir())


# Binary outputs that change with Pagefind's version or the machine's fonts: checked for presence only.
UNPINNED = {"pagefind": "pagefind/0/pagefind.js", "og": "og/site.png"}


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] not in UNPINNED}


def compare_trees(built: Path, expected: Path, update: bool) -> None:
    for sample in UNPINNED.values():
        assert (built / sample).exists(), f"{sample} was not built"
    if update:
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(built, expected, ignore=lambda folder, names: list(UNPINNED) if folder == str(built) else [])
    got, want = tree(built), tree(expected)
    assert sorted(got) == sorted(want), "the set of built files changed"
    for name in sorted(want):
        if got[name] != want[name]:
            diff = difflib.unified_diff(want[name].decode(errors="replace").splitlines(),
                                        got[name].decode(errors="replace").splitlines(),
                                        f"expected/{name}", f"built/{name}", lineterm="", n=2)
            pytest.fail(f"{name} differs:\n" + "\n".join(list(diff)[:60]))


@pytest.mark.parametrize("name", SITES)
def test_golden_site(name, tmp_path, stufen, update_golden):
    case = HERE / "sites" / name
    root = tmp_path / name
    shutil.copytree(case / "site", root)
    code, out, err = stufen(root, "build")
    report = case / "expected-report.txt"
    if report.exists():  # a failing site: the exact report, and nothing written
        if update_golden:
            report.write_text(err, encoding="utf-8")
        assert (code, err) == (1, report.read_text(encoding="utf-8"))
        assert not (root / "_site").exists()
    else:
        assert code == 0, err
        compare_trees(root / "_site", case / "expected", update_golden)


def test_demo_journal(tmp_path, stufen, update_golden):
    """The repository's own demo journal, as `make build` builds it."""
    root = tmp_path / "demo"
    root.mkdir()
    for part in ("content", "static", "templates", "stufen.toml"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / part)
    code, out, err = stufen(root, "build")
    assert code == 0, err
    compare_trees(root / "_site", HERE / "demo-expected", update_golden)
