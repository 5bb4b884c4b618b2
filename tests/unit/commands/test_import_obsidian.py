"""`stufen import VAULT DEST`: a vault written the way Obsidian users write one (nested folders, an attachment
folder, wikilinks with aliases and headings, a private note) becomes a site of only the notes chosen for
publishing and the files they embed; the report names each link to a note left behind; the vault never changes."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import files, write_files
from unit.commands.test_import import PNG, tree_hash

MTIME = 1714564800  # 2024-05-01T12:00:00Z: the modification time of the notes without a date

GRADIENT = """\
---
publish: true
description: How a model learns.
pubDatetime: 2024-03-01T10:00:00Z
tags: [ml]
---
Step downhill. See [[Loss functions|the loss]] and [[Loss functions#Squared error]].

![[diagram.png]]

> [!tip] Learning rate
> Keep it ==small==.

## Learning rate

Too big and it diverges, as I wrote in [[Private journal]].
"""


def vault(root: Path) -> Path:
    write_files(root, {
        ".obsidian/app.json": '{"attachmentFolderPath": "attachments", "alwaysUpdateLinks": true}',
        ".obsidian/workspace.json": "{}",
        "Machine Learning/Gradient descent.md": GRADIENT,
        "Machine Learning/Loss functions.md": "---\npublish: true\ndescription: What we minimise.\ntags:\n  - ml\n"
                                              "---\n## Squared error\n\nThe mean of squared differences.\n\n"
                                              "![curve](../attachments/curve%20fit.png)\n\n"
                                              "Back to [[Gradient descent#Learning rate]].\n",
        "Machine Learning/Draft idea.md": "---\ndescription: Not yet.\npubDatetime: 2024-04-01T10:00:00Z\n---\n"
                                          "Builds on [[Gradient descent]].\n\n![[sketch.png]]\n",
        "Daily/Private journal.md": "---\npublish: false\ndescription: Mine.\n---\n"
                                    "Today I learnt about [[Gradient descent]]. #ml\n",
        "Daily/2024-06-01.md": "---\ndescription: A day.\n---\nRead about #ml/optimisation in [[Gradient descent]].\n",
        "Inbox/Untitled.md": "a scratch note without front matter\n",
    })
    (root / "attachments").mkdir()
    for name in ("diagram.png", "curve fit.png", "unused.png"):
        (root / "attachments" / name).write_bytes(PNG)
    for path in root.rglob("*.md"):
        os.utime(path, (MTIME, MTIME))
    return root


def import_vault(tmp_path, stufen, *options: str) -> tuple[Path, list[str]]:
    src = vault(tmp_path / "vault")
    before = tree_hash(src)
    code, out, err = stufen(tmp_path, "import", str(src), str(tmp_path / "site"), *options)
    assert (code, err) == (0, ""), err
    assert tree_hash(src) == before  # the vault never changes
    return tmp_path / "site", out.splitlines()


PRIVATE = ("  Machine Learning/Gradient descent.md:16: [[Private journal]] links to Daily/Private journal.md, which is "
           "not published: publish it too, or unlink it (the build reports it as a missing note)")


def dated(note: str) -> str:
    return (f"  {note}:1: no pubDatetime or created: pubDatetime 2024-05-01T12:00:00Z (the file's modification time) "
            "written into the copy")


def test_publish_true_notes_and_what_they_embed_build_strict(tmp_path, stufen):
    site, out = import_vault(tmp_path, stufen)
    assert sorted(files(site)) == [
        "content/attachments/diagram.png", "content/posts/Machine Learning/Gradient descent.md",
        "content/posts/Machine Learning/Loss functions.md", "content/posts/attachments/curve fit.png",
        "import-report.txt", "stufen.toml"]
    assert out == [f"Imported Obsidian vault from {tmp_path / 'vault'} into {site}: 2 posts, 2 other files.",
                   "Not carried over (2), also in import-report.txt:",
                   PRIVATE, dated("Machine Learning/Loss functions.md")]
    assert (site / "import-report.txt").read_text().splitlines() == out
    assert (site / "stufen.toml").read_text().splitlines()[2:] == [
        'title = "vault"', "# the vault's attachment folder (.obsidian/app.json)", 'attachments_dir = "attachments"']
    copy = (site / "content/posts/Machine Learning/Loss functions.md").read_text()
    assert copy.startswith('---\ntitle: "Loss functions"\npubDatetime: 2024-05-01T12:00:00Z\npublish: true\n')
    gradient = site / "content/posts/Machine Learning/Gradient descent.md"
    assert gradient.read_text() == GRADIENT.replace("---\n", '---\ntitle: "Gradient descent"\n', 1)

    code, _, err = stufen(site, "build", "--strict")  # the link the report named is the build's one error
    assert code == 1 and err.startswith("content/posts/Machine Learning/Gradient descent.md:17: [[Private journal]]:")
    gradient.write_text(gradient.read_text().replace(", as I wrote in [[Private journal]]", ""))
    code, _, err = stufen(site, "build", "--strict")
    assert (code, err) == (0, "")
    page = (site / "_site/posts/machine-learning/gradient-descent/index.html").read_text()
    for html in ('<a class="wikilink" href="/posts/machine-learning/loss-functions/">the loss</a>',
                 'href="/posts/machine-learning/loss-functions/#squared-error">Loss functions &gt; Squared error</a>',
                 '<img src="/posts/machine-learning/gradient-descent/diagram.png" alt="diagram"',
                 'class="callout callout-tip"', "<mark>small</mark>"):
        assert html in page
    assert (site / "_site/posts/machine-learning/gradient-descent/diagram.png").read_bytes() == PNG
    assert "Private journal" not in page and not list((site / "_site").rglob("unused.png"))


def test_folder_chooses_the_notes_under_it_and_reports_a_missing_embed(tmp_path, stufen):
    site, out = import_vault(tmp_path, stufen, "--folder", "Machine Learning")
    assert sorted(p for p in files(site) if p.endswith(".md")) == [
        "content/posts/Machine Learning/Draft idea.md", "content/posts/Machine Learning/Gradient descent.md",
        "content/posts/Machine Learning/Loss functions.md"]
    assert out[1:] == ["Not carried over (3), also in import-report.txt:",
                       "  Machine Learning/Draft idea.md:7: ![[sketch.png]]: no such file in the vault (not beside "
                       "the note, nor in attachments)", PRIVATE, dated("Machine Learning/Loss functions.md")]


def test_tag_chooses_by_front_matter_and_inline_tags_but_never_a_private_note(tmp_path, stufen):
    site, out = import_vault(tmp_path, stufen, "--tag", "#ml")
    assert sorted(p for p in files(site) if p.endswith(".md")) == [
        "content/posts/Daily/2024-06-01.md", "content/posts/Machine Learning/Gradient descent.md",
        "content/posts/Machine Learning/Loss functions.md"]
    assert out[1:] == ["Not carried over (3), also in import-report.txt:", dated("Daily/2024-06-01.md"),
                       PRIVATE, dated("Machine Learning/Loss functions.md")]
    assert (site / "stufen.toml").read_text().endswith("inline_tags = true\n")
    gradient = site / "content/posts/Machine Learning/Gradient descent.md"
    gradient.write_text(gradient.read_text().replace(", as I wrote in [[Private journal]]", ""))
    code, _, err = stufen(site, "build", "--strict")
    assert (code, err) == (0, "")
    page = (site / "_site/posts/daily/2024-06-01/index.html").read_text()
    assert 'href="/tags/ml-optimisation/">#ml/optimisation</a> in' in page


def test_a_created_date_is_kept_and_links_are_told_from_files(tmp_path, stufen):
    write_files(tmp_path / "vault", {
        ".obsidian/app.json": "{}",
        "Essay.md": "---\npublish: true\ncreated: 2024-02-02\n---\nSee [[Nowhere]] and ![[plot.png]].\n\n"
                    "Notes: [[Release v1.2]], [[slides.pdf]], ![up](../../slides.pdf).\n",
        "Release v1.2.md": "A note with a dot in its name.\n",
        "img/plot.png": "not really a png",
        "slides.pdf": "%PDF",
    })
    code, out, err = stufen(tmp_path, "import", str(tmp_path / "vault"), str(tmp_path / "site"))
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "Not carried over (4), also in import-report.txt:",
        "  Essay.md:5: [[Nowhere]]: no note in the vault has this name (the build reports it as a missing note)",
        "  Essay.md:7: [[Release v1.2]] links to Release v1.2.md, which is not published: publish it too, or "
        "unlink it (the build reports it as a missing note)",
        "  Essay.md:7: [[slides.pdf]]: copied beside the post, but the build links only notes by [[…]]: write "
        "[slides.pdf](<slides.pdf>)",
        "  Essay.md:7: ../../slides.pdf: no such file in the vault"]  # as in Obsidian: not outside the vault
    site = tmp_path / "site/content/posts"
    assert (site / "img/plot.png").exists() is False and (site / "plot.png").read_text() == "not really a png"
    assert (site / "slides.pdf").read_text() == "%PDF"
    assert (site / "Essay.md").read_text().startswith('---\ntitle: "Essay"\npublish: true\ncreated: 2024-02-02\n')
    assert "attachments_dir" not in (tmp_path / "site/stufen.toml").read_text()


def test_unreadable_notes_and_an_empty_choice_are_reported(tmp_path, stufen):
    write_files(tmp_path / "vault", {".obsidian/app.json": "{}", "Broken.md": "---\npublish: [true\n---\nhi\n"})
    (tmp_path / "vault/latin.md").write_bytes(b"caf\xe9\n")
    code, out, err = stufen(tmp_path, "import", str(tmp_path / "vault"), str(tmp_path / "site"))
    assert (code, err) == (0, "")
    assert out.splitlines()[1:] == [
        "Not carried over (3), also in import-report.txt:",
        "  Broken.md:2: front matter not read (invalid YAML: did not find expected ',' or ']' at line 3, in the "
        "[list] opened here): the note is imported only if --folder or --tag chooses it",
        "  latin.md:1: not valid UTF-8: byte 0xe9 at offset 3: not read (save it as UTF-8)",
        "  the vault: no note is marked publish: true: nothing imported (mark notes publish: true, or choose them "
        "with --folder or --tag)"]


def test_vault_options_are_refused_for_another_kind_of_site(tmp_path, stufen):
    write_files(tmp_path / "astro", {"package.json": "{}", "src/data/blog/a.md": "---\ntitle: A\n---\n"})
    code, out, err = stufen(tmp_path, "import", str(tmp_path / "astro"), str(tmp_path / "site"), "--tag", "ml")
    assert (code, out) == (2, "")
    assert err == f"Error: --tag applies to an Obsidian vault; {tmp_path / 'astro'} is AstroPaper\n"
