"""`stufen deploy`: publish the built site on a `gh-pages` branch with ghp-import.

For those who prefer a branch to the Actions workflow. ghp-import commits the
folder's files onto the branch without touching the working tree, then pushes.
It runs as a subprocess in the site folder, because it works on the current
directory's repository; its errors come back as one readable line: git's own
(`'nope' does not appear to be a git repository`), not the traceback ghp-import prints.

ghp-import force-pushes whatever branch it is given, so `--branch main` once replaced
the source branch with a commit holding only the site. Before anything is written the
branch is refused when it is checked out, is the remote's default branch, or holds the
site's `content/` (locally or on the remote); a failed push puts the local branch back
as it was, so no half-made `gh-pages` is left behind.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import ConfigError
from ..output.write import MARKER


def deploy(root: Path, site_dir: Path, *, remote: str = "origin", branch: str = "gh-pages",
           message: str = "Deploy with stufen deploy", content_dir: str = "content") -> str:
    """Commit `site_dir` onto `branch` and force-push it to `remote`; returns what was done."""
    if not (site_dir / MARKER).is_file():
        raise ConfigError(f"nothing to deploy: {site_dir} is not a site built by Stufen (run `stufen build` first)")
    _git(root, "rev-parse", "--git-dir")
    remote_default, remote_tip = _remote_heads(root, remote, branch)
    _refuse_source_branch(root, remote, branch, remote_default, remote_tip, content_dir)
    before = _git(root, "rev-parse", "-q", "--verify", f"refs/heads/{branch}", check=False)
    command = [sys.executable, "-m", "ghp_import", "--push", "--force", "--remote", remote,
               "--branch", branch, "--message", message, str(site_dir.resolve())]
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        # put the local branch back: deleted if this deploy made it, else at its old commit
        _git(root, "update-ref", *(["-d", f"refs/heads/{branch}"] if not before else [f"refs/heads/{branch}", before]),
             check=False)
        raise ConfigError("deploy failed: " + failure(result.stderr + result.stdout, result.returncode))
    return f"Pushed {site_dir.name}/ to branch {branch} of {remote}"


def _refuse_source_branch(root: Path, remote: str, branch: str, remote_default: str | None,
                          remote_tip: str | None, content_dir: str) -> None:
    """A ConfigError when pushing the site onto `branch` would replace the site's source."""
    hint = "deploy to a branch of its own, such as the default gh-pages"
    if branch == _git(root, "symbolic-ref", "--short", "-q", "HEAD", check=False):
        raise ConfigError(f"refusing to deploy onto '{branch}': it is the branch checked out here ({hint})")
    if branch == remote_default:
        raise ConfigError(f"refusing to deploy onto '{branch}': it is the default branch of {remote} ({hint})")
    content = _git(root, "rev-parse", "--show-prefix") + content_dir.strip("/")
    if remote_tip and not _has(root, remote_tip):
        _git(root, "fetch", "-q", "--no-tags", remote, f"refs/heads/{branch}", check=False)
    tips = ((f"the local branch '{branch}'", f"refs/heads/{branch}"), (f"'{branch}' on {remote}", remote_tip))
    for where, tip in tips:
        if tip and _has(root, f"{tip}:{content}"):
            raise ConfigError(f"refusing to deploy onto '{branch}': {where} holds the site's {content}/, "
                              f"so it is a source branch, not a published site ({hint})")


def _remote_heads(root: Path, remote: str, branch: str) -> tuple[str | None, str | None]:
    """(the remote's default branch, the commit `branch` is at there); None for what it does not have."""
    default = tip = None
    for line in _git(root, "ls-remote", "--symref", remote, "HEAD", f"refs/heads/{branch}").splitlines():
        left, _, ref = line.partition("\t")
        if left.startswith("ref: ") and ref == "HEAD":
            default = left.removeprefix("ref: ").removeprefix("refs/heads/")
        elif ref == f"refs/heads/{branch}":
            tip = left
    return default, tip


def _has(root: Path, spec: str) -> bool:
    return subprocess.run(["git", "cat-file", "-e", spec], cwd=root, capture_output=True).returncode == 0


def _git(root: Path, *args: str, check: bool = True) -> str:
    """git's output, stripped; with `check`, a failure is a ConfigError saying what git said."""
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise ConfigError("deploy failed: " + failure(result.stderr or result.stdout, result.returncode))
    return result.stdout.strip() if result.returncode == 0 else ""


_REASONS = ("fatal: ", "error: ", "ghp_import.py: error: ")  # git's messages, then ghp-import's


def failure(output: str, code: int) -> str:
    """The line of a failed ghp-import run that says why: what a remote's hook said when it refused the
    push, else the first of git's or ghp-import's own messages, else the last line (never the
    traceback's `CalledProcessError`)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    said = [line.removeprefix("remote:").strip() for line in lines if line.startswith("remote:")]
    if any("[remote rejected]" in line for line in lines) and any(said):
        return "the remote refused the push: " + " ".join(s for s in said if s)
    for line in lines:
        prefix = next((p for p in _REASONS if line.startswith(p)), None)
        if prefix:
            return line.removeprefix(prefix)
    return lines[-1] if lines else f"exit status {code}"
