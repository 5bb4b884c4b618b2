"""Today's music: a card per post, a YouTube player only after a click, and /music/ listing every track."""

from __future__ import annotations

import re

import pytest

from conftest import post
from stufen.model import Track

YT = "https://www.youtube.com/watch?v=k7HmLM7ZBBU"


@pytest.mark.parametrize("url, video", [
    (YT, "k7HmLM7ZBBU"),
    ("https://youtu.be/k7HmLM7ZBBU?t=30", "k7HmLM7ZBBU"),
    ("https://music.youtube.com/watch?list=x&v=k7HmLM7ZBBU", "k7HmLM7ZBBU"),
    ("https://example.com/watch?v=k7HmLM7ZBBU", None),
    ("https://open.spotify.com/track/abc", None),
])
def test_youtube_ids(url, video):
    assert Track("t", url).youtube_id == video


def test_post_page_makes_no_third_party_request_until_clicked(site, stufen):
    root = site({"content/posts/a.md": post("A", music=f'{{title: "Soft Chill House Mix", url: "{YT}"}}')})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/posts/a/index.html").read_text()
    assert f'<a href="{YT}" rel="noopener">Soft Chill House Mix</a>' in html
    assert 'data-youtube="k7HmLM7ZBBU"' in html
    assert '<script src="/assets/music.js" defer></script>' in html
    # only the link points at YouTube: no iframe, image or script is fetched from it on load
    assert not re.search(r'<(?:iframe|img|script)[^>]+(?:youtube|ytimg)', html)
    script = (root / "_site/assets/music.js").read_text()
    assert "youtube-nocookie.com/embed/" in script and "addEventListener(\"click\"" in script


def test_other_links_get_no_player(site, stufen):
    root = site({"content/posts/a.md": post("A", music='{title: "Song", url: "https://example.com/song"}')})
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/posts/a/index.html").read_text()
    assert "music-load" not in html and "music.js" not in html
    assert '<a href="https://example.com/song" rel="noopener">Song</a>' in html


def test_music_page_lists_every_track_with_its_post(site, stufen):
    root = site({
        "content/posts/a.md": post("Old post", "2024-01-01", music='{title: "First", url: "https://x.example/1"}'),
        "content/posts/b.md": post("New post", "2024-02-01",
                                   music='[{title: "Second", url: "https://x.example/2"}, '
                                         '{title: "Third", url: "https://x.example/3"}]'),
        "content/posts/c.md": post("Silent", "2024-03-01"),
    })
    assert stufen(root, "build")[0] == 0
    html = (root / "_site/music/index.html").read_text()
    assert re.findall(r'rel="noopener">(\w+)</a></h2>', html) == ["Second", "Third", "First"]
    assert re.findall(r'While writing <a href="/posts/(\w)/">', html) == ["b", "b", "a"]
    assert "Silent" not in html


def test_no_music_means_no_music_page(site, stufen):
    root = site({"content/posts/a.md": post("A")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/music").exists()
