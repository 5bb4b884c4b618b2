"""The whole pipeline through the real CLI: reports, exit codes, output safety, cache, determinism."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import FIXED_NOW, files, post
from stufen.output.write import MARKER

REPO = Path(__file__).resolve().parents[2]
GOOD = {"content/posts/a.md": post("Alpha", description="A."),
        "content/posts/b.md": post("Beta", date="2024-06-01", description="B.", tags="[x, y]")}


def test_report_names_what_was_left_out(site, stufen):
    root = site({**GOOD,
                 "content/posts/draft.md": post("Draft", description="d", draft="true"),
                 "content/posts/later.md": post("Later", date="2030-01-15T08:00:00+01:00", description="d"),
                 "content/posts/soon.md": post("Soon", date="2026-01-01T00:10:00Z", description="d")})
    code, out, err = stufen(root, "build")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:2] == ["Left out content/posts/draft.md: draft",
                         "Left out content/posts/later.md: scheduled for 15 Jan 2030 07:00 (UTC), published from 06:45"]
    assert lines[2].startswith("Built 3 posts, 3 tags, ")  # "soon" is inside the 15-minute margin
    assert (root / "_site/posts/soon/index.html").exists()
    assert not (root / "_site/posts/draft").exists()


def test_a_scheduled_report_gives_the_day_it_appears_when_the_margin_crosses_midnight(site, stufen):
    root = site({**GOOD, "stufen.toml": "scheduled_margin_minutes = 60\n",
                 "content/posts/later.md": post("Later", date="2030-01-15T00:30:00Z", description="d")})
    assert stufen(root, "build")[1].splitlines()[0] == (
        "Left out content/posts/later.md: scheduled for 15 Jan 2030 00:30 (UTC), published from 14 Jan 2030 23:30")


def test_drafts_flag_includes_drafts_and_scheduled_posts(site, stufen):
    root = site({**GOOD, "content/posts/draft.md": post("Draft", description="d", draft="true"),
                 "content/posts/later.md": post("Later", date="2030-01-01", description="d")})
    code, out, _ = stufen(root, "build", "--drafts")
    assert code == 0 and out.startswith("Built 4 posts")
    assert "Draft" in (root / "_site/posts/draft/index.html").read_text()


def test_failed_build_leaves_previous_site_untouched(site, stufen):
    root = site(GOOD)
    assert stufen(root, "build")[0] == 0
    before = files(root / "_site")
    (root / "content/posts/a.md").write_text("---\ntitle: [broken\n---\n")
    code, _, err = stufen(root, "build")
    assert code == 1 and "content/posts/a.md:" in err
    assert files(root / "_site") == before


def test_refuses_to_replace_a_folder_it_did_not_make(site, stufen):
    root = site({**GOOD, "_site/precious.txt": "mine"})
    code, _, err = stufen(root, "build")
    assert code == 2
    assert "refusing to replace" in err and "no .stufen-site file" in err
    assert (root / "_site/precious.txt").read_text() == "mine"


def test_refuses_to_build_into_the_site_folder_or_content(site, stufen):
    root = site(GOOD)
    for out in (".", "content/out", ".."):
        code, _, err = stufen(root, "build", "--out", str(root / out))
        assert code == 2 and "refusing to build into" in err, out
    assert (root / "content/posts/a.md").exists()


def leftovers(root: Path) -> list[Path]:
    """Folders a build left beside _site/, once the replaced site's background removal has finished,
    besides the spare the next build fills (the site the last one replaced)."""
    for _ in range(200):
        if not list(root.glob("._site.stufen-trash-*")):
            break
        time.sleep(0.05)
    return [p for p in root.glob("._site.stufen-*") if p.name != "._site.stufen-spare"]


def test_rebuild_replaces_own_output_and_drops_stale_files(site, stufen):
    root = site(GOOD)
    stufen(root, "build")
    (root / "content/posts/b.md").unlink()
    assert stufen(root, "build")[0] == 0
    assert not (root / "_site/posts/b").exists()
    assert (root / "_site" / MARKER).exists()
    assert leftovers(root) == []


def test_interrupted_build_leftovers_are_recovered(site, stufen):
    """A build killed between its two renames leaves the old site aside; the next build restores order."""
    root = site(GOOD)
    stufen(root, "build")
    os.rename(root / "_site", root / "._site.stufen-old-999")
    (root / "._site.stufen-new-998").mkdir()
    assert stufen(root, "build")[0] == 0
    assert (root / "_site/index.html").exists()
    assert leftovers(root) == []


def test_config_errors_are_reported_with_lines(site, stufen):
    root = site({**GOOD, "stufen.toml": 'title = "T"\ntimezon = "UTC"\nposts_per_page = "ten"\n'})
    code, _, err = stufen(root, "build")
    assert code == 2
    assert err == ("Error: stufen.toml:2: unknown key 'timezon' (did you mean 'timezone'?)\n"
                   "stufen.toml:3: posts_per_page: expected a whole number; got 'ten'\n")


def test_unknown_site_timezone(site, stufen):
    root = site({**GOOD, "stufen.toml": 'timezone = "Moon/Base"\n'})
    assert stufen(root, "build")[2] == ("Error: stufen.toml:1: timezone: unknown timezone 'Moon/Base' "
                                        "(use an IANA name such as 'Europe/Berlin')\n")


def test_a_base_url_that_cannot_be_parsed_is_a_config_error(site, stufen):
    root = site({**GOOD, "stufen.toml": 'base_url = "https://[TODO]/blog/"\n'})
    assert stufen(root, "build") == (2, "", "Error: stufen.toml:1: base_url: expected an address such as "
                                            "'https://me.github.io/journal/'; got 'https://[TODO]/blog/'\n")


def test_a_stufen_toml_that_is_not_utf8_or_not_a_file_is_a_clear_error(site, stufen):
    root = site(GOOD)
    (root / "stufen.toml").write_bytes('title = "Journal"\nauthor = "Zoë"\n'.encode("latin-1"))
    assert stufen(root, "build") == (2, "", "Error: stufen.toml:2: not valid UTF-8: byte 0xeb at offset 30 "
                                            "(save the file as UTF-8)\n")
    (root / "stufen.toml").unlink()
    (root / "stufen.toml").mkdir()
    assert stufen(root, "build") == (2, "", "Error: stufen.toml is a folder, not a file (remove it, or put the "
                                            "settings in a file named stufen.toml)\n")
    assert not (root / "_site").exists()


def test_a_missing_site_folder_is_an_error_and_nothing_is_created(tmp_path, stufen):
    missing = tmp_path / "nowhere"
    assert stufen(missing, "build") == (2, "", f"Error: no site folder: {missing} does not exist "
                                                "(give -C the folder holding content/posts/)\n")
    assert not missing.exists()


def test_a_folder_without_posts_is_an_error_saying_where_posts_go(tmp_path, stufen):
    assert stufen(tmp_path, "build") == (2, "", f"Error: no posts folder: content/posts/ does not exist in "
                                                f"{tmp_path} (put one Markdown file per post there, e.g. "
                                                'content/posts/hello.md, or start one with `stufen new "My first '
                                                'post"`)\n')
    assert stufen(tmp_path, "check")[0] == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("folder", ["src/content/blog", "src/data/blog", "content/blog"])
def test_posts_in_another_generators_folder_are_pointed_out(site, stufen, folder):
    root = site({f"{folder}/a.md": post("A"), f"{folder}/b.md": post("B")})
    assert stufen(root, "build") == (2, "", f"Error: no posts to build: content/posts/ does not exist in {root}, "
                                            f"but {folder}/ holds 2 posts (move those files into content/posts/; "
                                            "their URLs stay /posts/<slug>/)\n")
    (root / "content/posts").mkdir(parents=True)
    assert "content/posts/ is empty" in stufen(root, "build")[2]
    assert not (root / "_site").exists() and not (root / ".stufen-cache").exists()


def test_a_post_whose_url_is_a_page_of_the_post_list_is_an_error_at_its_slug(site, stufen):
    root = site({**GOOD, "stufen.toml": "posts_per_page = 1\n",
                 "content/posts/c.md": post("C", date="2024-07-01", description="C."),
                 "content/posts/2.md": post("Two", description="Two."),
                 "content/posts/d.md": post("D", description="D.", slug='"3"')})
    code, out, err = stufen(root, "build")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "content/posts/2.md:1: its URL /posts/2/ is also page 2 of the post list "
        "(set a different 'slug:' in its front matter)",
        "content/posts/d.md:5: its URL /posts/3/ is also page 3 of the post list "
        "(set a different 'slug:' in its front matter)",
        "Build failed: 2 errors"]


def test_a_static_file_where_stufen_builds_a_file_is_an_error_naming_it(site, stufen):
    root = site({**GOOD, "static/posts/index.html": "<p>mine</p>", "static/robots.txt": "User-agent: *\n",
                 "static/ok.txt": "fine"})
    code, out, err = stufen(root, "build")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "static/posts/index.html: Stufen builds the page /posts/ at the same path (rename or remove this file; "
        "to change a page, override its template in templates/)",
        "static/robots.txt: Stufen builds robots.txt itself (remove this file from static/, or rename it)",
        "Build failed: 2 errors"]


def test_strict_makes_warnings_fail(site, stufen):
    root = site({**GOOD, "content/posts/c.md": post("C", description="c", body="[x](/posts/none/)")})
    assert stufen(root, "build")[0] == 0
    code, _, err = stufen(root, "build", "--strict")
    assert code == 1
    assert err.endswith("Build failed: 0 errors, 1 warning (--strict makes warnings fail)\n")


def touch(root: Path) -> None:
    """Make every post look edited without changing its bytes: a real build, served from the cache."""
    for path in (root / "content").rglob("*.md"):
        os.utime(path, ns=(path.stat().st_mtime_ns + 1_000_000_000,) * 2)


def test_cold_cached_incremental_and_up_to_date_builds_are_byte_identical(site, stufen):
    root = site(GOOD)
    stufen(root, "build", "--no-cache")
    assert not (root / ".stufen-cache").exists()
    cold = files(root / "_site")
    assert stufen(root, "build")[1].startswith("Built 2 posts")
    assert (root / ".stufen-cache").is_dir()
    assert files(root / "_site") == cold
    touch(root)
    assert stufen(root, "build")[1].startswith("Built 2 posts")  # every post from the cache
    assert files(root / "_site") == cold
    original = (root / "content/posts/a.md").read_text()
    (root / "content/posts/a.md").write_text(original.replace("Hello.", "Hello, edited."))
    assert stufen(root, "build")[1].startswith("Built 2 posts")  # one post parsed again
    assert files(root / "_site") != cold
    (root / "content/posts/a.md").write_text(original)
    assert stufen(root, "build")[1].startswith("Built 2 posts")
    assert files(root / "_site") == cold
    assert stufen(root, "build")[1].startswith("Nothing changed since the last build: 2 posts")
    assert files(root / "_site") == cold
    code, out, _ = stufen(root, "clean")
    assert (code, out) == (0, "Removed .stufen-cache/\n")
    assert not (root / ".stufen-cache").exists()


def test_an_unchanged_site_is_not_rebuilt_but_any_input_change_rebuilds_it(site, stufen, monkeypatch):
    root = site({**GOOD, "content/posts/later.md": post("Later", date="2024-06-01T10:00:00Z", description="d")})
    built = lambda *args: stufen(root, "build", *args)[1].splitlines()[-1].startswith("Built")  # noqa: E731
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2024, 5, 20, tzinfo=UTC).timestamp())))
    assert built()
    out = stufen(root, "build")[1]
    assert "Left out content/posts/later.md" in out and "Nothing changed since the last build" in out
    (root / "templates").mkdir()
    (root / "templates/404.html").write_text('{% extends "base.html" %}{% block main %}Lost!{% endblock %}')
    assert built() and not built()  # a new template override
    assert built("--drafts") and built()  # other options
    (root / "stufen.toml").write_text('title = "Renamed"\n')
    assert built() and not built()
    os.rename(root / "_site", root / "elsewhere")  # the site went missing
    assert built() and not built()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(datetime(2024, 6, 1, 9, 50, tzinfo=UTC).timestamp())))
    assert built()  # the scheduled post is due (15 minutes' margin): no file changed, yet the site must
    assert (root / "_site/posts/later/index.html").is_file()
    assert not built()
    assert built("--no-cache")


def test_a_file_deleted_edited_or_added_in_the_site_means_a_real_build(site, stufen):
    root = site(GOOD)
    built = lambda: stufen(root, "build")[1].splitlines()[-1].startswith("Built")  # noqa: E731
    assert built() and not built()
    page = root / "_site/posts/a/index.html"
    original = page.read_bytes()
    page.unlink()
    assert built() and page.read_bytes() == original and not built()
    with page.open("ab") as handle:
        handle.write(b"<!-- edited by hand -->")
    assert built() and page.read_bytes() == original and not built()  # not linked from the edited site either
    (root / "_site/stray.html").write_text("stray")
    assert built() and not (root / "_site/stray.html").exists() and not built()
    (root / "_site/posts/a/stray.txt").write_text("deep")  # a file added inside a page's folder
    assert built() and not (root / "_site/posts/a/stray.txt").exists() and not built()


def test_changed_stufen_code_with_the_same_version_means_a_real_build_without_stale_output(tmp_path):
    """A checkout (or an editable install) edited without a new version: no cache may serve the old code's output."""
    shutil.copytree(REPO / "src/stufen", tmp_path / "src/stufen", ignore=shutil.ignore_patterns("__pycache__"))
    for theme in ("templates", "static"):
        shutil.copytree(REPO / theme, tmp_path / theme)
    site = tmp_path / "site"
    for rel, text in GOOD.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text.replace("Hello.", "Hello.\n\n## Part"))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "SOURCE_DATE_EPOCH": FIXED_NOW}
    build = lambda: subprocess.run([sys.executable, "-m", "stufen", "-C", str(site), "build"], env=env,  # noqa: E731
                                   check=True, capture_output=True, text=True).stdout
    assert build().startswith("Built") and build().startswith("Nothing changed")
    with (tmp_path / "src/stufen/slugs.py").open("a") as code:  # heading ids change; the version does not
        code.write("\n_ids = heading_id\n\n\ndef heading_id(text):\n    return 'h-' + _ids(text)\n")
    assert build().startswith("Built")
    assert '<h2 id="h-part"' in (site / "_site/posts/a/index.html").read_text()


