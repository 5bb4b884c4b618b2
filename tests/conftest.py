"""Shared test helpers: real files in tmp_path, the real CLI, a pinned clock."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from stufen.cli import main

# 2026-01-01T00:00:00Z: posts dated after this are "scheduled" in every test.
FIXED_NOW = "1767225600"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_NOW)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Create a site folder from {relative path: text}; text is dedented."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def post(title="A post", date="2024-05-01T09:30:00+02:00", body="Hello.", **keys) -> str:
    """A post file with the given front matter keys (values written as YAML as-is)."""
    lines = [f"title: {title}", f"pubDatetime: {date}"] + [f"{k}: {v}" for k, v in keys.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def files(folder: Path) -> dict[str, bytes]:
    """A built tree as {relative path: bytes}, for comparing whole sites."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path):
    """A factory: site({path: text}) → the folder, ready for `stufen build`."""
    root = tmp_path / "site"
    root.mkdir()
    return lambda files: write_files(root, files)


@pytest.fixture
def stufen(capsys):
    """Run the real CLI in-process: stufen(root, "build", ...) → (exit code, stdout, stderr)."""
    def run(root: Path, *args: str):
        code = main(["-C", str(root), *args])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite expected golden output instead of comparing (read the diff before committing).")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
