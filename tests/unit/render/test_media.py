"""Images the way Astro authors write them: beside the post, in a folder per post, through `@/assets/`.

Each fixture is a real site in tmp_path built by the real CLI; every image is checked in
the built HTML and as a file of the built site.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest
from PIL import Image

from conftest import post
from stufen.incremental.store import CACHE_DIR, read_sealed, seal_into
from stufen.load.media import resolve_local
from stufen.render.responsive import COLUMN
from unit.incremental.test_incremental import Serving

ALIASES = {"@/assets/": "assets/", "@assets/": "assets/"}


def photo(path: Path, size: tuple[int, int]) -> bytes:
    """A noisy RGB image (like a photo, so WebP beats PNG) saved at `path`; its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    small = (max(1, size[0] // 8), max(1, size[1] // 8))
    noise = Image.merge("RGB", [Image.effect_noise(small, 30 + 10 * i) for i in range(3)])
    noise.resize(size, Image.Resampling.BICUBIC).save(path, compress_level=1)
    return path.read_bytes()


def images(page: Path) -> list[dict[str, str]]:
    """Every <img> of a built page as its attributes."""
    return [dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag)) for tag in re.findall(r"<img\b[^>]*>", page.read_text())]


@pytest.fixture
def astro(site):
    """A site written the way AstroPaper posts are: bare and ./ names, a folder per post, @/assets/, ogImage."""
    root = site({
        "content/posts/flat.md": post("Flat", description="d", ogImage="../../assets/images/cover.png", body=(
            "![first](image-3.png)\n\n"
            "![dotted](./image-3.png)\n\n"
            '<img src="./small.png" alt="raw">\n\n'
            "![alias](@/assets/images/x.png) ![old alias](@assets/images/x.png)\n\n"
            "[the paper](./paper.pdf)")),
        "content/posts/my-post/index.md": post("Folder", description="d", ogImage="./cover.png",
                                               body="![diagram](diagram.png)"),
        "content/posts/paper.pdf": "%PDF-1.4 not really",
    })
    photo(root / "content/posts/image-3.png", (1600, 900))
    photo(root / "content/posts/small.png", (300, 200))
    photo(root / "content/posts/my-post/diagram.png", (500, 250))
    photo(root / "content/posts/my-post/cover.png", (1200, 630))
    photo(root / "assets/images/x.png", (800, 600))
    photo(root / "assets/images/cover.png", (1200, 630))
    return root


def test_every_local_image_is_published_resolved_and_sized(astro, stufen):
    code, out, err = stufen(astro, "build", "--strict")
    assert code == 0, out + err
    built = astro / "_site"
    flat = images(built / "posts/flat/index.html")
    assert [(i["alt"], i["src"], i["width"], i["height"]) for i in flat] == [
        ("first", "/posts/flat/image-3.png", "1600", "900"),
        ("dotted", "/posts/flat/image-3.png", "1600", "900"),
        ("raw", "/posts/flat/small.png", "300", "200"),
        ("alias", "/assets/images/x.png", "800", "600"),
        ("old alias", "/assets/images/x.png", "800", "600"),
    ]
    for published, source in [("posts/flat/image-3.png", "content/posts/image-3.png"),
                              ("posts/flat/small.png", "content/posts/small.png"),
                              ("assets/images/x.png", "assets/images/x.png"),
                              ("assets/images/cover.png", "assets/images/cover.png"),
                              ("posts/flat/paper.pdf", "content/posts/paper.pdf"),
                              ("posts/my-post/index/diagram.png", "content/posts/my-post/diagram.png"),
                              ("posts/my-post/index/cover.png", "content/posts/my-post/cover.png")]:
        assert (built / published).read_bytes() == (astro / source).read_bytes(), published
    assert 'href="/posts/flat/paper.pdf"' in (built / "posts/flat/index.html").read_text()
    folder = images(built / "posts/my-post/index/index.html")
    assert [(i["src"], i["width"], i["height"]) for i in folder] == [("/posts/my-post/index/diagram.png", "500", "250")]


def test_all_but_a_posts_first_image_load_lazily(astro, stufen):
    assert stufen(astro, "build")[0] == 0
    flat = images(astro / "_site/posts/flat/index.html")
    assert "loading" not in flat[0] and "decoding" not in flat[0]
    assert all(i["loading"] == "lazy" and i["decoding"] == "async" for i in flat[1:])


def test_a_relative_or_aliased_og_image_becomes_the_published_files_address(astro, stufen):
    assert stufen(astro, "build")[0] == 0
    flat = (astro / "_site/posts/flat/index.html").read_text()
    folder = (astro / "_site/posts/my-post/index/index.html").read_text()
    assert '<meta property="og:image" content="/assets/images/cover.png">' in flat
    assert '<meta property="og:image" content="/posts/my-post/index/cover.png">' in folder
    assert not (astro / "_site/og/posts/flat.png").exists()  # the author's image, no drawn card


