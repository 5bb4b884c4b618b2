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


def source_repo(site, tmp_path, default="main"):
    """A site committed on `default`, pushed to a bare remote whose default branch that is."""
    remote = tmp_path / "remote.git"
    git("init", "--bare", "-q", f"--initial-branch={default}", str(remote), cwd=tmp_path)
    root = site({"content/posts/a.md": post(description="x"), ".gitignore": "_site/\n.stufen-cache/\n"})
    git("init", "-q", f"--initial-branch={default}", cwd=root)
    git("config", "user.name", "Test", cwd=root)
    git("config", "user.email", "test@example.org", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-qm", "Source", cwd=root)
    git("remote", "add", "origin", str(remote), cwd=root)
    git("push", "-q", "origin", default, cwd=root)
    return root, remote


def test_deploy_refuses_the_checked_out_branch_and_leaves_everything_as_it_was(site, stufen, tmp_path):
    root, remote = source_repo(site, tmp_path)
    source = git("rev-parse", "main", cwd=remote)
    index = (root / ".git/index").read_bytes()
    code, _, err = stufen(root, "deploy", "--branch", "main")
    assert code == 2
    assert err == ("Error: refusing to deploy onto 'main': it is the branch checked out here "
                   "(deploy to a branch of its own, such as the default gh-pages)\n")
    assert git("rev-parse", "main", cwd=remote) == source
    assert git("rev-parse", "main", cwd=root) == source
    assert (root / ".git/index").read_bytes() == index
    assert git("status", "--porcelain", cwd=root) == ""


def test_deploy_refuses_the_remotes_default_branch_and_any_branch_holding_the_content(site, stufen, tmp_path):
    root, remote = source_repo(site, tmp_path, default="trunk")
    git("checkout", "-qb", "drafting", cwd=root)
    assert stufen(root, "build")[0] == 0
    code, _, err = stufen(root, "deploy", "--no-build", "--branch", "trunk")
    assert (code, err) == (2, "Error: refusing to deploy onto 'trunk': it is the default branch of origin "
                              "(deploy to a branch of its own, such as the default gh-pages)\n")
    git("push", "-q", "origin", "drafting:backup", cwd=root)  # a copy of the source under another name
    code, _, err = stufen(root, "deploy", "--no-build", "--branch", "backup")
    assert (code, err) == (2, "Error: refusing to deploy onto 'backup': 'backup' on origin holds the site's "
                              "content/, so it is a source branch, not a published site (deploy to a branch "
                              "of its own, such as the default gh-pages)\n")
    git("branch", "local-copy", cwd=root)
    code, _, err = stufen(root, "deploy", "--no-build", "--branch", "local-copy")
    assert code == 2 and "the local branch 'local-copy' holds the site's content/" in err
    assert git("rev-parse", "backup", cwd=remote) == git("rev-parse", "trunk", cwd=remote)
    assert "gh-pages" not in git("branch", "--list", cwd=root)
    code, out, err = stufen(root, "deploy", "--no-build")
    assert (code, err) == (0, "")
    assert "content/posts/a.md" not in git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()


def test_a_deploy_without_a_remote_leaves_no_local_gh_pages(site, stufen, tmp_path):
    root, _ = source_repo(site, tmp_path)
    git("remote", "remove", "origin", cwd=root)
    code, _, err = stufen(root, "deploy")
    assert (code, err) == (2, "Error: deploy failed: 'origin' does not appear to be a git repository\n")
    assert git("branch", "--list", "gh-pages", cwd=root) == ""


def test_a_push_refused_by_a_hook_shows_the_remotes_message_and_leaves_no_branch(site, stufen, tmp_path):
    root, remote = source_repo(site, tmp_path)
    hook = remote / "hooks/pre-receive"
    hook.write_text("#!/bin/sh\necho 'Pages are frozen until Monday.' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, _, err = stufen(root, "deploy")
    assert (code, err) == (2, "Error: deploy failed: the remote refused the push: Pages are frozen until Monday.\n")
    assert git("branch", "--list", "gh-pages", cwd=root) == ""
    assert git("branch", "--list", "gh-pages", cwd=remote) == ""
