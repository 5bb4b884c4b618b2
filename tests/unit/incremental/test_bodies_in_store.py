"""`stufen build` leaves each post body in its store entry (`StoredHtml`) and reads it back where a page needs it.

Whole builds pin the bytes (test_identical_builds.py); these pin the parts: the body read back
is the body loaded, with the media stage's rewrite applied exactly as it would be in memory, and
what can go wrong between keying a file and reading it is an error naming it, never a wrong page.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path, PurePosixPath

import pytest

from conftest import post
from stufen.config import load_config
from stufen.dates import now
from stufen.errors import ConfigError, Problems
from stufen.incremental.entries import StoredHtml, from_head
from stufen.incremental.store import CACHE_DIR, Store
from stufen.load.post import discover
from stufen.load.posts import _load_job, load_all, settings_for
from stufen.render.media import place_media
from stufen.render.memo import canonical_digest
from stufen.site.assemble import Mode, assemble


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x80\x80\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def journal(site):
    root = site({
        "stufen.toml": 'title = "T"\n',
        "content/posts/trip/index.md": post("Trip", "2024-01-01", "![A view](./view.png)\n\nText.\n\n"
                                            "<img src='./view.png' alt='again'>", description="D."),
        "content/posts/plain.md": post("Plain", "2024-02-01", "No images here, [a link](/posts/trip/).",
                                       description="D."),
        "content/posts/remote.md": post("Remote", "2024-03-01", "![far](https://example.org/x.png)",
                                        description="D."),
    })
    (root / "content/posts/trip/view.png").write_bytes(png(40, 30))
    return root


def placed(root: Path, bodies_in_store: bool, store: Store):
    config, problems = load_config(root), Problems()
    posts = load_all(discover(config.content_path, problems), config, store, problems, bodies_in_store=bodies_in_store)
    site = place_media(assemble(posts, config, Mode(now()), problems), store, problems)
    assert not problems.errors
    return {p.title.lower(): p for p in site.posts}


def test_bodies_left_in_the_store_read_back_as_the_bodies_kept_in_memory(journal):
    kept = placed(journal, False, Store(journal / CACHE_DIR))
    stored = placed(journal, True, Store(journal / CACHE_DIR))  # the second load reads every post from the store
    cold = placed(journal, True, Store(journal / "other-cache"))  # parsed, and left in the entry just written
    for slug, inline in kept.items():
        assert type(inline.html) is str
        for other in (stored[slug], cold[slug]):
            assert type(other.html) is StoredHtml
            assert other.body_html() == inline.html
    trip = stored["trip"].html
    assert trip.images == ("./view.png",) and trip.rewrite is not None  # the media rewrite, applied when read
    assert 'width="40" height="30"' in stored["trip"].body_html()
    assert stored["plain"].html.images is None and stored["plain"].html.rewrite is None  # nothing to rewrite
    assert stored["remote"].html.images == ("https://example.org/x.png",)


def test_a_stored_body_stands_in_its_posts_digest_by_its_key_not_by_where_the_store_is(journal, tmp_path):
    first = placed(journal, True, Store(journal / CACHE_DIR))["trip"]
    moved = tmp_path / "moved"
    (journal / CACHE_DIR).rename(moved)
    second = placed(journal, True, Store(moved))["trip"]
    assert second.html.entry != first.html.entry
    assert canonical_digest(second) == canonical_digest(first)
    plain = placed(journal, True, Store(moved))["plain"]
    assert canonical_digest(plain) != canonical_digest(first)


@pytest.mark.parametrize("loads", [1, 2])  # parsed by this build, or read from the store
def test_a_body_whose_entry_went_missing_or_was_damaged_is_parsed_again_from_its_file(journal, loads):
    for _ in range(loads):
        trip = placed(journal, True, Store(journal / CACHE_DIR))["trip"]
    entry = Path(trip.html.entry)  # a post read from the store has its entry's path as text
    expected = trip.body_html()
    entry.unlink()  # pruned by another build meanwhile
    assert trip.body_html() == expected and entry.is_file()
    data = entry.read_bytes()
    entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit of the body: the head, read at load, is intact
    assert trip.body_html() == expected
    assert placed(journal, True, Store(journal / CACHE_DIR))["trip"].body_html() == expected  # the entry is whole


def test_a_body_whose_entry_went_missing_and_whose_file_changed_is_an_error_naming_it(journal):
    trip = placed(journal, True, Store(journal / CACHE_DIR))["trip"]
    Path(trip.html.entry).unlink()
    (journal / "content/posts/trip/index.md").write_text(post("Trip", "2024-01-01", "Edited.", description="D."))
    with pytest.raises(ConfigError, match="content/posts/trip/index.md changed during the build, and its stored "
                                          "body is gone; build again"):
        trip.body_html()


def test_a_file_that_changes_between_its_key_and_its_parse_is_reported_not_stored(journal):
    config = load_config(journal)
    store = Store(journal / CACHE_DIR)
    path = journal / "content/posts/plain.md"
    source = PurePosixPath("content/posts/plain.md")
    settings = settings_for(config)
    key = store.file_key(path, str(source), settings)
    path.write_text(post("Plain", "2024-02-01", "Edited meanwhile.", description="D."), encoding="utf-8")
    entry = store.entry("posts", key)
    head, body = _load_job((key, path, source, settings, entry, True))
    found, problems = from_head(head, entry, key, body)
    assert found is None and body is None and not entry.exists()
    assert [p.format() for p in problems] == ["content/posts/plain.md: the file changed during the build (build again)"]


def test_a_lone_image_without_a_file_to_place_leaves_the_body_as_stored(journal):
    posts = placed(journal, True, Store(journal / CACHE_DIR))
    assert posts["remote"].html.img_tags == 1 and posts["remote"].html.rewrite is None
    assert posts["trip"].html.img_tags == 2


def test_a_templates_own_override_may_treat_a_body_as_text(site, stufen):
    """`stufen build` leaves bodies in the store, yet an override may slice `post.html` on a post's page and
    filter the bodies of a list of posts as strings, as it could when they were in memory."""
    root = site({
        "content/posts/a.md": post("Alpha", "2024-01-01", "Alpha's *first* words, and more.", description="D."),
        "templates/post.html": '{% extends "base.html" %}{% block main %}<p id="cut">{{ post.html[:9] }}</p>'
                               '{{ post.html|safe }}{% endblock %}',
        "templates/posts.html": '{% extends "base.html" %}{% block main %}{% for p in posts %}'
                                '<p class="gist">{{ p.html|striptags|truncate(20) }}</p>{% endfor %}{% endblock %}',
    })
    code, out, err = stufen(root, "build")
    assert code == 0, err
    page = (root / "_site/posts/a/index.html").read_text()
    assert '<p id="cut">&lt;p&gt;Alpha’</p>' in page and "<em>first</em> words" in page
    assert '<p class="gist">Alpha’s first...</p>' in (root / "_site/posts/index.html").read_text()
