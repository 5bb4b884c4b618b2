"""The `stufen serve` command line (the server itself is tested in test_serve.py)."""

from __future__ import annotations

import socket

from conftest import post
from stufen.devsite import SERVE_DIR, ServeLock


def test_serve_on_a_port_in_use_names_a_free_port_before_building(site, stufen):
    root = site({"content/posts/a.md": post(description="A.")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = stufen(root, "serve", "--port", str(port))
    assert code == 2 and out == ""
    assert err.startswith(f"Error: port {port} on 127.0.0.1 is already in use (try --port ")
    assert not (root / SERVE_DIR).exists() and not (root / "_site").exists()


def test_a_second_server_of_the_same_site_is_refused_and_changes_nothing(site, stufen):
    root = site({"content/posts/a.md": post(description="A."), "content/posts/d.md": post(draft="true")})
    served = root / SERVE_DIR / "posts/d/index.html"
    served.parent.mkdir(parents=True)
    served.write_text("the running server's draft")
    with ServeLock(root / SERVE_DIR) as running:  # what the first server holds while it serves
        running.announce("http://127.0.0.1:8000/")
        for port in ("8000", "0"):  # on its port, or on another
            code, out, err = stufen(root, "serve", "--port", port, "--no-drafts")
            assert (code, out) == (2, "")
            assert err.startswith("Error: this site is already being served at http://127.0.0.1:8000/ (process ")
            assert err.endswith("); open that, or stop it first: two servers would rebuild .stufen-serve/ "
                                "under each other\n")
    assert [p.relative_to(root / SERVE_DIR).as_posix() for p in (root / SERVE_DIR).rglob("*")] == ["posts", "posts/d",
                                                                                                 "posts/d/index.html"]
    assert served.read_text() == "the running server's draft"
    with ServeLock(root / SERVE_DIR):  # and once the first one stops, the folder is free again
        pass


def test_serve_help_lists_its_options(site, stufen):
    code, out, _ = stufen(site({}), "serve", "--help")
    assert code == 0
    for option in ("--watch", "--port", "--host", "--drafts / --no-drafts", "--open"):
        assert option in out
