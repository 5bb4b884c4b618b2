"""Every URL an author gives (front matter, stufen.toml) passes the one check in routes.py: no `javascript:` link."""

from __future__ import annotations

import pytest

from conftest import post
from stufen.routes import url_problem

WEB = "expected an http:// or https:// address or a path on this site such as '/about/'"


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                 "\x01javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "vbscript:msgbox(1)", "//evil.example/x", "http://", "https://[TODO]/", ""])
def test_scripts_other_schemes_and_unparseable_addresses_are_refused(url):
    assert url_problem(url) == f"{WEB}; got {url!r}"
    assert url_problem(url, ("http", "https", "mailto")) is not None


@pytest.mark.parametrize("url", ["https://example.org/a?b#c", "http://example.org", "/about/", "posts/a/"])
def test_web_addresses_and_site_paths_pass(url):
    assert url_problem(url) is None


def test_mailto_only_where_asked_and_paths_only_where_allowed():
    assert url_problem("mailto:me@example.org", ("http", "https", "mailto")) is None
    assert url_problem("mailto:me@example.org") == f"{WEB}; got 'mailto:me@example.org'"
    assert url_problem("/edit/", relative=False) == "expected an http:// or https:// address; got '/edit/'"


def test_front_matter_urls_are_errors_at_their_lines(site, stufen):
    body = post(description="x", canonicalURL='" javascript:alert(1)"', ogImage='"data:image/png,xx"',
                music='{title: Song, url: "JAVASCRIPT:alert(2)"}')
    root = site({"content/posts/a.md": body})
    code, _, err = stufen(root, "build", "--strict")
    assert code == 1
    assert err.splitlines() == [
        f"content/posts/a.md:5: canonicalURL: {WEB}; got 'javascript:alert(1)'",
        f"content/posts/a.md:6: ogImage: {WEB}; got 'data:image/png,xx'",
        f"content/posts/a.md:7: music: url: {WEB}; got 'JAVASCRIPT:alert(2)'",
        "Build failed: 3 errors"]
    assert not (root / "_site").exists()


@pytest.mark.parametrize(("toml", "error"), [
    ('edit_url = "javascript:alert(1)//"\n',
     "stufen.toml:1: edit_url: expected an http:// or https:// address; got 'javascript:alert(1)//'"),
    ('title = "x"\n[socials]\ngithub = "https://github.com/me"\nmail = "mailto:me@example.org"\n'
     'evil = "javascript:alert(1)"\n',
     "stufen.toml:5: socials: evil: expected an http:// or https:// address, a mailto: address or a path on this "
     "site such as '/about/'; got 'javascript:alert(1)'"),
    ('og_image = "javascript:alert(1)"\n', f"stufen.toml:1: og_image: {WEB}; got 'javascript:alert(1)'"),
])
def test_stufen_toml_urls_are_errors_at_their_lines(site, stufen, toml, error):
    root = site({"stufen.toml": toml, "content/posts/a.md": post(description="x")})
    assert stufen(root, "build") == (2, "", f"Error: {error}\n")


def test_allowed_urls_reach_the_page(site, stufen):
    root = site({"stufen.toml": 'edit_url = "https://forge.example/edit/"\n[socials]\nmail = "mailto:me@example.org"\n',
                 "content/posts/a.md": post(description="x", canonicalURL="https://elsewhere.example/a/",
                                            music='{title: Song, url: "https://music.example/s"}')})
    assert stufen(root, "build")[0] == 0
    page = (root / "_site/posts/a/index.html").read_text()
    for expected in ('<link rel="canonical" href="https://elsewhere.example/a/">', 'href="mailto:me@example.org"',
                     'href="https://music.example/s"', 'href="https://forge.example/edit/content/posts/a.md"'):
        assert expected in page
    assert "javascript:" not in page