def test_site_templates_override_the_theme_file_by_file(site, stufen):
    root = site({**GOOD, "templates/404.html": '{% extends "base.html" %}{% block main %}Lost!{% endblock %}'})
    stufen(root, "build")
    assert "Lost!" in (root / "_site/404.html").read_text()
    assert "Alpha" in (root / "_site/index.html").read_text()


def test_template_error_names_the_template(site, stufen):
    root = site({**GOOD, "templates/404.html": '{% extends "base.html" %}{% block main %}{{ nope }}{% endblock %}'})
    code, _, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines()[0] == "templates/404.html:1: template error: 'nope' is undefined (on /404.html)"


def test_output_is_identical_across_timezone_locale_hash_seed_file_order_and_checkout(tmp_path):
    """Two checkouts at different paths, their files created in opposite orders, built under different settings."""
    sources = {**GOOD, "content/posts/n/c.md": post("Ünïcode 机器", description="c", tags="[b, a, C++]"),
               **{f"content/posts/n/p{i}.md": post(f"P{i}", description="p", tags=f"[t{i % 3}, z]") for i in range(6)},
               **{f"static/images/{name}.txt": name for name in ("b", "a", "c")}}
    outs = []
    for n, env in enumerate([{"TZ": "UTC", "PYTHONHASHSEED": "1", "LC_ALL": "C"},
                             {"TZ": "Pacific/Auckland", "PYTHONHASHSEED": "999", "LC_ALL": "C.UTF-8"}]):
        root = tmp_path / ("checkout" if n == 0 else "elsewhere/much/deeper/second-checkout")
        for rel, text in sorted(sources.items(), reverse=n == 1):  # directory order follows creation order
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        full_env = {**os.environ, **env, "SOURCE_DATE_EPOCH": FIXED_NOW}
        subprocess.run([sys.executable, "-m", "stufen", "-C", str(root), "build", "--no-cache"],
                       check=True, env=full_env, capture_output=True)
        outs.append(files(root / "_site"))
        assert not [path for path, data in outs[-1].items() if str(tmp_path).encode() in data]
    assert outs[0] == outs[1]


