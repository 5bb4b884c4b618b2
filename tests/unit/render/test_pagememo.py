"""The page memo: `stufen build` renders only pages whose inputs changed and links the rest."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import files, post
from stufen.render import memo, pagememo

POSTS = {f"content/posts/p{n}.md": post(f"Post {n}", date=f"2024-05-{n + 1:02}T09:00:00Z", description="d",
                                        body=f"Body {n}.", tags=f"[t{n % 2}]") for n in range(6)}


def pages(site: Path) -> dict[str, int]:
    """Every page of a built site by URL, with the inode of its file."""
    found = {}
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        found["/" + rel.removesuffix("index.html")] = path.stat().st_ino
    return found


def rendered_since(before: dict[str, int], site: Path) -> list[str]:
    """The pages a build rendered: a page it reused is the last site's file, hard-linked (same inode)."""
    return sorted(url for url, inode in pages(site).items() if before.get(url) != inode)


def touch(path) -> None:
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)


def test_an_edit_renders_only_the_pages_it_changes(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    before = pages(root / "_site")
    body_only = POSTS["content/posts/p2.md"].replace("Body 2.", "Body 2, edited.")
    (root / "content/posts/p2.md").write_text(body_only)
    assert stufen(root, "build")[0] == 0
    # the post and the pages that hold it (neighbours' prev/next, lists of its tag, home, archives)
    assert rendered_since(before, root / "_site") == [
        "/", "/archives/", "/posts/", "/posts/p1/", "/posts/p2/", "/posts/p3/", "/tags/t0/"]
    before = pages(root / "_site")
    touch(root / "content/posts/p4.md")
    assert stufen(root, "build")[0] == 0
    assert rendered_since(before, root / "_site") == []  # same bytes: a post from the cache is the same post


def test_a_template_or_static_change_renders_the_pages_that_use_it(site, stufen):
    root = site({**POSTS, "templates/404.html": '{% extends "base.html" %}{% block main %}Lost{% endblock %}',
                 "static/note.txt": "a"})
    assert stufen(root, "build")[0] == 0
    before = pages(root / "_site")
    (root / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}Lost!{% endblock %}')
    assert stufen(root, "build")[0] == 0
    assert rendered_since(before, root / "_site") == ["/404.html"]  # the other templates do not use it
    before = pages(root / "_site")
    (root / "static/note.txt").write_text("b")  # a template may embed what it reads of static files
    assert stufen(root, "build")[0] == 0
    assert len(rendered_since(before, root / "_site")) > 10


def test_a_build_takes_the_templates_references_from_the_record_and_parses_only_changed_ones(site, stufen,
                                                                                              monkeypatch):
    root = site({**POSTS, "templates/404.html": '{% extends "base.html" %}{% block main %}Lost{% endblock %}',
                 "templates/part.html": "Part"})
    assert stufen(root, "build")[0] == 0
    parsed = []
    find = memo.meta.find_referenced_templates
    monkeypatch.setattr(memo.meta, "find_referenced_templates", lambda ast: parsed.append(ast) or find(ast))
    (root / "content/posts/p2.md").write_text(POSTS["content/posts/p2.md"].replace("Body 2.", "Body 2, edited."))
    assert stufen(root, "build")[0] == 0
    assert parsed == []  # every template's references came with the last build's record
    (root / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}{% include "part.html" %}{% endblock %}')
    assert stufen(root, "build")[0] == 0
    assert len(parsed) == 2  # only the changed source and the template it now includes, unused until now
    before = pages(root / "_site")
    (root / "templates/part.html").write_text("Part, edited")
    assert stufen(root, "build")[0] == 0
    assert rendered_since(before, root / "_site") == ["/404.html"]  # its new reference is followed
    assert "Part, edited" in (root / "_site/404.html").read_text()


def test_linked_pages_are_byte_identical_to_rendered_ones(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build", "--no-cache")[0] == 0
    cold = files(root / "_site")
    assert stufen(root, "build")[0] == 0
    for path in (root / "content/posts").iterdir():
        touch(path)
    assert stufen(root, "build")[0] == 0  # every page linked from the site before
    assert files(root / "_site") == cold
    assert (root / "_site/posts/p1/index.html").stat().st_nlink >= 1


def test_the_memo_is_dropped_when_the_site_it_points_into_is_not_there(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    os.rename(root / "_site", root / "moved")
    assert stufen(root, "build")[0] == 0
    assert "/posts/p1/" in rendered_since(pages(root / "moved"), root / "_site")  # nothing to link from
    before = pages(root / "_site")
    (root / ".stufen-cache" / pagememo.FILE).write_bytes(b"torn")
    touch(root / "content/posts/p1.md")
    assert stufen(root, "build")[0] == 0
    assert "/posts/p1/" in rendered_since(before, root / "_site")
    assert (root / "_site/posts/p1/index.html").is_file()


def test_a_posts_digest_is_the_same_parsed_unpickled_or_in_another_process(tmp_path):
    import pickle
    import subprocess
    import sys
    from pathlib import PurePosixPath

    from stufen.load.post import Settings, load_post
    body = "".join(f"## Heading {n}\n\nSee [it](/posts/x/#h{n}).\n\n" for n in range(30))
    text = post("T", description="d", body=body)
    fresh = load_post(text.encode(), PurePosixPath("content/posts/a.md"), Settings())[0]
    assert memo.canonical_digest(fresh) == memo.canonical_digest(pickle.loads(pickle.dumps(fresh)))
    (tmp_path / "a.md").write_text(text)
    script = ("import sys; from pathlib import PurePosixPath; from stufen.load.post import Settings, load_post; "
              "from stufen.render.memo import canonical_digest; "
              "p = load_post(open(sys.argv[1], 'rb').read(), PurePosixPath('content/posts/a.md'), Settings())[0]; "
              "print(canonical_digest(p).hex())")
    command = [sys.executable, "-c", script, str(tmp_path / "a.md")]
    digests = {subprocess.run(command, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert digests == {memo.canonical_digest(fresh).hex() + "\n"}


def test_feeds_are_rebuilt_only_when_their_posts_change(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    inode = {name: (root / "_site" / name).stat().st_ino for name in ("feed.xml", "tags/t0/feed.xml",
                                                                       "tags/t1/feed.xml", "posts/p5/index.html")}
    (root / "content/posts/p2.md").write_text(POSTS["content/posts/p2.md"].replace("Body 2.", "Body 2, edited."))
    assert stufen(root, "build")[0] == 0
    after = {name: (root / "_site" / name).stat().st_ino for name in inode}
    assert after["tags/t1/feed.xml"] == inode["tags/t1/feed.xml"]  # linked: p2 is not tagged t1
    assert after["posts/p5/index.html"] == inode["posts/p5/index.html"]
    assert after["feed.xml"] != inode["feed.xml"] and after["tags/t0/feed.xml"] != inode["tags/t0/feed.xml"]
    assert "Body 2, edited." in (root / "_site/feed.xml").read_text()
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert "Body 2, edited." in (root / "_site/tags/t0/feed.xml").read_text()


def test_a_loaded_post_stands_for_its_store_key_and_a_changed_copy_is_hashed(tmp_path):
    from dataclasses import replace
    from pathlib import PurePosixPath

    from stufen.load.post import Settings, load_post
    loaded = load_post(post("T", description="d").encode(), PurePosixPath("content/posts/a.md"), Settings())[0]
    changed = replace(loaded, title="Other")  # as the site stage does to a post whose images it sized
    digests = memo.Digests()
    digests.name_loaded([("ab" * 32, loaded)])
    assert digests.post_digest(loaded) == bytes.fromhex("ab" * 32)  # its key: nothing hashed
    assert digests.post_digest(changed) == memo.canonical_digest(changed)
    digests.finish()
    digests.name_loaded([("cd" * 32, loaded)])  # a later build of the session: the first name stays
    assert digests.post_digest(loaded) == bytes.fromhex("ab" * 32)


def test_an_unchanged_open_graph_card_is_the_last_sites_file_and_an_edited_title_gets_a_new_one(site, stufen):
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    cards = {path.relative_to(root / "_site").as_posix(): path.stat().st_ino
             for path in (root / "_site").rglob("*.png")}
    assert len(cards) == len(POSTS) + 1  # a card per post, and the site's
    retitled = POSTS["content/posts/p2.md"].replace("title: Post 2", "title: Post two")
    (root / "content/posts/p2.md").write_text(retitled)
    assert stufen(root, "build")[0] == 0
    changed = sorted(rel for rel, inode in cards.items() if (root / "_site" / rel).stat().st_ino != inode)
    assert len(changed) == 1 and "p2" in changed[0], changed
    assert stufen(root, "build", "--no-cache", "--out", "ref")[0] == 0
    assert files(root / "_site") == files(root / "ref")


def test_a_restored_site_is_reused_by_its_bytes_and_a_page_changed_in_it_is_rendered(site, stufen, tmp_path):
    import shutil

    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    # a CI cache restore: the store and the site copied elsewhere, with new inodes and mtimes (another marker)
    copy = tmp_path / "restored"
    shutil.copytree(root, copy, copy_function=shutil.copy)
    page = copy / "_site/posts/p1/index.html"
    page.write_bytes(page.read_bytes().replace(b"Body 1.", b"Body 7."))  # same size, other bytes
    before = pages(copy / "_site")
    assert stufen(copy, "build")[0] == 0
    assert rendered_since(before, copy / "_site") == ["/posts/p1/"]  # the others' bytes were checked: linked
    assert files(copy / "_site") == files(root / "_site")


def test_the_record_holds_each_files_identity_as_it_is_after_the_swap(site, stufen):
    """A reused file's identity is taken from the check that trusted it, not stat'ed again for the record:
    it must still be the file's own (size, mtime, inode) once the new site is in place, pages, feeds,
    cards and search shards alike, or the next build would read and hash every page to trust it."""
    root = site(POSTS)
    assert stufen(root, "build")[0] == 0
    (root / "content/posts/p2.md").write_text(POSTS["content/posts/p2.md"].replace("Body 2.", "Body 2, edited."))
    assert stufen(root, "build")[0] == 0
    record = pagememo.load(root / ".stufen-cache" / pagememo.FILE)
    assert record is not None and len(record[1]) > 20
    for path, _, _, identity in record[1].values():
        info = (root / "_site" / path).stat()
        assert identity == (info.st_size, info.st_mtime_ns, info.st_ino), path
