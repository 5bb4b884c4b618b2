"""What a build reads from the author's folders: links that leave the site, special files and file
names that no address can hold are errors naming the file, never a hang, a traceback or a leak."""

from __future__ import annotations

import os

from conftest import files, post

GOOD = {"content/posts/a.md": post("Alpha", description="A.")}


def test_a_link_leaving_the_site_is_refused_by_name(site, stufen, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    root = site(GOOD)
    (root / "static").mkdir()
    os.symlink(secret, root / "static/passwd")
    os.symlink(tmp_path, root / "static/outside")  # a folder link: the same rule
    code, _, err = stufen(root, "build")
    assert code == 1
    assert f"static/passwd: a link to {secret}, outside the site folder" in err
    assert f"static/outside: a link to {tmp_path}, outside the site folder" in err
    assert not (root / "_site").exists() or b"password" not in b"".join(files(root / "_site").values())


def test_links_inside_the_site_are_followed_files_and_folders_alike(site, stufen):
    root = site({**GOOD, "pictures/diagram.svg": "<svg/>", "pictures/notes.txt": "n"})
    (root / "static").mkdir()
    os.symlink("../pictures", root / "static/pics")
    os.symlink("../pictures/notes.txt", root / "static/notes.txt")
    assert stufen(root, "build")[0] == 0
    assert (root / "_site/pics/diagram.svg").read_text() == "<svg/>"
    assert (root / "_site/notes.txt").read_text() == "n"


def test_a_pipe_or_a_dangling_link_is_an_error_not_a_hang(site, stufen):
    root = site(GOOD)
    (root / "static").mkdir()
    os.mkfifo(root / "static/pipe.txt")
    os.symlink("nowhere.txt", root / "static/gone.txt")
    code, _, err = stufen(root, "build")  # a read of the pipe would block forever
    assert code == 1
    assert "static/pipe.txt: not a file that can be read: it is a named pipe" in err
    assert "static/gone.txt: cannot read the file: No such file or directory\n" in err


def test_file_names_that_are_not_utf8_are_errors_naming_them(site, stufen):
    root = site(GOOD)
    (root / "static").mkdir()
    (root / os.fsdecode(b"static/\xfe.txt")).write_text("x")
    (root / os.fsdecode(b"content/posts/\xff-b.md")).write_text(post("Beta", description="B."))
    code, _, err = stufen(root, "build")
    assert code == 1 and "Traceback" not in err
    assert "content/posts/\\xff-b.md: the file name is not valid UTF-8" in err
    assert "static/\\xfe.txt: the file name is not valid UTF-8" in err
    code, out, err = stufen(root, "check")
    assert code == 1 and "content/posts/\\xff-b.md: the file name is not valid UTF-8" in out + err


def test_a_site_folder_that_cannot_be_written_is_a_message(site, stufen):
    root = site(GOOD)
    code, _, err = stufen(root, "build", "--out", "/proc/stufen-cannot-write-here")
    assert code == 2
    assert err == "Error: cannot write the site into /proc/stufen-cannot-write-here: No such file or directory\n"


def test_content_links_pipes_and_unreadable_folders_are_errors_not_hangs_or_silence(site, stufen, tmp_path):
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text(post("Elsewhere", description="E."))
    root = site({**GOOD, "notes/inside.md": post("Inside", description="I.")})
    posts = root / "content/posts"
    os.symlink(elsewhere, posts / "outside.md")
    os.symlink("../../notes", posts / "linked")  # a folder link inside the site: followed
    os.mkfifo(posts / "pipe.md")  # reading it would block the build forever
    code, _, err = stufen(root, "build")
    assert code == 1
    assert f"content/posts/outside.md: a link to {elsewhere}, outside the site folder" in err
    assert "content/posts/pipe.md: not a file that can be read: it is a named pipe" in err
    (posts / "outside.md").unlink()
    (posts / "pipe.md").unlink()
    code, out, err = stufen(root, "build")
    assert code == 0 and out.startswith("Built 2 posts"), err
    assert (root / "_site/posts/linked/inside/index.html").is_file()  # its folder is part of its address


def test_a_post_larger_than_the_limit_is_an_error_naming_it(site, stufen):
    root = site({**GOOD, "stufen.toml": "max_post_mb = 1\n",
                 "content/posts/huge.md": post("Huge", description="H.", body="word " * 300_000)})
    code, _, err = stufen(root, "build")
    assert code == 1
    assert "content/posts/huge.md: the file is larger than max_post_mb = 1 MB" in err


def test_an_unreadable_folder_of_posts_is_an_error(site, stufen):
    """Its posts would vanish from the site; as root nothing is unreadable, so a folder that is no
    longer there by the time it is listed stands in: a link to a folder that was removed."""
    root = site(GOOD)
    (root / "content/posts/gone").mkdir()
    os.symlink("gone", root / "content/posts/series")
    (root / "content/posts/gone").rmdir()
    code, _, err = stufen(root, "build")
    assert code == 1 and "content/posts/series: cannot read the file: No such file or directory" in err


def test_a_template_linked_from_outside_the_site_is_refused(site, stufen, tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text("password")
    root = site(GOOD)
    (root / "templates").mkdir()
    os.symlink(secret, root / "templates/404.html")
    code, _, err = stufen(root, "build")
    assert code == 1 and f"templates/404.html: a link to {secret}, outside the site folder" in err
