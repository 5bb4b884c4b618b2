"""The `stufen serve` command line (the server itself is tested in test_serve.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import post
from stufen.serve.command import SERVE_DIR, ServeLock, http_address
from stufen.serve.http import open_server
from stufen.serve.live import Preview


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


@pytest.mark.parametrize(("host", "address"), [("127.0.0.1", "http://127.0.0.1:8000/blog/"),
                                               ("localhost", "http://localhost:8000/blog/"),
                                               ("::1", "http://[::1]:8000/blog/"), ("::", "http://[::]:8000/blog/"),
                                               ("fe80::1%eth0", "http://[fe80::1%25eth0]:8000/blog/")])
def test_the_address_printed_and_opened_brackets_ipv6_hosts(host, address):
    assert http_address(host, 8000, "/blog/") == address


def test_serving_on_ipv6_loopback_prints_a_bracketed_address(tmp_path):
    server = open_server(Preview(lambda: None, tmp_path), "::1", 0)
    try:
        assert http_address(*server.server_address[:2]) == f"http://[::1]:{server.server_address[1]}/"
    finally:
        server.server_close()


def _default_ctrl_c() -> None:
    """In the child, before Stufen starts: SIGINT as an interactive terminal leaves it (Python turns it into
    KeyboardInterrupt only when it starts with the default disposition)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def pagefind_running(root) -> bool:
    """Whether a Pagefind process is indexing (a scratch copy of) this site."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(b"pagefind" in a for a in args[:2]) and any(str(root).encode() in a for a in args):
            return True
    return False


def test_a_real_server_survives_a_second_one_and_ctrl_c_during_indexing_prints_only_stopped(site, stufen):
    posts = {f"content/posts/p{n}.md": post(f"Post {n}", body="Hesse wrote Siddhartha. " * 200, description="P.")
             for n in range(40)}
    root = site({**posts, "content/posts/d.md": post("Draft", draft="true", description="D.")})
    command = [sys.executable, "-m", "stufen", "-C", str(root), "serve", "--watch", "--port", "0"]
    # its own process group, which Ctrl-C in a terminal signals as a whole (Pagefind included, unless kept apart);
    # and Ctrl-C as a terminal delivers it: a test run started as a background job (`make test &`, nohup) has
    # SIGINT ignored, every child inherits that, and the server would rightly never see the Ctrl-C sent below
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                              preexec_fn=_default_ctrl_c)
    try:
        lines = [server.stdout.readline() for _ in range(3)]
        assert lines[1].startswith("Serving http://127.0.0.1:") and lines[2].startswith("Watching "), lines
        address = lines[1].split()[1]
        port = address.split(":")[2].split("/")[0]
        code, _, err = stufen(root, "serve", "--port", port, "--no-drafts")  # the same again, by mistake
        assert code == 2 and err.startswith(f"Error: this site is already being served at {address} (process ")
        with urllib.request.urlopen(address + "posts/d/") as draft:  # the first one is untouched
            assert draft.status == 200

        (root / "content/posts/p1.md").write_text(post("Post one", body="Edited.", description="P."))
        assert server.stdout.readline().startswith("Built 41 posts")
        deadline = time.monotonic() + 20  # the index is refreshed a second after the rebuild
        while not pagefind_running(root) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert pagefind_running(root)
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C, while Pagefind writes the new index
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert (out, err, server.returncode) == ("Stopped.\n", "", 0)
    assert not (root / ".stufen-serve.pagefind-new").exists()  # Pagefind finished and its index was swapped in
    assert [p.name for p in (root / ".stufen-cache/shards").iterdir() if p.name.startswith(".")] == []