def test_unreadable_post_is_reported_not_raised(site, stufen):
    root = site(GOOD)
    (root / "content/posts/gone.md").symlink_to(root / "nowhere.md")
    code, _, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines()[0] == "content/posts/gone.md: cannot read the file: No such file or directory"


MANY = {f"content/posts/m{i:03}.md": post(f"Many {i}", date=f"2024-{1 + i % 12:02}-{1 + i % 28:02}T09:00:00Z",
                                          description=f"d{i}", tags=f"[t{i % 7}, u{i % 3}]", body=f"Body {i}.")
        for i in range(150)}


def test_pages_rendered_by_workers_are_byte_identical_to_pages_rendered_here(site, stufen, monkeypatch):
    """With enough pages, forked workers render and write them; the site must not differ from one
    built in this process alone (STUFEN_WORKERS=1)."""
    from stufen.incremental.pool import RENDER_MS, worth_a_pool

    root = site(MANY)
    assert stufen(root, "build", "--no-cache")[0] == 0
    parallel = files(root / "_site")
    assert worth_a_pool(len([p for p in parallel if p.endswith(".html")]), RENDER_MS)
    monkeypatch.setenv("STUFEN_WORKERS", "1")
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert files(root / "_site") == parallel
    monkeypatch.undo()
    assert stufen(root, "build")[0] == 0  # workers again, now remembering pages for the next build
    (root / "content/posts/m007.md").write_text(MANY["content/posts/m007.md"].replace("Body 7.", "Body seven."))
    code, out, _ = stufen(root, "build")
    assert code == 0 and out.startswith("Built 150 posts")
    assert "Body seven." in (root / "_site/posts/m007/index.html").read_text()
    edited = files(root / "_site")
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert files(root / "_site") == edited


