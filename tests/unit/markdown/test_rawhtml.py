"""Raw HTML in a body: its links get the base path and are checked like Markdown links; bad URLs never raise."""

from __future__ import annotations

from conftest import post
from stufen.extras.feeds import absolute_html
from stufen.markdown.parser import render_markdown
from stufen.routes import join, malformed


def test_root_relative_href_and_src_in_raw_html_get_the_base_path_and_are_recorded_with_lines():
    body = ('Intro <img src="/img.png"> and <a href=\'/posts/x/\'>x</a>\n'
            "and <a\nhref=/tags/>t</a> <a href=\"https://e.com/\">e</a> <a href=\"#part\">p</a>\n\n"
            "<div>\n<!-- <a href=\"/old/\"> -->\n<a href=\"other/\">o</a>\n"
            "<script src=\"/s.js\">let a = '<a href=\"/no/\">';</script>\n</div>\n")
    rendered = render_markdown(body, base_path="/repo/", first_line=10)
    assert '<img src="/repo/img.png">' in rendered.html
    assert "<a href='/repo/posts/x/'>" in rendered.html
    assert "<a\nhref=/repo/tags/>" in rendered.html
    assert '<a href="https://e.com/">' in rendered.html and '<a href="#part">' in rendered.html
    assert '<!-- <a href="/old/"> -->' in rendered.html and '<a href="other/">' in rendered.html
    assert '<script src="/repo/s.js">let a = \'<a href="/no/">\';</script>' in rendered.html
    assert [(link.target, link.line) for link in rendered.links] == [
        ("/img.png", 10), ("/posts/x/", 10), ("/tags/", 12), ("#part", 12), ("other/", 16), ("/s.js", 17)]


def test_raw_html_links_are_left_alone_at_the_root_and_when_html_is_off():
    assert render_markdown('<img src="/img.png">').html == '<img src="/img.png">'
    assert render_markdown('<img src="/img.png">', base_path="/repo/", unsafe_html=False).links == ()


def test_a_project_site_prefixes_and_checks_raw_html_links(site, stufen):
    root = site({"stufen.toml": 'base_url = "https://user.github.io/repo"\nsearch = false\n',
                 "content/posts/a.md": post("A", description="d",
                                            body='<img src="/img.png">\n\nSee <a href="/posts/missing/">it</a>.')})
    code, out, err = stufen(root, "build")
    assert (code, err) == (0, "")
    hint = "(check the slug, or use a path such as /posts/<slug>/)"
    assert out.splitlines()[:2] == [f"content/posts/a.md:6: warning: broken link '/img.png': nothing is built at "
                                    f"/img.png {hint}",
                                    f"content/posts/a.md:8: warning: broken link '/posts/missing/': nothing is "
                                    f"built at /posts/missing/ {hint}"]
    page = (root / "_site/posts/a/index.html").read_text()
    assert '<img src="/repo/img.png">' in page and '<a href="/repo/posts/missing/">' in page


def test_a_malformed_url_in_raw_html_is_kept_as_written_with_a_warning(site, stufen):
    root = site({"stufen.toml": 'base_url = "https://me.example/"\nsearch = false\n',
                 "content/posts/a.md": post("A", description="d", body='See <a href="https://[TODO]/">docs</a>.')})
    code, out, err = stufen(root, "build")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("content/posts/a.md:6: warning: malformed link 'https://[TODO]/': the address "
                                   "cannot be parsed, so it is kept as written (fix the address, or remove the link)")
    assert '<a href="https://[TODO]/">docs</a>' in (root / "_site/posts/a/index.html").read_text()
    assert b'&lt;a href="https://[TODO]/"&gt;' in (root / "_site/feed.xml").read_bytes()
    assert stufen(root, "build", "--strict")[0] == 1


def test_joining_and_checking_never_raise():
    for bad in ("https://[TODO]/", "http://[::1/", "https://ex＃ample.org/", "//[x]/", "/\t/[x"):
        assert malformed(bad)
        assert join("https://me.example/posts/a/", bad) == bad
        assert absolute_html(f'<a href="{bad}">', "https://me.example/posts/a/") == f'<a href="{bad}">' \
            or bad.startswith("/\t")  # a root path is joined to the host as text, without parsing
    assert not malformed("/posts/a/") and join("https://me.example/posts/a/", "../b/") == "https://me.example/posts/b/"
