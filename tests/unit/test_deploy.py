"""`stufen deploy` against a real bare repository in tmp_path."""

from __future__ import annotations

import subprocess

from conftest import post


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_deploy_builds_and_pushes_site_to_gh_pages(site, stufen, tmp_path):
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    root = site({"stufen.toml": 'cname = "journal.example.org"\n', "content/posts/a.md": post(description="x")})
    git("init", "-q", cwd=root)
    git("config", "user.name", "Test", cwd=root)
    git("config", "user.email", "test@example.org", cwd=root)
    git("remote", "add", "origin", str(remote), cwd=root)

    code, out, err = stufen(root, "deploy")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "Pushed _site/ to branch gh-pages of origin"
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert {".nojekyll", "CNAME", "index.html", "feed.xml", "posts/a/index.html"} <= set(files)
    assert git("log", "--format=%s", "gh-pages", cwd=remote).strip() == "Deploy with stufen deploy"

    code, _, err = stufen(root, "deploy", "--no-build", "--branch", "pages")
    assert (code, err) == (0, "")
    assert "index.html" in git("ls-tree", "--name-only", "pages", cwd=remote).split()


def test_deploy_without_a_built_site_says_what_to_do(site, stufen):
    root = site({"content/posts/a.md": post(description="x")})
    code, _, err = stufen(root, "deploy", "--no-build")
    assert code == 2
    assert err == (f"Error: nothing to deploy: {root / '_site'} is not a site built by Stufen "
                   "(run `stufen build` first)\n")


def test_deploy_outside_a_git_repository_fails_cleanly(site, stufen, tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = site({"content/posts/a.md": post(description="x")})
    code, _, err = stufen(root, "deploy")
    assert code == 2
    assert err == "Error: deploy failed: not a git repository (or any of the parent directories): .git\n"


def test_a_push_that_fails_says_what_git_said(site, stufen):
    root = site({"content/posts/a.md": post(description="x")})
    git("init", "-q", cwd=root)
    git("config", "user.name", "Test", cwd=root)
    git("config", "user.email", "test@example.org", cwd=root)
    code, _, err = stufen(root, "deploy", "--remote", "nope")
    assert code == 2
    assert err == "Error: deploy failed: 'nope' does not appear to be a git repository\n"
