"""The page the first user's first post becomes: everything the issue asks of it."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

REPO = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from stufen.cli import main
    root = tmp_path_factory.mktemp("demo")
    for part in ("content", "static", "templates", "stufen.toml"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / part)
    assert main(["-C", str(root), "build"]) == 0
    return root / "_site"


@pytest.fixture(scope="module")
def seed(built):
    return (built / "posts/diving-into-machine-learning/index.html").read_text(encoding="utf-8")


def test_url_title_description_and_date(seed):
    assert re.search(r"<h1[^>]*>Diving into Machine Learning</h1>", seed)
    assert "<title>Diving into Machine Learning | Stufen Journal</title>" in seed
    assert '<meta name="description" content="My starting into the world of machine learning.">' in seed
    assert '<time datetime="2023-08-11T12:30:00+02:00">11 Aug 2023</time>' in seed


def test_tags_link_to_their_pages(seed, built):
    for tag in ("data-analysis", "data-visualization", "machine-learning"):
        assert f'<a href="/tags/{tag}/">#{tag}</a>' in seed
        assert "Diving into Machine Learning" in (built / "tags" / tag / "index.html").read_text()


def test_table_of_contents_is_filled(seed):
    toc = seed.split('<details class="toc">')[1].split("</details>")[0]
    links = re.findall(r'<a href="#([^"]+)">', toc)
    assert links[:3] == ["introduction", "the-plan", "foundational-knowledge"]
    assert links[-2:] == ["whats-next", "todays-music"]
    assert all(f'id="{anchor}"' in seed for anchor in links)


def test_hesse_blockquotes_with_repaired_umlaut(seed):
    assert "<blockquote>\n<p>Und jedem Anfang wohnt ein Zauber inne,\nDer uns beschützt" in seed
    assert "<em>Hermann Hesse, Stufen</em>" in seed
    assert "Ã" not in seed


def test_chatgpt_details_keeps_its_markdown(seed):
    details = seed.split("<details>\n<summary>ChatGPT answer</summary>")[1].split("</details>")[0]
    assert details.count("<blockquote>") >= 2
    assert '<h3 id="1-foundational-knowledge">1. <strong>Foundational Knowledge</strong>:' in details
    assert "<li><strong>Linear Algebra</strong>: Understand matrices" in details


def test_music_card_and_edit_link(seed):
    assert "Soft Chill House Mix - Amii Watson B2B Jimmi Harvey" in seed
    assert ('href="https://github.com/stufen-demo/journal/edit/main/'
            'content/posts/2023-08-11-diving-into-machine-learning.md"') in seed


@pytest.mark.parametrize("feed", ["feed.xml", "rss.xml", "tags/machine-learning/feed.xml"])
def test_feed_entry_holds_the_text_without_the_pages_permalinks_and_table_of_contents(built, feed):
    parsed = feedparser.parse((built / feed).read_bytes(), sanitize_html=False)  # as written
    entry = next(e for e in parsed.entries if e.title == "Diving into Machine Learning")
    html = entry.content[0].value
    assert "header-anchor" not in html and "<details class=\"toc\"" not in html
    assert ">#<" not in html and "Table of contents" not in html
    assert '<h2 id="introduction">Introduction</h2>' in html
    assert "<summary>ChatGPT answer</summary>" in html  # the author's own <details> stay
    assert "diving-into-machine-learning/#" not in html  # no links back into the page


def search_record(built: Path, url: str) -> dict:
    """What Pagefind indexed for a page: its fragment (gzipped JSON behind a signature)."""
    for fragment in built.glob("pagefind/*/fragment/*.pf_fragment"):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        if record["url"] == url:
            return record
    raise AssertionError(f"{url} is not in the search index")


def test_search_indexes_the_body_and_keeps_dates_and_tags_as_metadata(built):
    record = search_record(built, "/posts/diving-into-machine-learning/")
    content = record["content"]
    assert content.startswith("Diving into Machine Learning. My starting into the world of machine learning.")
    assert "Hermann Hesse" in content and "Soft Chill House Mix" in content  # the body, to its end
    for furniture in ("min read", "11 Aug 2023", "Part 1 of", "Open Table of contents", "All the music",
                      "Play here", "#data-analysis", "Suggest changes", "Share this post", "Back to top",
                      "Previous post", "Next post"):
        assert furniture not in content
    assert record["meta"] == {"title": "Diving into Machine Learning", "date": "11 Aug 2023",
                              "tags": "data-analysis, data-visualization, machine-learning"}
