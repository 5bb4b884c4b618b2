"""The HTTP side of the dev server: stdlib `ThreadingHTTPServer` in front of a `Preview`.

Every answer but the event stream comes from `Preview.respond`, which is where
the rules live (and are tested without a socket); this module only speaks HTTP,
streams server-sent events, and turns a port in use into a helpful error.
"""

from __future__ import annotations

import errno
import json
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..errors import ConfigError
from .live import EVENTS, Preview, Response

HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream
REQUEST_TIMEOUT = 10.0  # seconds a connection may stay silent while we wait for (the rest of) a request


def event(state: dict) -> bytes:
    return f"data: {json.dumps(state)}\n\n".encode()


class Handler(BaseHTTPRequestHandler):
    """Turns `Preview.respond` into HTTP; streams `EVENTS` to each open tab."""

    protocol_version = "HTTP/1.1"  # keep-alive: a reload fetches the page and its assets on one connection
    disable_nagle_algorithm = True  # else headers and body, sent apart, wait ~40 ms for a delayed ACK
    server: DevServer

    def setup(self) -> None:
        # Each connection has its own thread, so a slow client holds only that thread, and its
        # socket times out: a slowloris or an idle keep-alive connection is dropped after a while.
        # Request lines (64 KiB → 414) and headers (100 of 64 KiB → 431) have http.server's limits.
        self.timeout = self.server.request_timeout
        super().setup()

    def do_GET(self) -> None:  # noqa: N802 (the name http.server asks for)
        if self.path.split("?", 1)[0] == EVENTS:
            self._events()
        else:
            self._answer("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer("HEAD")

    def __getattr__(self, name: str):
        if name.startswith("do_"):  # POST, PUT, DELETE, …: 405 instead of http.server's 501
            return lambda: self._answer(name[3:])
        raise AttributeError(name)

    def _answer(self, method: str) -> None:
        """`Preview.respond`, or a 500 with one line in the terminal: never an empty reply and a traceback."""
        try:
            response = self.server.preview.respond(method, self.path)
        except Exception as exc:  # a bug or an odd file-system error: the server must answer, and stay up
            message = f"Stufen could not answer {method} {self.path[:200]}: {type(exc).__name__}: {exc}"
            print(message, file=sys.stderr)
            response = Response(500, (("Content-Type", "text/plain; charset=utf-8"),
                                      ("Content-Length", str(len(message.encode()) + 1))), message.encode() + b"\n")
        self._send(response)

    def _send(self, response: Response) -> None:
        if self.headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # a body we never read must not be taken for the next request
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    def _events(self) -> None:
        """One server-sent event per state change, a comment line as heartbeat, until the tab goes."""
        self.close_connection = True
        self.send_response(200)
        for name, value in (("Content-Type", "text/event-stream"), ("Cache-Control", "no-store"),
                            ("Connection", "close")):
            self.send_header(name, value)
        self.end_headers()
        preview, seen = self.server.preview, None
        try:
            while True:
                state = preview.next_state(seen, HEARTBEAT)
                self.wfile.write(event(state) if state != seen else b": still here\n\n")
                self.wfile.flush()
                seen = state
                if preview.closed:
                    return
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # the terminal is for build reports; every request would drown them


class DevServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep Ctrl-C waiting
    request_queue_size = 128  # socketserver's 5 lets a burst of connections stall everyone behind it

    def __init__(self, address: tuple[str, int], preview: Preview, request_timeout: float = REQUEST_TIMEOUT):
        super().__init__(address, Handler)
        self.preview = preview
        self.request_timeout = request_timeout


class DevServer6(DevServer):
    address_family = socket.AF_INET6


def open_server(preview: Preview, host: str, port: int, request_timeout: float = REQUEST_TIMEOUT) -> DevServer:
    """Bind host:port (0 picks a free port); a port in use is an error naming one that is free."""
    try:
        return (DevServer6 if ":" in host else DevServer)((host, port), preview, request_timeout)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise ConfigError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
        free = next((p for p in range(port + 1, min(port + 100, 65536)) if _free(host, p)), 0)
        hint = f"try --port {free}" if free else "try --port 0 to pick any free port"
        raise ConfigError(f"port {port} on {host} is already in use ({hint})") from None


def _free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True
