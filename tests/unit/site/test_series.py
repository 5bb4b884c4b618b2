"""Series: "Part N of M" on each part, /series/<slug>/ listing the parts, order by seriesOrder then date."""

from __future__ import annotations

import re

from conftest import post


def parts_box(html: str) -> list[str]:
    box = html.split('<nav class="series-box"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<li>(?:<a [^>]*>|<span aria-current=\"page\">)([^<]+)<", box)


def test_parts_are_numbered_by_date_and_linked(site, stufen):
    root = site({
        "content/posts/one.md": post("One", "2024-01-01", series='"Learning ML"'),
        "content/posts/two.md": post("Two", "2024-02-01", series='"Learning ML"'),
        "content/posts/other.md": post("Other", "2024-03-01"),
    })
    assert stufen(root, "build")[0] == 0
    two = (root / "_site/posts/two/index.html").read_text()
    assert "Part 2 of 2 in the series" in two
    assert '<a href="/series/learning-ml/">Learning ML</a>' in two
    assert parts_box(two) == ["One", "Two"]
    assert '<span aria-current="page">Two</span>' in two
    assert "series-box" not in (root / "_site/posts/other/index.html").read_text()
    listing = (root / "_site/series/learning-ml/index.html").read_text()
    assert re.findall(r'<h2><a href="/posts/(\w+)/">', listing) == ["one", "two"]
    assert '<a href="/series/learning-ml/">Learning ML</a>' in (root / "_site/series/index.html").read_text()


def test_series_order_wins_over_date_and_unnumbered_parts_follow(site, stufen):
    root = site({
        "content/posts/a.md": post("A", "2024-01-01", series="S", seriesOrder=2),
        "content/posts/b.md": post("B", "2024-02-01", series="S", seriesOrder=1),
        "content/posts/c.md": post("C", "2023-01-01", series="S"),
    })
    assert stufen(root, "build")[0] == 0
    assert parts_box((root / "_site/posts/a/index.html").read_text()) == ["B", "A", "C"]
    assert "Part 3 of 3" in (root / "_site/posts/c/index.html").read_text()


def test_spelling_and_order_clashes_are_warnings(site, stufen):
    root = site({
        "content/posts/a.md": post("A", "2024-01-01", description="d", series='"Deep Dive"', seriesOrder=1),
        "content/posts/b.md": post("B", "2024-02-01", description="d", series='"deep dive"', seriesOrder=1),
    })
    code, out, err = stufen(root, "build")
    assert code == 0
    assert out.splitlines()[:2] == [
        "content/posts/b.md:1: warning: series 'deep dive' is spelt 'Deep Dive' in an earlier part; "
        "showing 'Deep Dive' (spell the series the same way in every part)",
        "content/posts/b.md:1: warning: seriesOrder: 1 is also used by content/posts/a.md "
        "(give each part of a series its own number)",
    ]


def test_no_series_means_no_series_pages(site, stufen):
    root = site({"content/posts/a.md": post("A")})
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/series").exists()