def test_wide_images_get_smaller_webp_copies_in_a_srcset(astro, stufen):
    assert stufen(astro, "build")[0] == 0
    built = astro / "_site"
    first = images(built / "posts/flat/index.html")[0]
    assert first["srcset"] == (f"/posts/flat/image-3-{COLUMN}w.webp {COLUMN}w, "
                               f"/posts/flat/image-3-{2 * COLUMN}w.webp {2 * COLUMN}w, /posts/flat/image-3.png 1600w")
    assert first["sizes"] == f"(max-width: 48rem) calc(100vw - 2rem), {COLUMN}px"
    original = (built / "posts/flat/image-3.png").stat().st_size
    for width in (COLUMN, 2 * COLUMN):
        copy = built / f"posts/flat/image-3-{width}w.webp"
        assert copy.stat().st_size < original
        with Image.open(copy) as picture:
            assert (picture.format, picture.width) == ("WEBP", width)
    x = images(built / "posts/flat/index.html")[3]  # 800 wide: one copy, for the column
    assert x["srcset"] == f"/assets/images/x-{COLUMN}w.webp {COLUMN}w, /assets/images/x.png 800w"
    narrow = images(built / "posts/flat/index.html")[2]  # 300 wide: fits the column as it is
    assert "srcset" not in narrow and not list(built.glob("posts/flat/small-*"))


def test_webp_copies_come_from_the_store_on_the_next_build(astro, stufen):
    assert stufen(astro, "build")[0] == 0
    entries = sorted((astro / CACHE_DIR / "images").rglob("*"))
    entries = [e for e in entries if e.is_file()]
    assert len(entries) == 3  # image-3 at two widths, x.png at one; each made once though shown twice
    published = {(astro / "_site" / p).read_bytes() for p in
                 ("posts/flat/image-3-736w.webp", "posts/flat/image-3-1472w.webp", "assets/images/x-736w.webp")}
    assert {read_sealed(e) for e in entries} == published
    # A planted entry (smaller than the source, sealed) is what the next build publishes: it read, not encoded.
    planted = {e: b"RIFF-planted-" + e.name.encode() for e in entries}
    for entry, data in planted.items():
        seal_into(entry, data)
    (astro / "content/posts/flat.md").write_text((astro / "content/posts/flat.md").read_text() + "\nMore.\n")
    assert stufen(astro, "build")[0] == 0
    assert {(astro / "_site" / p).read_bytes() for p in
            ("posts/flat/image-3-736w.webp", "posts/flat/image-3-1472w.webp", "assets/images/x-736w.webp")} \
        == set(planted.values())
    assert sorted(e for e in (astro / CACHE_DIR / "images").rglob("*") if e.is_file()) == entries


def test_a_missing_image_names_the_file_the_line_and_where_stufen_looked(site, stufen):
    root = site({"content/posts/a.md": post(description="d", ogImage="./nope.png",
                                            body="Text.\n\n![gone](image-3.png)\n\n![also](@/assets/images/x.png)"),
                 "content/posts/b/index.md": post("B", description="d", body="![x](./pics/diagram.png)")})
    code, out, err = stufen(root, "build")
    assert code == 0
    lines = [line for line in (out + err).splitlines() if "not found" in line]
    assert lines == [
        "content/posts/a.md:5: warning: ogImage './nope.png' not found: looked for content/posts/nope.png; "
        "a card is drawn instead (put the file there, or correct the path: a relative path starts at the post's "
        "own folder)",
        "content/posts/a.md:9: warning: image 'image-3.png' not found: looked for content/posts/image-3.png (put the "
        "file there, or correct the path: a relative path starts at the post's own folder)",
        "content/posts/a.md:11: warning: image '@/assets/images/x.png' not found: looked for assets/images/x.png "
        "('@/assets/' is the folder assets/ of the site) (put the file there, or set the alias's folder in "
        "[aliases] in stufen.toml)",
        "content/posts/b/index.md:6: warning: image './pics/diagram.png' not found: looked for "
        "content/posts/b/pics/diagram.png (put the file there, or correct the path: a relative path starts at the "
        "post's own folder)",
    ]
    assert "check the slug" not in out + err
    assert (root / "_site/og/posts/a.png").exists()  # the card stands in for the missing ogImage
    assert '<img src="image-3.png" alt="gone"' in (root / "_site/posts/a/index.html").read_text()  # kept, not lost
    assert stufen(root, "build", "--strict")[0] != 0


def test_aliases_in_stufen_toml_add_to_the_default_ones(site, stufen):
    root = site({"stufen.toml": '[aliases]\n"@images/" = "media/pictures/"\n',
                 "content/posts/a.md": post(description="d", body="![a](@images/a.png) ![b](@/assets/b.png)")})
    photo(root / "media/pictures/a.png", (40, 30))
    photo(root / "assets/b.png", (20, 10))
    assert stufen(root, "build", "--strict")[0] == 0
    found = images(root / "_site/posts/a/index.html")
    assert [(i["src"], i["width"]) for i in found] == [("/media/pictures/a.png", "40"), ("/assets/b.png", "20")]
    assert (root / "_site/media/pictures/a.png").read_bytes() == (root / "media/pictures/a.png").read_bytes()


