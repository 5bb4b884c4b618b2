"""The `stufen serve` command line (the server itself is tested in test_serve.py)."""

from __future__ import annotations

import socket

from conftest import post


def test_serve_on_a_port_in_use_builds_then_names_a_free_port(site, stufen):
    root = site({"content/posts/a.md": post(description="A.")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = stufen(root, "serve", "--port", str(port))
    assert code == 2
    assert out.startswith("Built 1 post, 1 tag, ")
    assert err.startswith(f"Error: port {port} on 127.0.0.1 is already in use (try --port ")
    assert (root / ".stufen-serve/posts/a/index.html").exists() and not (root / "_site").exists()


def test_serve_help_lists_its_options(site, stufen):
    code, out, _ = stufen(site({}), "serve", "--help")
    assert code == 0
    for option in ("--watch", "--port", "--host", "--drafts / --no-drafts", "--open"):
        assert option in out
