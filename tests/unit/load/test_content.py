"""Load stage: every front matter key, every date form, every error message (pinned)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import PurePosixPath

import pytest

from stufen.load.post import Settings, discover, load_post
from stufen.model import Tag, Track

SRC = PurePosixPath("content/posts/2024-05-01-my-post.md")
BERLIN = Settings(timezone="Europe/Berlin", author="Site Author")


def load(text: str, source: PurePosixPath = SRC, settings: Settings = BERLIN):
    post, problems = load_post(text.encode("utf-8"), source, settings)
    return post, [p.format() for p in problems]


def fm(*lines: str, body: str = "Body text.") -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


MINIMAL = ("title: My post", "pubDatetime: 2024-05-01T09:30:00+02:00", "description: Short.")


def test_minimal_post_has_defaults():
    post, problems = load(fm(*MINIMAL))
    assert problems == []
    assert post.slug == "my-post"
    assert post.title == "My post"
    assert post.description == "Short."
    assert post.published == datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert post.updated is None
    assert post.tags == (Tag("others", "others"),)
    assert post.author == "Site Author"
    assert (post.draft, post.featured, post.hide_edit_post) == (False, False, False)
    assert post.music == () and post.extra == {}
    assert post.timezone == "Europe/Berlin"


def test_every_known_key():
    post, problems = load(fm(
        "title: Full", "description: All keys.", "pubDatetime: 2024-05-01T09:30:00Z",
        "modDatetime: 2024-06-01T10:00:00Z", "author: Someone Else", "tags: [Python, C++, machine-learning]",
        "draft: true", "featured: true", "slug: custom-slug", "ogImage: /images/og.png",
        "canonicalURL: https://example.com/full/", "hideEditPost: true", "timezone: Asia/Tokyo",
        "music: [{title: Song, url: 'https://example.com/song'}]", "series: Basics", "seriesOrder: 2",
    ))
    assert problems == []
    assert post.slug == "custom-slug"
    assert post.author == "Someone Else"
    assert [t.slug for t in post.tags] == ["python", "c-plus-plus", "machine-learning"]
    assert [t.name for t in post.tags] == ["Python", "C++", "machine-learning"]
    assert post.draft and post.featured and post.hide_edit_post
    assert post.og_image == "/images/og.png"
    assert post.canonical_url == "https://example.com/full/"
    assert post.timezone == "Asia/Tokyo"
    assert post.published.isoformat() == "2024-05-01T18:30:00+09:00"  # shown in the post's timezone
    assert post.updated.isoformat() == "2024-06-01T19:00:00+09:00"
    assert post.music == (Track("Song", "https://example.com/song"),)
    assert (post.series, post.series_order) == ("Basics", 2)


@pytest.mark.parametrize("written, expected", [
    ("2023-08-11T12:30:00+2", "2023-08-11T12:30:00+02:00"),          # the seed's odd offset
    ("2023-08-11T12:30:00Z", "2023-08-11T14:30:00+02:00"),
    ("2023-08-11T12:30:00.250+02:00", "2023-08-11T12:30:00.250000+02:00"),
    ("2023-08-11 12:30", "2023-08-11T12:30:00+02:00"),                # YAML leaves it a string
    ('"2023-08-11T12:30:00+0530"', "2023-08-11T09:00:00+02:00"),
    ('"2023-08-11 12:30 +2"', "2023-08-11T12:30:00+02:00"),
    ("2023-08-11 12:30:00", "2023-08-11T12:30:00+02:00"),             # naive: the post's timezone
    ("2023-08-11", "2023-08-11T00:00:00+02:00"),                      # bare date
    ("2023-01-11", "2023-01-11T00:00:00+01:00"),                      # winter time
])
def test_date_forms(written, expected):
    post, _ = load(fm("title: T", f"pubDatetime: {written}", "description: d"))
    assert post.published.isoformat() == expected


def test_naive_date_uses_post_timezone_over_site():
    post, _ = load(fm("title: T", "pubDatetime: 2023-08-11 12:30", "timezone: America/New_York", "description: d"))
    assert post.published.isoformat() == "2023-08-11T12:30:00-04:00"


@pytest.mark.parametrize("source, slug_line, slug", [
    ("content/posts/2023-08-11-diving-into-machine-learning.md", None, "diving-into-machine-learning"),
    ("content/posts/notes/linear-regression.md", None, "notes/linear-regression"),
    ("content/posts/Deep Notes/Über Maße.md", None, "deep-notes/uber-masse"),
    ("content/posts/x.md", "slug: Custom Slug", "custom-slug"),
    ("content/posts/x.md", "postSlug: legacy-slug", "legacy-slug"),
    ("content/posts/notes/x.md", "slug: kept-folder", "notes/kept-folder"),
    ("content/posts/2024-01-01-机器学习入门.md", None, "机器学习入门"),
])
def test_slugs(source, slug_line, slug):
    lines = [*MINIMAL] + ([slug_line] if slug_line else [])
    post, _ = load(fm(*lines), PurePosixPath(source))
    assert post.slug == slug


def test_missing_description_uses_first_paragraph_with_warning():
    body = "## Heading\n\nFirst *real* words\nhere.\n\nSecond."
    post, problems = load(fm("title: T", "pubDatetime: 2024-05-01", body=body))
    assert post.description == "First real words here."
    assert problems == [f"{SRC}:2: warning: no description; using the first paragraph "
                        "(add 'description:' for search engines and link previews)"]


def test_unknown_key_is_kept_and_warned_about():
    post, problems = load(fm(*MINIMAL, "tilte: oops", "date: 2024-01-01"))
    assert post.extra == {"tilte": "oops", "date": date(2024, 1, 1)}
    assert sorted(problems) == [
        f"{SRC}:5: warning: tilte: unknown key, kept in 'extra' (did you mean 'title'?)",
        f"{SRC}:6: warning: date: unknown key, kept in 'extra' (did you mean 'pubDatetime'?)",
    ]


ERRORS = [
    (fm("description: d", "pubDatetime: 2024-05-01"),
     [f"{SRC}:1: title: missing (every post needs 'title: Your title' in its front matter)"]),
    (fm("title: ''", "pubDatetime: 2024-05-01", "description: d"),
     [f"{SRC}:1: title: is empty (every post needs 'title: Your title' in its front matter)"]),
    (fm("title: 2024", "pubDatetime: 2024-05-01", "description: d"),
     [f"{SRC}:2: title: expected text; got 2024 (put the value in quotes: title: \"2024\")",
      ]),
    (fm("title: T", "description: d"),
     [f"{SRC}:1: pubDatetime: missing (add e.g. 'pubDatetime: 2024-05-01T09:30:00+02:00')"]),
    (fm("title: T", "date: 2024-05-01", "description: d"),
     [f"{SRC}:3: warning: date: unknown key, kept in 'extra' (did you mean 'pubDatetime'?)",
      f"{SRC}:1: pubDatetime: missing (rename 'date' to 'pubDatetime')"]),
    (fm("title: T", "pubDatetime: 01/05/2024", "description: d"),
     [f"{SRC}:3: pubDatetime: expected a date such as 2024-05-01T09:30:00+02:00; got '01/05/2024' "
      "(write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional offset)"]),
    (fm(*MINIMAL, "modDatetime: yesterday"),
     [f"{SRC}:5: modDatetime: expected a date such as 2024-05-01T09:30:00+02:00; got 'yesterday' "
      "(write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional offset)"]),
    (fm(*MINIMAL, "draft: yes please"),
     [f"{SRC}:5: draft: expected true or false; got 'yes please'"]),
    (fm(*MINIMAL, "tags: {a: b}"),
     [f"{SRC}:5: tags: expected a list of tags; got {{'a': 'b'}} (write tags: [\"one\", \"two\"])"]),
    (fm(*MINIMAL, "timezone: Mars/Olympus"),
     [f"{SRC}:5: timezone: unknown timezone 'Mars/Olympus' (use an IANA name such as 'Europe/Berlin')"]),
    (fm(*MINIMAL, "music: [just a string]"),
     [f"{SRC}:5: music: expected {{title, url}} entries; got 'just a string' "
      "(write music: {title: \"Song\", url: \"https://…\"})"]),
    (fm(*MINIMAL, "seriesOrder: first"),
     [f"{SRC}:5: seriesOrder: expected a whole number; got 'first'"]),
    ("---\ntitle: a: b\n---\nbody\n",
     [f"{SRC}:2: invalid YAML: mapping values are not allowed in this context "
      "(check indentation, and quote values containing ': ' or '#')"]),
    # A title carried on at column 0: the line without "key:" is named, not the one PyYAML stopped at
    ("---\ntitle: A title that goes\non to a second line\npubDatetime: 2024-05-01\n---\nbody\n",
     [f"{SRC}:3: invalid YAML: could not find expected ':': this line is not 'key: value' "
      "(indent a value that goes on to the next line, or keep it on one line in quotes)"]),
    ("---\npubDatetime: 2024-05-01\ntitle: A title that goes\non to the last line\n---\nbody\n",
     [f"{SRC}:4: invalid YAML: could not find expected ':': this line is not 'key: value' "
      "(indent a value that goes on to the next line, or keep it on one line in quotes)"]),
    ("---\ntitle: T\npubDatetime: 2024-05-01\ntags:\n  - a\n - b\n---\n",
     [f"{SRC}:6: invalid YAML: did not find expected key "
      "(check indentation, and quote values containing ': ' or '#')"]),
    ("---\ntitle: T\npubDatetime: 2024-05-01\ntags: [one,\n  two,\n  three\ndraft: false\n---\n",
     [f"{SRC}:4: invalid YAML: did not find expected ',' or ']' at line 7, in the [list] opened here "
      "(close it with ']', items separated by ', ')"]),
    ("---\ntitle: T\ndescription: {a: 1,\n  b: 2\npubDatetime: 2024-05-01\n---\n",
     [f"{SRC}:3: invalid YAML: did not find expected ',' or '}}' at line 5, in the {{mapping}} opened here "
      "(close it with '}', entries separated by ', ')"]),
    ("---\ntitle: \"An open quote\npubDatetime: 2024-05-01\n\n---\n",
     [f"{SRC}:2: invalid YAML: found unexpected end of stream at line 5, in the quoted value opened here "
      "(close it with the quote it opened with)"]),
    ("---\ntitle: T\ntags: [a, b: c: d]\n---\n",  # found on the line it opened on: said once
     [f"{SRC}:3: invalid YAML: did not find expected ',' or ']' "
      "(check indentation, and quote values containing ': ' or '#')"]),
    ("---\ntitle: T\npubDatetime: 2024-13-45\n---\n",
     [f"{SRC}:3: invalid YAML: impossible date '2024-13-45': month must be in 1..12 "
      "(check indentation, and quote values containing ': ' or '#')"]),
    ("---\ntitle: T\ndescription: a\x00b\n---\n",
     [f"{SRC}:3: invalid YAML: character U+0000 is not allowed "
      "(delete the control character)"]),
    (fm("title: T", "pubDatetime: 0001-01-01T00:00:00+05:00", "description: d"),
     [f"{SRC}:3: pubDatetime: expected a year from 1000 to 9998; got 1 "
      "(write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional offset)"]),
    (fm(*MINIMAL, "modDatetime: 9999-12-31T23:00:00-05:00"),
     [f"{SRC}:5: modDatetime: expected a year from 1000 to 9998; got 9999 "
      "(write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional offset)"]),
    ("Just a body, no front matter.\n",
     [f"{SRC}:1: no front matter found "
      "(start the file with a '---' line, the YAML keys, then another '---' line)"]),
    ("---\ntitle: T\n",
     [f"{SRC}:1: front matter is not closed with '---' "
      "(start the file with a '---' line, the YAML keys, then another '---' line)"]),
]


@pytest.mark.parametrize("text, expected", ERRORS)
def test_error_messages(text, expected):
    post, problems = load(text)
    assert post is None
    assert sorted(problems) == sorted(expected)


def test_escaped_control_characters_are_removed_with_a_warning():
    post, problems = load(fm('title: "a\\u0000b\\u0007c"', "pubDatetime: 2024-05-01", 'description: "\\x9fd\\te"',
                             'tags: ["x\\u001b"]', 'music: {title: "S\\x00", url: "https://x.y/"}'))
    assert (post.title, post.description, post.tags, post.music) == (
        "abc", "d\te", (Tag("x", "x"),), (Track("S", "https://x.y/"),))
    hint = "(delete the escape; it would not show on the page)"
    assert problems == [f"{SRC}:2: warning: title: removed control characters: U+0000, U+0007 {hint}",
                        f"{SRC}:4: warning: description: removed control characters: U+009F {hint}",
                        f"{SRC}:5: warning: tags: removed control characters: U+001B {hint}",
                        f"{SRC}:6: warning: music: removed control characters: U+0000 {hint}"]


def test_tags_of_one_post_that_share_a_page_are_one_tag_with_a_warning():
    post, problems = load(fm(*MINIMAL, 'tags: ["x", "../x", "X", "x"]'))
    assert post.tags == (Tag("x", "x"),)
    hint = "(remove one of them, or name them apart)"
    assert problems == [f"{SRC}:5: warning: tags: tag '../x' shares the page /tags/x/ with 'x'; showing 'x' {hint}",
                        f"{SRC}:5: warning: tags: tag 'X' shares the page /tags/x/ with 'x'; showing 'x' {hint}"]


def test_a_title_of_control_characters_only_is_empty():
    assert load(fm('title: "\\u0000"', "pubDatetime: 2024-05-01"))[1][1] == (
        f"{SRC}:1: title: is empty (every post needs 'title: Your title' in its front matter)")


def test_undecodable_file_names_byte_offset():
    data = "---\ntitle: Café\n---\n".encode("latin-1")
    post, problems = load_post(data, SRC, BERLIN)
    assert post is None
    assert [p.format() for p in problems] == [
        f"{SRC}:2: not valid UTF-8: byte 0xe9 at offset 14 (save the file as UTF-8)"]


def test_bom_and_crlf_are_accepted():
    text = "\ufeff" + fm(*MINIMAL, body="Line one\nline two").replace("\n", "\r\n")
    post, problems = load(text)
    assert problems == []
    assert "Line one\nline two" in post.html


def test_links_carry_file_lines():
    post, _ = load(fm(*MINIMAL, body="Intro.\n\nSee [this](/posts/other/#part) and ![x](/images/a.png).\n"
                                      "[out](https://example.com)"))
    assert [(link.target, link.line) for link in post.links] == [("/posts/other/#part", 8), ("/images/a.png", 8)]


def test_discover_skips_underscore_and_dot_names(tmp_path):
    posts = tmp_path / "content" / "posts"
    for rel in ["a.md", "sub/b.md", "_hidden.md", "_drafts/c.md", ".git/d.md", "notes.txt"]:
        (posts / rel).parent.mkdir(parents=True, exist_ok=True)
        (posts / rel).write_text("x")
    found = [p.relative_to(posts).as_posix() for p in discover(tmp_path / "content")]
    assert found == ["a.md", "sub/b.md"]