def test_an_alias_must_name_a_folder_inside_the_site(site, stufen):
    root = site({"stufen.toml": 'title = "x"\n\n[aliases]\n"@up/" = "../elsewhere/"\n',
                 "content/posts/a.md": post(description="d")})
    code, out, err = stufen(root, "build")
    assert code != 0
    assert ("stufen.toml:4: aliases: @up/: expected a folder inside the site such as 'assets/images/'; "
            "got '../elsewhere/'") in out + err


def test_resolve_local_is_the_one_resolver(tmp_path):
    source = PurePosixPath("content/posts/my-post/index.md")
    (tmp_path / "content/posts/my-post").mkdir(parents=True)
    (tmp_path / "content/posts/my-post/diagram.png").write_bytes(b"x")
    (tmp_path / "content/posts/my-post/other.md").write_text("x")
    for outside in ("https://e.com/x.png", "/images/x.png", "#top", "../other-post/", "other.md"):
        assert resolve_local(outside, source, tmp_path, ALIASES) is None, outside
    found = resolve_local("./diagram.png?v=2#x", source, tmp_path, ALIASES)
    assert (found.file, found.site_path) == (tmp_path / "content/posts/my-post/diagram.png",
                                             "content/posts/my-post/diagram.png")
    assert resolve_local("other.md", source, tmp_path, ALIASES, page_links=True).file is None  # a post is no file
    escape = resolve_local("../../../../etc/passwd.png", source, tmp_path, ALIASES)
    assert escape.file is None and escape.tried == ("../etc/passwd.png",)
    alias = resolve_local("@/assets/images/x%20y.png", source, tmp_path, ALIASES)
    assert (alias.file, alias.tried, alias.alias) == (None, ("assets/images/x y.png",), "@/assets/")


def test_an_image_added_or_changed_later_is_picked_up_by_the_next_build(site, stufen):
    """The post's file is unchanged (its parse comes from the store): the image alone must cause the rebuild."""
    root = site({"content/posts/a.md": post(description="d", body="![x](@/assets/x.png) ![y](y.png)")})
    code, out, err = stufen(root, "build")
    assert "image '@/assets/x.png' not found" in out + err
    photo(root / "assets/x.png", (40, 30))
    photo(root / "content/posts/y.png", (20, 10))
    code, out, err = stufen(root, "build", "--strict")
    assert code == 0, out + err
    assert [(i["src"], i["width"]) for i in images(root / "_site/posts/a/index.html")] == [
        ("/assets/x.png", "40"), ("/posts/a/y.png", "20")]
    photo(root / "assets/x.png", (60, 30))
    assert stufen(root, "build")[0] == 0
    assert images(root / "_site/posts/a/index.html")[0]["width"] == "60"
    assert (root / "_site/assets/x.png").read_bytes() == (root / "assets/x.png").read_bytes()


def test_the_dev_server_rerenders_nothing_for_unchanged_images_and_a_resized_one_rerenders_its_post(site):
    """An unchanged post and images are the very same post object on the next rebuild (hashed once per session)."""
    root = site({"content/posts/a.md": post(description="d", body="![x](x.png)\n\n![y](@/assets/y.png)"),
                 "content/posts/b.md": post("B", "2024-05-02", description="d", body="No images.")})
    photo(root / "content/posts/x.png", (40, 30))
    photo(root / "assets/y.png", (50, 20))
    serving = Serving(root)
    first = serving.build()
    assert first.warnings == ()
    again = serving.build()
    assert serving.memo.rendered == [] and again.written == 0
    photo(root / "assets/y.png", (70, 20))
    serving.build()
    assert "/posts/a/" in serving.memo.rendered  # (and the pages holding post a, as for any edit of it)
    assert images(serving.out / "posts/a/index.html")[1]["width"] == "70"
    assert (serving.out / "assets/y.png").read_bytes() == (root / "assets/y.png").read_bytes()


def test_on_a_project_site_the_rewritten_addresses_carry_the_base_path(site, stufen):
    root = site({"stufen.toml": 'base_url = "https://me.github.io/journal/"\n',
                 "content/posts/a.md": post(description="d", ogImage="./cover.png",
                                            body="![x](x.png) ![y](@/assets/y.png)")})
    photo(root / "content/posts/x.png", (40, 30))
    photo(root / "content/posts/cover.png", (40, 30))
    photo(root / "assets/y.png", (50, 20))
    code, out, err = stufen(root, "build", "--strict")
    assert code == 0, out + err
    page = (root / "_site/posts/a/index.html").read_text()
    assert [i["src"] for i in images(root / "_site/posts/a/index.html")] == ["/journal/posts/a/x.png",
                                                                             "/journal/assets/y.png"]
    assert '<meta property="og:image" content="https://me.github.io/journal/posts/a/cover.png">' in page
    assert "https://me.github.io/journal/assets/y.png" in (root / "_site/feed.xml").read_text()
