"""The dev server without a socket: a builder is injected and requests are answered directly."""

from __future__ import annotations

import io
import json
import socket
import threading
from pathlib import Path

import pytest

from conftest import post
from stufen.errors import BuildFailed, ConfigError, ContentError
from stufen.serve.command import SERVE_DIR, Quieter, make_builder, open_preview
from stufen.serve.http import Handler, open_server
from stufen.serve.live import EVENTS, Preview, inject

PAGE = b"<!DOCTYPE html><html><body><h1>Hello</h1></body></html>"


class FolderBuilder:
    """Writes a tiny site into `folder`; `fail` makes the next build fail like a broken post."""

    def __init__(self, folder: Path):
        self.folder, self.fail, self.title, self.calls = folder, False, "Hello", 0

    def __call__(self):
        self.calls += 1
        if self.fail:
            raise BuildFailed((ContentError("content/posts/x.md", 3, "pubDatetime: missing", "add one"),))
        for rel, data in {"index.html": f"<html><body><h1>{self.title}</h1></body></html>".encode(),
                          "posts/x/index.html": PAGE, "404.html": b"<html><body>Lost</body></html>",
                          "assets/style.css": b"body{}", "assets/theme.js": b"1;", "logo.svg": b"<svg/>",
                          "data.json": b"{}", "notes.txt": b"hi"}.items():
            (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / rel).write_bytes(data)
        return type("Report", (), {"format": lambda _: f"Built {self.title}"})()