def test_a_template_error_in_workers_fails_the_build_and_publishes_nothing(site, stufen):
    root = site({**MANY, "templates/post.html": '{% extends "base.html" %}{% block main %}{{ nope }}{% endblock %}'})
    code, _, err = stufen(root, "build")
    assert code == 1
    assert err.splitlines()[:2] == [  # one problem, however many workers met it; the example is the first page planned
        "templates/post.html:1: template error: 'nope' is undefined (on 150 pages, e.g. /posts/m083/)",
        "Build failed: 1 error"]
    assert not (root / "_site").exists()
    assert not list(root.glob(".*stufen-new*"))


def test_a_new_base_url_reaches_every_address_of_a_cached_build(site, stufen):
    """Jinja folds `{{ "/x" | url }}` into the compiled template: compiled templates kept in the
    store must not carry the old base path into the next build (they did: stale /blog/ links)."""
    root = site({**GOOD, "stufen.toml": 'base_url = "https://me.github.io/blog/"\nsearch = false\n'})
    assert stufen(root, "build")[0] == 0
    (root / "stufen.toml").write_text('base_url = "https://me.github.io/journal/"\nsearch = false\n')
    assert stufen(root, "build")[0] == 0
    cached = files(root / "_site")
    assert not [path for path, data in cached.items() if b"/blog/" in data]
    assert stufen(root, "build", "--no-cache")[0] == 0
    assert files(root / "_site") == cached


