"""`stufen check`: every kind of finding with its pinned message, JSON output, --fix and the seed post."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from conftest import post

SEED = Path(__file__).parents[2] / "fixtures" / "seed-post.md"
SEED_AT = "content/posts/2023-08-11-diving-into-machine-learning.md"


def seed_site(site):
    root = site({"stufen.toml": 'timezone = "Europe/Berlin"\n'})
    (root / "content/posts").mkdir(parents=True)
    shutil.copyfile(SEED, root / SEED_AT)
    return root


def test_verbatim_seed_post_reports_line_41_and_suggests_the_repair(site, stufen):
    code, out, err = stufen(seed_site(site), "check")
    assert code == 1
    assert out.splitlines() == [
        f"{SEED_AT}:41: mojibake 'beschÃ¼tzt' (text decoded with the wrong encoding) "
        "(did you mean 'beschützt'? `stufen check --fix` repairs it)",
        "Checked 1 file: 1 error, 0 warnings",
    ]


def test_fix_repairs_only_the_mojibake(site, stufen):
    root = seed_site(site)
    before = (root / SEED_AT).read_bytes().split(b"\n")
    code, out, err = stufen(root, "check", "--fix")
    assert code == 0
    assert out.splitlines() == [f"Repaired 1 line of mojibake in {SEED_AT}", "Checked 1 file: 0 errors, 0 warnings"]
    after = (root / SEED_AT).read_bytes().split(b"\n")
    assert [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [41]
    assert len(before) == len(after)
    assert after[40].decode() == "> Der uns beschützt und der uns hilft, zu leben."


def test_check_without_fix_changes_nothing(site, stufen):
    root = seed_site(site)
    stufen(root, "check")
    assert (root / SEED_AT).read_bytes() == SEED.read_bytes()


def test_json_format(site, stufen):
    code, out, err = stufen(seed_site(site), "check", "--format", "json")
    assert code == 1
    assert json.loads(out) == {"files": 1, "errors": 1, "warnings": 0, "problems": [{
        "path": SEED_AT, "line": 41, "severity": "error",
        "message": "mojibake 'beschÃ¼tzt' (text decoded with the wrong encoding)",
        "hint": "did you mean 'beschützt'? `stufen check --fix` repairs it"}]}


def test_every_kind_of_finding(site, stufen):
    root = site({
        "stufen.toml": 'base_url = "https://me.github.io/journal/"\n',
        "static/images/plot.png": "png", "static/images/x.png": "png",
        "content/posts/a.md": post("A", description="d", tags='["machine-learning", "python"]', body=(
            "See [b](/posts/b/#nope), [gone](/posts/gone/) and [twice](/journal/posts/b/).\n\n"
            "![](/images/plot.png)\n\n<img src=\"/images/x.png\">\n\nA lost char: caf\ufffd.\n")),
        "content/posts/b.md": post("B", description="d", tags='["ml", "Pyton"]', body="## Real\n"),
        "content/posts/c.md": post("C", body="No description here."),
        "content/posts/d.md": post("D", "2031-01-01T10:00:00+00:00", description="d"),
        "content/posts/e.md": post("E", description="d", slug="b"),
    })
    code, out, err = stufen(root, "check")
    assert code == 1
    assert out.splitlines() == [
        "content/posts/a.md:7: warning: broken link '/journal/posts/b/': nothing is built at /journal/posts/b/ "
        "(leave out '/journal': Stufen adds the base path, write '/posts/b/')",
        "content/posts/a.md:7: warning: broken link '/posts/b/#nope': "
        "/posts/b/ has no heading or element with id 'nope'",
        "content/posts/a.md:7: warning: broken link '/posts/gone/': nothing is built at /posts/gone/ "
        "(check the slug, or use a path such as /posts/<slug>/)",
        "content/posts/a.md:9: warning: image '/images/plot.png' has no alt text "
        "(describe it: ![what the image shows](…), or alt=\"\" only if it is decoration)",
        "content/posts/a.md:11: warning: image '/images/x.png' has no alt text "
        "(describe it: ![what the image shows](…), or alt=\"\" only if it is decoration)",
        "content/posts/a.md:13: replacement character '\ufffd': some characters were lost when this text "
        "was converted (retype the damaged word)",
        "content/posts/b.md:5: warning: tag 'Pyton' looks like 'python' (content/posts/a.md); "
        "they make two tag pages (use one spelling everywhere)",
        "content/posts/b.md:5: warning: tag 'ml' looks like 'machine-learning' (content/posts/a.md); "
        "they make two tag pages (use one spelling everywhere)",
        "content/posts/c.md:2: warning: no description; using the first paragraph "
        "(add 'description:' for search engines and link previews)",
        "content/posts/d.md:3: warning: pubDatetime is in the future: hidden until 1 Jan 2031 10:00 (UTC) "
        "(fine if it is scheduled on purpose)",
        "content/posts/e.md:5: duplicate slug 'b': content/posts/b.md has the same URL /posts/b/ "
        "(set a different 'slug:' in one of them)",
        "Checked 5 files: 2 errors, 9 warnings",
    ]


def test_clean_site_passes(site, stufen):
    root = site({"content/posts/a.md": post("A", description="d", body="Fine [self](#top).\n\n## Top\n")})
    assert stufen(root, "check") == (0, "Checked 1 file: 0 errors, 0 warnings\n", "")


def test_links_in_a_hard_wrapped_paragraph_are_reported_on_their_own_line(site, stufen):
    root = site({"content/posts/a.md": post("A", description="d", body=(
        "A paragraph wrapped\nby hand, with a link\non its third line: [x](/posts/missing/),\n"
        "one after a hard break\\\nto [y](/posts/gone/), and one after\n![a wrapped\nalt text](/images/no.png).\n"))})
    broken = [
        "content/posts/a.md:8: warning: broken link '/posts/missing/': nothing is built at /posts/missing/ "
        "(check the slug, or use a path such as /posts/<slug>/)",
        "content/posts/a.md:10: warning: broken link '/posts/gone/': nothing is built at /posts/gone/ "
        "(check the slug, or use a path such as /posts/<slug>/)",
        "content/posts/a.md:11: warning: broken link '/images/no.png': nothing is built at /images/no.png "
        "(check the slug, or use a path such as /posts/<slug>/)",
    ]
    code, out, err = stufen(root, "check")
    assert (code, out.splitlines()) == (0, [*broken, "Checked 1 file: 0 errors, 3 warnings"])
    assert stufen(root, "check", "--strict")[:2] == (1, out)
    code, out, err = stufen(root, "build", "--strict")
    assert code == 1
    assert err.splitlines()[:3] == broken  # the same findings with the same severity as `check`


def test_duplicate_slugs_count_drafts_and_scheduled_posts(site, stufen):
    """`build` leaves them out, but `build --drafts` and `serve` fail on the clash, and so will publishing."""
    root = site({
        "content/posts/a.md": post("A", description="d", slug="same", draft="true"),
        "content/posts/b.md": post("B", description="d", slug="same"),
        "content/posts/c.md": post("C", "2031-01-01T10:00:00+00:00", description="d", slug="later"),
        "content/posts/later.md": post("Later", description="d"),
    })
    code, out, err = stufen(root, "check")
    assert (code, out.splitlines()) == (1, [
        "content/posts/b.md:5: duplicate slug 'same': content/posts/a.md, a draft, has the same URL /posts/same/ "
        "(set a different 'slug:' in one of them)",
        "content/posts/c.md:3: warning: pubDatetime is in the future: hidden until 1 Jan 2031 10:00 (UTC) "
        "(fine if it is scheduled on purpose)",
        "content/posts/later.md:1: duplicate slug 'later': content/posts/c.md has the same URL /posts/later/ "
        "(set a different 'slug:' in one of them)",
        "Checked 4 files: 2 errors, 1 warning",
    ])
    assert stufen(root, "build")[0] == 0  # what the build shows has no clash


def test_near_duplicate_tags_catch_one_slip_of_the_keyboard_but_not_other_words(site, stufen):
    root = site({
        "content/posts/a.md": post("A", description="d", tags='["python", "numpy", "gpt-3", "node", "numpy-basics"]'),
        "content/posts/b.md": post("B", description="d", tags='["pyhton", "pandas", "gpt-4", "code", "numpi"]'),
    })
    code, out, err = stufen(root, "check")
    assert (code, out.splitlines()) == (0, [
        "content/posts/b.md:5: warning: tag 'numpi' looks like 'numpy' (content/posts/a.md); "
        "they make two tag pages (use one spelling everywhere)",
        "content/posts/b.md:5: warning: tag 'pyhton' looks like 'python' (content/posts/a.md); "
        "they make two tag pages (use one spelling everywhere)",
        "Checked 2 files: 0 errors, 2 warnings",
    ])


def test_every_damaged_word_of_a_line_is_reported(site, stufen):
    root = site({"content/posts/a.md": post("A", description="d", body="Gr\u00c3\u00bc\u00c3\u0178e, f\u00c3\u00bcr "
                                                                          "alle, sch\u00c3\u00b6n.\n")})
    code, out, err = stufen(root, "check")
    why, fix = "(text decoded with the wrong encoding)", "`stufen check --fix` repairs it)"
    assert (code, out.splitlines()) == (1, [
        f"content/posts/a.md:6: mojibake 'GrÃ¼ÃŸe' {why} (did you mean 'Grüße'? {fix}",
        f"content/posts/a.md:6: mojibake 'fÃ¼r' {why} (did you mean 'für'? {fix}",
        f"content/posts/a.md:6: mojibake 'schÃ¶n' {why} (did you mean 'schön'? {fix}",
        "Checked 1 file: 3 errors, 0 warnings",
    ])


def test_mojibake_in_a_notebook_is_reported_by_cell_and_line(site, stufen):
    front_matter = "---\ntitle: Lab\ndescription: d\npubDatetime: 2024-05-01\n---"
    cells = [{"cell_type": "raw", "metadata": {}, "source": front_matter},
             {"cell_type": "markdown", "metadata": {}, "source": ["Fine.\n", "Der uns besch\u00c3\u00bctzt.\n"]},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "print(name)",
              "outputs": [{"output_type": "stream", "name": "stdout", "text": "M\u00c3\u00bcller\n"}]}]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (K\u00c3\u00b6ln)"}}}
    root = site({"content/posts/lab.ipynb": json.dumps(notebook, ensure_ascii=False, indent=1)})
    code, out, err = stufen(root, "check")
    hint = "`stufen check --fix` repairs it)"
    assert (code, out.splitlines()) == (1, [
        "content/posts/lab.ipynb: metadata: mojibake 'KÃ¶ln' (text decoded with the wrong encoding) "
        f"(did you mean 'Köln'? {hint}",
        "content/posts/lab.ipynb: cell 2, line 2: mojibake 'beschÃ¼tzt' (text decoded with the wrong encoding) "
        f"(did you mean 'beschützt'? {hint}",
        "content/posts/lab.ipynb: cell 3: output: mojibake 'MÃ¼ller' (text decoded with the wrong encoding) "
        f"(did you mean 'Müller'? {hint}",
        "Checked 1 file: 3 errors, 0 warnings",
    ])
    assert stufen(root, "check", "--fix")[0] == 0


def test_files_that_cannot_be_read_are_clear_errors_not_a_traceback_or_a_hang(site, stufen):
    """Unreadable for root too: a link to nothing, a link to itself, and a named pipe (reading one waits forever)."""
    root = site({"content/posts/a.md": post(description="x")})
    posts = root / "content/posts"
    (posts / "gone.md").symlink_to("nowhere.md")
    (posts / "loop.md").symlink_to("loop.md")
    os.mkfifo(posts / "pipe.md")
    code, out, err = stufen(root, "check")
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "content/posts/gone.md: cannot read the file: No such file or directory",
        "content/posts/loop.md: cannot read the file: Too many levels of symbolic links",
        "content/posts/pipe.md: not a file that can be read: it is a named pipe (remove it, or replace it with the "
        "file itself)",
        "Checked 1 file: 3 errors, 0 warnings"]  # the one file that could be read