@pytest.fixture
def live(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    builder = FolderBuilder(folder)
    site = Preview(builder, folder, "/journal/")
    assert site.rebuild() == "Built Hello"
    return site, builder


def header(response, name):
    return dict(response.headers)[name]


def test_serves_pages_under_the_base_path_with_the_reload_script(live):
    site, _ = live
    response = site.respond("GET", "/journal/posts/x/?utm=1")
    assert response.status == 200
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    assert response.body.startswith(PAGE[:-14]) and response.body.endswith(b"</script></body></html>")
    assert b'data-version="1"' in response.body and f'data-events="{EVENTS}"'.encode() in response.body
    assert (site.folder / "posts/x/index.html").read_bytes() == PAGE  # never on disk


def test_redirects_to_base_path_and_folder_slash(live):
    site, _ = live
    assert (site.respond("GET", "/").status, header(site.respond("GET", "/"), "Location")) == (302, "/journal/")
    assert header(site.respond("GET", "/journal"), "Location") == "/journal/"
    assert header(site.respond("GET", "/journal/posts/x"), "Location") == "/journal/posts/x/"
    outside = site.respond("GET", "/elsewhere/")
    assert (outside.status, outside.body) == (404, b"Not found: this site is served under /journal/\n")


@pytest.mark.parametrize(("name", "kind"), [
    ("assets/style.css", "text/css; charset=utf-8"), ("assets/theme.js", "text/javascript; charset=utf-8"),
    ("logo.svg", "image/svg+xml"), ("data.json", "application/json"), ("notes.txt", "text/plain; charset=utf-8"),
])
def test_content_types_and_no_script_outside_html(live, name, kind):
    site, _ = live
    response = site.respond("GET", f"/journal/{name}")
    assert header(response, "Content-Type") == kind
    assert response.body == (site.folder / name).read_bytes()


def test_head_has_headers_but_no_body(live):
    site, _ = live
    response = site.respond("HEAD", "/journal/assets/style.css")
    assert (response.status, response.body, header(response, "Content-Length")) == (200, b"", "6")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head(live, method):
    site, _ = live
    response = site.respond(method, "/journal/")
    assert (response.status, header(response, "Allow")) == (405, "GET, HEAD")


@pytest.mark.parametrize("path", ["/journal/../secret.txt", "/journal/%2e%2e/secret.txt",
                                  "/journal/%2E%2E%2Fsecret.txt", "/journal/posts/..%2f..%2fsecret.txt",
                                  "/journal/..%5csecret.txt", "/journal/..\\secret.txt", "/journal/.%2e/secret.txt",
                                  "/journal/posts/%2e%2e%2F%2e%2e%2Fsecret.txt", "/journal/secret.txt%00.html",
                                  "/journal/%00", "/journal/./../secret.txt"])
def test_never_leaves_the_site_folder(live, path):
    site, _ = live
    (site.folder.parent / "secret.txt").write_text("secret")
    response = site.respond("GET", path)
    assert (response.status, response.body) == (403, b"Forbidden: the path leaves the site folder\n")


@pytest.mark.parametrize("path", ["/journal/%252e%252e/secret.txt", "/journal/%252e%252e%252fsecret.txt",
                                  "/journal/%c0%ae%c0%ae/secret.txt", "/journal/..%u2215secret.txt",
                                  "/journal/%2e%2e%c0%afsecret.txt", "/secret.txt",
                                  "/journal/../../journal/../secret.txt",
                                  "http://localhost/journal/../secret.txt", "/journal//" + "../" * 3 + "secret.txt"])
def test_double_and_overlong_encodings_reach_nothing_outside(live, path):
    site, _ = live
    (site.folder.parent / "secret.txt").write_text("secret")
    response = site.respond("GET", path)  # decoded once only: what remains is a (missing) name inside the site
    assert response.status in (403, 404) and b"secret" not in response.body.replace(b"secret.txt", b"")


def test_symlinked_folders_out_of_the_site_are_refused(live):
    site, _ = live
    outside = site.folder.parent / "private"
    outside.mkdir()
    (outside / "key.txt").write_text("secret")
    (site.folder / "docs").symlink_to(outside, target_is_directory=True)
    assert site.respond("GET", "/journal/docs/key.txt").status == 403
    assert site.respond("GET", "/journal/docs/").status == 403


def test_symlinks_pointing_outside_are_refused(live):
    site, _ = live
    (site.folder.parent / "secret.txt").write_text("secret")
    (site.folder / "link.txt").symlink_to(site.folder.parent / "secret.txt")
    assert site.respond("GET", "/journal/link.txt").status == 403
    assert site.respond("GET", "//etc/passwd").status == 404


def test_missing_page_gets_404_page_with_script(live):
    site, _ = live
    response = site.respond("GET", "/journal/nope/")
    assert response.status == 404 and response.body.startswith(b"<html><body>Lost<script")


def test_failed_build_keeps_last_good_site_and_reports_to_the_browser(live):
    site, builder = live
    builder.fail = True
    assert site.rebuild() == "content/posts/x.md:3: pubDatetime: missing (add one)\nBuild failed: 1 error"
    assert site.state() == {"version": 1, "assets": 1, "error": {
        "summary": "Build failed: 1 error",
        "problems": [{"where": "content/posts/x.md:3", "message": "pubDatetime: missing (add one)"}]}}
    assert b"<h1>Hello</h1>" in site.respond("GET", "/journal/").body
    builder.fail, builder.title = False, "Fixed"
    site.rebuild()
    assert site.state() == {"version": 2, "assets": 2, "error": None}
    assert b"<h1>Fixed</h1>" in site.respond("GET", "/journal/").body


def test_config_error_is_shown_too(live):
    site, builder = live
    site.builder = lambda: (_ for _ in ()).throw(ConfigError("stufen.toml:2: unknown key 'titel'"))
    assert site.rebuild() == "Error: stufen.toml:2: unknown key 'titel'"
    assert site.error["problems"] == [{"where": "stufen.toml", "message": "stufen.toml:2: unknown key 'titel'"}]


def test_requests_wait_while_a_build_runs(live):
    site, builder = live
    started, release = threading.Event(), threading.Event()
    real = site.builder

    def slow():
        started.set()
        release.wait(5)
        builder.title = "New"
        return real()

    site.builder = slow
    rebuild = threading.Thread(target=site.rebuild)
    rebuild.start()
    started.wait(5)
    answers = []
    request = threading.Thread(target=lambda: answers.append(site.respond("GET", "/journal/")))
    request.start()
    request.join(0.2)
    assert request.is_alive() and answers == []  # held back: the site is half-built
    release.set()
    request.join(5)
    rebuild.join(5)
    assert b"<h1>New</h1>" in answers[0].body


def test_next_state_returns_at_once_when_behind_and_waits_when_current(live):
    site, _ = live
    assert site.next_state(None, 0)["version"] == 1
    current = site.state()
    assert site.next_state(current, 0.01) == current


class FakeSocket:
    """What StreamRequestHandler needs of a connection: a file to read, a place to send."""

    def __init__(self, request: bytes):
        self.incoming, self.sent = io.BytesIO(request), bytearray()

    def makefile(self, mode, *args, **kwargs):
        return self.incoming

    def sendall(self, data):
        self.sent += data

    def setsockopt(self, *option):
        pass  # TCP_NODELAY: nothing to delay here

    def settimeout(self, seconds):
        pass  # the request is all there already


def handle(preview: Preview, request: bytes) -> bytes:
    server = type("Server", (), {"preview": preview, "request_timeout": 1.0})()
    connection = FakeSocket(request)
    Handler(connection, ("127.0.0.1", 1), server)
    return bytes(connection.sent)


def test_handler_speaks_http(live):
    site, _ = live
    answer = handle(site, b"GET /journal/assets/style.css HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"\r\n\r\nbody{}")
    assert b"Content-Type: text/css; charset=utf-8\r\n" in answer
    assert handle(site, b"DELETE /journal/ HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 405 ")


def test_event_stream_sends_the_state(live):
    site, _ = live
    site.close()  # a closed site sends its state once and ends the stream
    answer = handle(site, f"GET {EVENTS} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert b"Content-Type: text/event-stream\r\n" in answer
    data = answer.split(b"\r\n\r\n", 1)[1]
    assert data.startswith(b"data: ") and json.loads(data[6:]) == {"version": 1, "assets": 1, "error": None}


def test_inject_appends_when_there_is_no_body_tag():
    assert inject(b"<p>x</p>", 3).startswith(b'<p>x</p><script id="stufen-live" data-version="3"')


def test_port_in_use_is_an_error_naming_a_free_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=rf"^port {port} on 127.0.0.1 is already in use \(try --port \d+\)$"):
            open_server(Preview(lambda: None, Path(".")), "127.0.0.1", port)


def test_real_builder_shows_drafts_and_scheduled_posts_marked(site):
    root = site({
        "content/posts/draft.md": post("Draft one", draft="true", description="D."),
        "content/posts/later.md": post("Later one", "2030-01-01", description="L."),
    })
    live = Preview(make_builder(root), root / SERVE_DIR)
    assert live.rebuild().startswith("Built 2 posts")
    assert b"Draft: not published" in live.respond("GET", "/posts/draft/").body
    assert b"Scheduled: appears on" in live.respond("GET", "/posts/later/").body
    assert not (root / "_site").exists()
    assert not any(b"stufen-live" in p.read_bytes() for p in (root / SERVE_DIR).rglob("*.html"))


def test_rebuild_reports_shrink_warnings_already_shown():
    quiet = Quieter()
    first = "a.md:3: warning: broken link 'x'\nb.md:1: warning: no description\nBuilt 2 posts"
    assert quiet(first) == first
    again = "a.md:3: warning: broken link 'x'\nb.md:1: warning: no description\nc.md:2: warning: new\nBuilt 3 posts"
    assert quiet(again) == "c.md:2: warning: new\n(2 warnings as before)\nBuilt 3 posts"


def test_template_error_reaches_the_overlay_and_the_fix_clears_it(site):
    root = site({"content/posts/a.md": post(description="A."),
                 "templates/post.html": '{% extends "base.html" %}\n{% block main %}{{ nope }}{% endblock %}\n'})
    live = Preview(make_builder(root), root / SERVE_DIR)
    report = live.rebuild()
    assert report == "templates/post.html:2: template error: 'nope' is undefined (on /posts/a/)\nBuild failed: 1 error"
    assert live.error["problems"][0] == {"where": "templates/post.html:2",
                                         "message": "template error: 'nope' is undefined (on /posts/a/)"}
    (root / "templates/post.html").write_text('{% extends "base.html" %}\n{% block main %}fine{% endblock %}\n')
    live.rebuild()
    assert live.error is None and b"fine" in live.respond("GET", "/posts/a/").body


def test_assets_version_moves_only_when_something_besides_pages_changed(tmp_path):
    changes = iter([("index.html", "assets/style.css"), ("posts/x/index.html",), ("static/logo.svg",), ()])
    report = type("Report", (), {"format": lambda self: "Built", "changed": property(lambda self: next(changes))})
    site = Preview(report, tmp_path)
    states = []
    for _ in range(4):
        site.rebuild()
        states.append((site.version, site.assets))
    assert states == [(1, 1), (2, 1), (3, 3), (4, 3)]


def test_feeds_sitemap_and_og_cards_changing_with_a_post_need_no_full_reload(tmp_path):
    changed = ("posts/x/index.html", "feed.xml", "tags/t/feed.xml", "sitemap.xml", "robots.txt",
               "site.webmanifest", "og/posts/x.png")
    report = type("Report", (), {"format": lambda self: "Built", "changed": changed})
    site = Preview(report, tmp_path)
    site.rebuild()
    site.rebuild()
    assert (site.version, site.assets) == (2, 0)


def location(site, path):
    response = site.respond("GET", path)
    return response.status, dict(response.headers).get("Location")


def test_a_new_base_path_is_served_at_once_and_the_old_one_redirects_to_it(site):
    root = site({"content/posts/a.md": post(description="A."),
                 "stufen.toml": 'base_url = "https://me.github.io/blog/"\nsearch = false\n'})
    live, _ = open_preview(root)
    live.rebuild()
    assert live.base_path == "/blog/" and live.respond("GET", "/blog/posts/a/").status == 200
    (root / "stufen.toml").write_text('base_url = "https://me.github.io/journal/"\nsearch = false\n')
    report = live.rebuild()
    assert report.endswith("\nbase_url's path is now /journal/: the site is served there "
                           "(addresses under /blog/ redirect to it)")
    page = live.respond("GET", "/journal/posts/a/")
    assert page.status == 200 and b'href="/journal/posts/"' in page.body and b'href="/blog/' not in page.body
    assert live.assets == live.version  # open tabs reload, and land on the new address
    assert location(live, "/blog/posts/a/?q=1") == (302, "/journal/posts/a/?q=1")
    assert location(live, "/blog") == (302, "/journal/")
    assert location(live, "/") == (302, "/journal/")
    assert live.respond("GET", "/blogroll/").status == 404
    (root / "stufen.toml").write_text('base_url = "https://me.github.io/"\nsearch = false\n')
    live.rebuild()  # to the root: what was under /journal/ and /blog/ is found there
    assert location(live, "/journal/posts/a/") == (302, "/posts/a/")
    assert location(live, "/blog/tags/") == (302, "/tags/")
    assert location(live, "/journal//evil.example/") == (302, "/evil.example/")  # never to another host
    assert live.respond("GET", "/posts/a/").status == 200 and live.respond("GET", "/nope/").status == 404
    (root / "stufen.toml").write_text('base_url = "https://me.github.io/journal/"\nsearch = false\n')
    live.rebuild()  # and back: "/" is now an old base path too, but a page missing here stays missing
    assert location(live, "/posts/a/") == (302, "/journal/posts/a/")
    assert live.respond("GET", "/journal/nope/").status == 404
    assert location(live, "/blog/posts/a/") == (302, "/journal/posts/a/")


def test_a_failed_build_keeps_the_base_path_the_site_was_built_for(site):
    root = site({"content/posts/a.md": post(description="A."), "stufen.toml": 'base_url = "/blog/"\nsearch = false\n'})
    live, _ = open_preview(root)
    live.rebuild()
    (root / "stufen.toml").write_text('base_url = "/journal/"\nsearch = false\n')
    (root / "content/posts/a.md").write_text("---\ntitle: [\n---\n")
    live.rebuild()
    assert live.error is not None and live.base_path == "/blog/"
    assert live.respond("GET", "/blog/posts/a/").status == 200


def test_a_path_starting_with_two_slashes_never_redirects_to_another_host(live):
    site, _ = live
    (site.folder / "posts").mkdir(exist_ok=True)
    site.base_path = "/"
    assert location(site, "//posts") == (302, "/posts/")


def test_a_closed_site_builds_no_more(live):
    site, builder = live
    site.close()
    assert site.rebuild() == "" and builder.calls == 1
