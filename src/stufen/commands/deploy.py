"""`stufen deploy`: publish the built site on a `gh-pages` branch with ghp-import.

For those who prefer a branch to the Actions workflow. ghp-import commits the
folder's files onto the branch without touching the working tree, then pushes.
It runs as a subprocess in the site folder, because it works on the current
directory's repository; its errors come back as one readable line: git's own
(`'nope' does not appear to be a git repository`), not the traceback ghp-import prints.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import ConfigError
from ..output.write import MARKER


def deploy(root: Path, site_dir: Path, *, remote: str = "origin", branch: str = "gh-pages",
           message: str = "Deploy with stufen deploy") -> str:
    """Commit `site_dir` onto `branch` and force-push it to `remote`; returns what was done."""
    if not (site_dir / MARKER).is_file():
        raise ConfigError(f"nothing to deploy: {site_dir} is not a site built by Stufen (run `stufen build` first)")
    command = [sys.executable, "-m", "ghp_import", "--push", "--force", "--remote", remote,
               "--branch", branch, "--message", message, str(site_dir.resolve())]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise ConfigError("deploy failed: " + failure(result.stderr or result.stdout, result.returncode))
    return f"Pushed {site_dir.name}/ to branch {branch} of {remote}"


_REASONS = ("fatal: ", "error: ", "ghp_import.py: error: ")  # git's messages, then ghp-import's


def failure(output: str, code: int) -> str:
    """The line of a failed ghp-import run that says why: the first of git's or ghp-import's own
    messages, else the last line (never the traceback's `CalledProcessError`)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        prefix = next((p for p in _REASONS if line.startswith(p)), None)
        if prefix:
            return line.removeprefix(prefix)
    return lines[-1] if lines else f"exit status {code}"
