"""A post with thousands of tags builds in output linear in its tags, and is warned about."""

from __future__ import annotations

from conftest import files, post


def tagged(site, count: int):
    tags = ", ".join(f'"tag {i}"' for i in range(count))
    return site({"content/posts/a.md": post(description="x", tags=f"[{tags}]")})


def test_thousands_of_tags_build_with_output_linear_in_tags(site, stufen, tmp_path):
    sizes = {}
    for count in (500, 2000):
        root = tagged(site, count)
        code, out, _ = stufen(root, "build", "--no-cache")
        assert code == 0
        assert out.splitlines()[0] == (f"content/posts/a.md:5: warning: tags: {count} tags; feeds list only the "
                                       "first 50 of a post's tags (keep to a few tags per post: each one gets a "
                                       "page and a feed)")
        built = files(root / "_site")
        assert f"tags/tag-{count - 1}/feed.xml" in built
        sizes[count] = sum(map(len, built.values()))
    assert sizes[2000] < 4.5 * sizes[500]  # 4× the tags: 4× the bytes (each tag's feed once held every tag: 16×)


def test_fifty_tags_are_fine(site, stufen):
    root = tagged(site, 50)
    assert stufen(root, "build", "--strict")[0] == 0
    assert (root / "_site/tags/tag-49/feed.xml").read_text().count("<category ") == 50
