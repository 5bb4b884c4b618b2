"""Files as editors really save them: BOM, CRLF, CR, tabs, no final newline, Latin-1, empty, huge.

Each is built through the real CLI; what builds must render its body, and what
cannot build is reported with the file and line (and for bad bytes, the offset).
"""

from __future__ import annotations

import json

import pytest

from stufen.cli import main

FRONT = "---\ntitle: Edge\npubDatetime: 2024-05-01\ndescription: d\n---\n"
BODY = "First paragraph.\n\n\tindented code\n\n- item"
BUILDS = {
    "bom": ("\ufeff" + FRONT + BODY).encode(),
    "crlf": (FRONT + BODY).replace("\n", "\r\n").encode(),
    "cr": (FRONT + BODY).replace("\n", "\r").encode(),
    "mixed": (FRONT + BODY).replace("\n", "\r\n", 3).encode(),
    "tabs": (FRONT + BODY).encode(),
    "no-final-newline": (FRONT + BODY).rstrip("\n").encode(),
}


def write(root, name: str, data: bytes) -> None:
    (root / "content/posts").mkdir(parents=True, exist_ok=True)
    (root / f"content/posts/{name}.md").write_bytes(data)


@pytest.mark.parametrize("name", BUILDS)
def test_line_endings_bom_tabs_and_missing_newline_build_the_same_page(tmp_path, stufen, name):
    write(tmp_path, name, BUILDS[name])
    code, out, err = stufen(tmp_path, "build")
    assert (code, err) == (0, ""), err
    page = (tmp_path / f"_site/posts/{name}/index.html").read_text()
    assert "<p>First paragraph.</p>" in page
    assert "<pre><code>indented code\n</code></pre>" in page
    assert "<li>item</li>" in page
    assert "\r" not in page and "\ufeff" not in page


FAILS = {
    "latin-1": ("---\ntitle: Café\npubDatetime: 2024-05-01\n---\nBody\n".encode("latin-1"),
                "content/posts/latin-1.md:2: not valid UTF-8: byte 0xe9 at offset 14 (save the file as UTF-8)"),
    "empty": (b"", "content/posts/empty.md:1: the file is empty (start it with front matter: "
                   "'---', 'title: …', 'pubDatetime: …', '---')"),
    "blank": (b"\n \r\n\t\n", "content/posts/blank.md:1: the file is empty (start it with front matter: "
                              "'---', 'title: …', 'pubDatetime: …', '---')"),
    "body-only": (b"Just a body.\n", "content/posts/body-only.md:1: no front matter found (start the file with "
                                     "a '---' line, the YAML keys, then another '---' line)"),
}


@pytest.mark.parametrize("name", FAILS)
def test_files_that_cannot_be_read_are_errors_naming_file_and_line(tmp_path, stufen, name):
    data, message = FAILS[name]
    write(tmp_path, name, data)
    code, out, err = stufen(tmp_path, "build")
    assert code == 1
    assert err.splitlines() == [message, "Build failed: 1 error"]


def test_front_matter_only_builds_an_empty_post_with_a_warning(tmp_path, stufen):
    write(tmp_path, "only", b"---\ntitle: Only\npubDatetime: 2024-05-01\n---")
    code, out, err = stufen(tmp_path, "build")
    assert code == 0, err
    assert out.splitlines()[0] == ("content/posts/only.md:2: warning: no description, and no paragraph to use "
                                   "instead (add 'description:' for search engines and link previews)")
    assert "<h1 data-pagefind-meta=\"title\">Only</h1>" in (tmp_path / "_site/posts/only/index.html").read_text()


def test_a_5_mb_post_builds(tmp_path):
    """Its speed is measured by bench/growth.py; here only that it builds, whole, without error."""
    section = "## Step {n}\n\n" + "Small steps downhill until the loss stops falling. " * 40 + "\n\n"
    body = "".join(section.format(n=n) for n in range(2500))
    assert len(body.encode()) > 5_000_000
    write(tmp_path, "huge", (FRONT + body + "The end.\n").encode())
    assert main(["-C", str(tmp_path), "build", "--no-cache"]) == 0
    page = (tmp_path / "_site/posts/huge/index.html").read_text()
    assert page.count("<h2 id=\"step-") == 2500 and "<p>The end.</p>" in page


# Notebooks: the same edges where they apply to a JSON file.
NB_FRONT = "---\ntitle: Edge\npubDatetime: 2024-05-01\ndescription: d\n---"


def notebook_json(*markdown: str, indent=1) -> str:
    cells = [{"cell_type": "raw", "metadata": {}, "source": NB_FRONT}]
    cells += [{"cell_type": "markdown", "metadata": {}, "source": text} for text in markdown]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}, indent=indent,
                      ensure_ascii=False)


