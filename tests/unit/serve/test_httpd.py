"""The dev server on a real socket, against hostile clients: slow, huge, or sending what it does not take."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from stufen.serve.http import open_server
from stufen.serve.live import Preview


@pytest.fixture
def address(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<html><body><h1>Hi</h1></body></html>")
    site = Preview(lambda: None, folder, "/")
    server = open_server(site, "127.0.0.1", 0, request_timeout=0.5)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server.server_address[:2]
    site.close()
    server.shutdown()
    server.server_close()


def exchange(address, data: bytes, wait: float = 5.0) -> bytes:
    """Send `data`, read until the server closes the connection (or `wait` passes)."""
    with socket.create_connection(address, timeout=wait) as client:
        client.sendall(data)
        answer = b""
        try:
            while chunk := client.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
        return answer


def get(address, path: str = "/") -> tuple[int, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://{address[0]}:{address[1]}{path}", timeout=5) as response:
        return response.status, time.perf_counter() - started


def test_slow_clients_block_no_one_and_are_dropped(address):
    slow = [socket.create_connection(address) for _ in range(20)]
    for client in slow:
        client.sendall(b"GET / HT")  # ... and never the rest
    status, seconds = get(address)
    assert status == 200 and seconds < 1.0
    started = time.perf_counter()
    for client in slow:
        client.settimeout(5)
        assert client.recv(100) == b""  # the server hung up on it
        client.close()
    assert time.perf_counter() - started < 3


def test_an_idle_keep_alive_connection_is_dropped(address):
    answer = exchange(address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # then silence, keep-alive
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")  # returned: closed after the request timeout


def test_a_huge_request_line_is_refused(address):
    answer = exchange(address, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer[9:13] == b"414 "


def test_huge_or_too_many_headers_are_refused(address):
    assert exchange(address, b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")[9:13] == b"431 "
    many = b"".join(b"X-%d: 1\r\n" % n for n in range(150))
    assert exchange(address, b"GET / HTTP/1.1\r\n" + many + b"\r\n")[9:13] == b"431 "


def test_a_body_sent_with_a_refused_method_is_not_read_as_the_next_request(address):
    smuggled = b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
    body = b"x" * 100 + smuggled
    answer = exchange(address, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert answer.startswith(b"HTTP/1.1 405 ") and answer.count(b"HTTP/1.1") == 1


def test_a_flood_of_connections_leaves_the_server_answering(address):
    clients = [socket.create_connection(address) for _ in range(100)]
    try:
        assert get(address)[0] == 200
    finally:
        for client in clients:
            client.close()


def test_site_folder_path_is_never_in_an_answer(address, tmp_path):
    answer = exchange(address, b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 403 ") and str(Path(tmp_path)).encode() not in answer


def test_a_path_segment_longer_than_a_file_name_gets_414_not_an_empty_reply(address, capfd):
    for path in ("/" + "a" * 300, "/" + "%C3%A9" * 200 + "/x", "/" + "/".join(["b" * 250] * 20)):
        answer = exchange(address, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 414 "), answer[:100]
        assert answer.endswith(b"URI Too Long: a part of this path is longer than any file name can be\n")
    assert get(address)[0] == 200
    assert capfd.readouterr().err == ""  # no traceback in the terminal