def test_reading_time_uses_the_configured_words_per_minute(site, stufen):
    body = " ".join(["word"] * 600)
    page = "_site/posts/long/index.html"
    root = site({"content/posts/long.md": post("Long", description="d", body=body)})
    assert stufen(root, "build")[0] == 0
    assert '<span class="reading-time">3 min read</span>' in (root / page).read_text()
    (root / "stufen.toml").write_text("words_per_minute = 100\n")
    assert stufen(root, "build")[0] == 0
    assert '<span class="reading-time">6 min read</span>' in (root / page).read_text()


def test_a_build_pauses_the_cycle_collector_and_gives_it_back_as_it_was(site, stufen, monkeypatch):
    """Collections during a build only walk the posts (build.without_cycle_collection); after it, failed or not,
    the process's collector is as it was: on for the dev server between builds, off if someone turned it off."""
    import gc

    from stufen import build as build_module
    seen = []
    real = build_module.assemble
    monkeypatch.setattr(build_module, "assemble", lambda *a, **k: (seen.append(gc.isenabled()), real(*a, **k))[1])
    root = site(GOOD)
    assert gc.isenabled()
    assert stufen(root, "build")[0] == 0 and seen == [False] and gc.isenabled()
    (root / "content/posts/a.md").write_text("---\ntitle: [unclosed\n---\n")
    assert stufen(root, "build")[0] != 0 and seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        (root / "content/posts/a.md").write_text(GOOD["content/posts/a.md"])
        assert stufen(root, "build")[0] == 0 and not gc.isenabled()
    finally:
        gc.enable()