NB_BUILDS = {
    "nb-bom": ("\ufeff" + notebook_json("First paragraph.")).encode(),
    "nb-crlf": notebook_json("First paragraph.").replace("\n", "\r\n").encode(),
    "nb-cr-inside-cells": notebook_json("First\r\nparagraph.\r").encode(),
    "nb-one-line": notebook_json("First paragraph.", indent=None).encode(),
}


@pytest.mark.parametrize("name", NB_BUILDS)
def test_notebooks_with_bom_crlf_and_no_newlines_build(tmp_path, stufen, name):
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / f"content/posts/{name}.ipynb").write_bytes(NB_BUILDS[name])
    code, out, err = stufen(tmp_path, "build")
    assert (code, err) == (0, ""), err
    page = (tmp_path / f"_site/posts/{name}/index.html").read_text()
    assert "<p>First\nparagraph.</p>" in page or "<p>First paragraph.</p>" in page
    assert "\r" not in page and "\ufeff" not in page


NB_FAILS = {
    "latin-1": (notebook_json("Café").encode("latin-1"),
                "content/posts/latin-1.ipynb:11: not valid UTF-8: byte 0xe9 at offset 211 (save the file as UTF-8)"),
    "empty": (b"", "content/posts/empty.ipynb:1: the file is empty (open it in Jupyter and save it again)"),
    "invalid-json": (notebook_json("x").replace('"markdown",', '"markdown"').encode(),
                     "content/posts/invalid-json.ipynb:10: not a notebook: invalid JSON: Expecting ',' delimiter "
                     "(open it in Jupyter and save it again)"),
    "truncated": (notebook_json("x")[:100].encode(),
                  "content/posts/truncated.ipynb:6: not a notebook: invalid JSON: Unterminated string starting at "
                  "(open it in Jupyter and save it again)"),
}


@pytest.mark.parametrize("name", NB_FAILS)
def test_notebooks_that_cannot_be_read_are_errors_with_a_line(tmp_path, stufen, name):
    data, message = NB_FAILS[name]
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / f"content/posts/{name}.ipynb").write_bytes(data)
    code, out, err = stufen(tmp_path, "build")
    assert code == 1
    assert err.splitlines() == [message, "Build failed: 1 error"]


def test_a_front_matter_only_notebook_and_a_5_mb_one_build(tmp_path):
    posts = tmp_path / "content/posts"
    posts.mkdir(parents=True)
    (posts / "only.ipynb").write_text(notebook_json())
    section = "## Step {n}\n\n" + "Small steps downhill until the loss stops falling. " * 40
    (posts / "huge.ipynb").write_text(notebook_json(*(section.format(n=n) for n in range(2500)), "The end."))
    assert (posts / "huge.ipynb").stat().st_size > 5_000_000
    assert main(["-C", str(tmp_path), "build", "--no-cache"]) == 0
    page = (tmp_path / "_site/posts/huge/index.html").read_text()
    assert page.count("<h2 id=\"step-") == 2500 and "<p>The end.</p>" in page
    assert "<h1 data-pagefind-meta=\"title\">Edge</h1>" in (tmp_path / "_site/posts/only/index.html").read_text()


def test_escaped_control_characters_in_front_matter_reach_no_output_file(tmp_path, stufen):
    write(tmp_path, "ctl", b'---\ntitle: "a\\u0000b\\u0007c"\npubDatetime: 2024-05-01\ndescription: "d\\x85"\n'
                           b'tags: ["t\\u0001"]\n---\nBody.\n')
    code, out, err = stufen(tmp_path, "build")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("content/posts/ctl.md:2: warning: title: removed control characters: "
                                   "U+0000, U+0007 (delete the escape; it would not show on the page)")
    for path in (tmp_path / "_site").rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".webmanifest"):
            text = path.read_text()
            assert not any(ch in text for ch in "\x00\x01\x07\x85"), path
    assert "<title>abc | My Journal</title>" in (tmp_path / "_site/posts/ctl/index.html").read_text()


@pytest.mark.filterwarnings("error")  # nor is Pillow's warning for a merely large one printed
def test_a_static_image_too_large_for_pillow_builds_without_a_size(tmp_path, stufen):
    """Reading its size raised Pillow's DecompressionBombError, a traceback; it is now simply left unsized."""
    from PIL import Image

    write(tmp_path, "pic", (FRONT + "![x](/huge.png) ![y](/big.png)\n").encode())
    (tmp_path / "static").mkdir()
    Image.new("1", (20_000, 10_000)).save(tmp_path / "static/huge.png")  # over twice Pillow's limit
    Image.new("1", (10_000, 10_000)).save(tmp_path / "static/big.png")  # over it: Pillow only warns
    code, out, err = stufen(tmp_path, "build")
    assert (code, err) == (0, ""), err
    page = (tmp_path / "_site/posts/pic/index.html").read_text()
    assert '<img src="/huge.png"' in page and 'width="10000" height="10000"' in page
