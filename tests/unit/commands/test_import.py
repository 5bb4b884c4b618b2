"""`stufen import`: AstroPaper repositories of each major version, written here in AstroPaper's shape, become
Stufen sites that build with --strict and keep every post URL; SRC is never changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import files, write_files

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def md(title: str, *keys: str, body: str = "Some words.") -> str:
    lines = [f"title: {json.dumps(title, ensure_ascii=False)}", "pubDatetime: 2024-03-01T10:00:00Z",
             "description: A post.", "tags:\n  - notes", *keys]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


V5_CONFIG = """\
export const SITE = {
  website: "https://example.org/", // replace this with your deployed domain
  author: "Ada",
  profile: "https://ada.example/",
  desc: "Notes on learning.",
  title: "Ada's notes",
  ogImage: "og.png",
  lightAndDarkMode: true,
  postPerIndex: HOME_POSTS,
  postPerPage: 5,
  scheduledPostMargin: 15 * 60 * 1000, // 15 minutes
  showArchives: true,
  editPost: {
    enabled: true,
    text: "Edit page",
    url: "https://github.com/ada/blog/edit/main/",
  },
  dynamicOgImage: true,
  lang: "en",
  timezone: "Asia/Bangkok",
} as const;
"""


def astro_paper_v5(root: Path, images_being_built: bool = False) -> Path:
    """`images_being_built`: posts with an image beside them and an `@/assets/…` image, which the build resolves
    once image resolution lands (another branch); until then the import is checked to copy them, not the build."""
    write_files(root, {
        "package.json": '{"name": "astro-paper", "version": "5.2.0"}',
        "astro.config.ts": 'import { SITE } from "./src/config";\n'
                           'export default defineConfig({\n  site: SITE.website,\n  integrations: [sitemap()],\n});\n',
        "src/config.ts": V5_CONFIG,
        "src/constants.ts": 'export const SOCIALS = [\n  { name: "GitHub", href: "https://github.com/ada", '
                            'linkTitle: `${SITE.title} on GitHub`, icon: IconGitHub },\n] as const;\n',
        "src/content.config.ts": 'export const BLOG_PATH = "src/data/blog";\n',
        "src/data/blog/my_first_post.md": md("My first post"),
        "src/data/blog/cjk.md": md("深度学习 Intro", "slug: 深度学习-Intro"),
        "src/data/blog/2023-08-11-Diving In.md": md("Diving in"),
        "src/data/blog/2024/nested-post.md": md("Nested", body="![logo](/images/logo.png)"),
        "src/data/blog/_releases/v1-notes.md": md("Release notes"),
        "src/data/blog/_draft-idea.md": md("Not a post: Astro's glob skips _ files"),
        "src/pages/about.md": "---\nlayout: ../layouts/AboutLayout.astro\ntitle: \"About\"\n---\n\nAbout Ada.\n",
        "src/pages/now.astro": "<h1>Now</h1>\n",
        "src/components/Header.astro": "<header />\n",
        "src/layouts/Layout.astro": "<html />\n",
    })
    (root / "public/images").mkdir(parents=True)
    (root / "public/images/logo.png").write_bytes(PNG)
    (root / "public/og.png").write_bytes(PNG)
    (root / "public/robots.txt").write_text("User-agent: *\n")
    if images_being_built:
        (root / "src/assets/images").mkdir(parents=True)
        (root / "src/assets/images/cover.png").write_bytes(PNG)
        (root / "src/data/blog/photo.png").write_bytes(PNG)
        write_files(root, {"src/data/blog/with-cover.md": md("Cover", body="![cover](@/assets/images/cover.png)"),
                           "src/data/blog/photo-post.md": md("Photo", body="![a photo](./photo.png)")})
    return root


def astro_paper_v4(root: Path) -> Path:
    return write_files(root, {
        "package.json": '{"name": "astro-paper", "version": "4.8.0"}',
        "astro.config.mjs": 'export default defineConfig({ site: "https://ada.github.io", base: "/notes" });\n',
        "src/content/config.ts": "const blog = defineCollection({ schema: z.object({ title: z.string() }) });\n",
        "src/config.ts": 'export const SITE: Site = {\n  website: "https://ada.github.io/notes/",\n  author: "Ada",\n'
                         '  desc: "Notes.",\n  title: "Notes",\n  postPerPage: 4,\n  editPost: {\n'
                         '    url: "https://github.com/ada/notes/edit/main/src/content/blog",\n    text: "Suggest",\n'
                         '    appendFilePath: true,\n  },\n};\n'
                         'export const LOCALE = { lang: "de", langTag: ["de-DE"] } as const;\n'
                         'export const SOCIALS: SocialObjects = [\n'
                         '  { name: "Github", href: "https://github.com/ada", linkTitle: "GitHub", active: true },\n'
                         '  { name: "Facebook", href: "https://facebook.com/ada", linkTitle: "FB", active: false },\n'
                         '];\n',
        "src/content/blog/adding-new-post.md": md("Adding new posts", "slug: Adding-New-Post"),
        "src/content/blog/My_Notes.md": md("My notes"),
        "src/content/blog/2023/Deep Dive/index.md": md("Deep dive"),
        "src/content/blog/_draft.md": md("Skipped by Astro content collections"),
        "src/content/blog/chart.mdx": md("Chart", body="import C from './C.astro';\n\n<C />"),
    })


def astro_paper_v2(root: Path) -> Path:
    return write_files(root, {
        "package.json": '{"name": "astro-paper", "version": "2.3.0"}',
        "src/content/_schemas.ts": "export const blogSchema = z.object({ postSlug: z.string().optional() });\n",
        "src/config.ts": 'export const SITE = { website: "https://v2.example/", title: "Old blog", desc: "D.",'
                         ' author: "Ada", postPerPage: 3 };\n',
        "src/content/blog/first.md": md("Hello, World! 你好"),
        "src/content/blog/custom.md": md("Custom", "postSlug: My Custom Slug"),
        "src/content/blog/notes/deep.md": md("Deep Dive"),
    })


def import_and_build(tmp_path, stufen, make) -> tuple[Path, str]:
    src = make(tmp_path / "astro")
    before = tree_hash(src)
    code, out, err = stufen(tmp_path, "import", str(src), str(tmp_path / "site"))
    assert (code, err) == (0, "")
    assert tree_hash(src) == before  # SRC never changes
    code, built, err = stufen(tmp_path / "site", "build", "--strict")
    assert (code, err) == (0, ""), err
    return tmp_path / "site", out


def tree_hash(root: Path) -> str:
    return hashlib.sha256(repr(sorted(files(root).items())).encode()).hexdigest()


def post_urls(site: Path) -> set[str]:
    """The paths below /posts/ of every built post page (not the post list or its numbered pages)."""
    posts = site / "_site/posts"
    found = {p.parent.relative_to(posts).as_posix() for p in posts.rglob("index.html")}
    return {url for url in found if url != "." and not url.isdigit()}


def test_astro_paper_v5_keeps_every_url_and_builds(tmp_path, stufen):
    site, out = import_and_build(tmp_path, stufen, astro_paper_v5)
    assert post_urls(site) == {"my_first_post", "深度学习-Intro", "2023-08-11-diving-in", "2024/nested-post",
                               "v1-notes"}
    assert (site / "_site/images/logo.png").read_bytes() == PNG  # public/ → static/
    assert (site / "_site/about/index.html").is_file()
    assert out.splitlines()[0] == (f"Imported AstroPaper v5 from {tmp_path / 'astro'} into {tmp_path / 'site'}: "
                                   "5 posts, 4 other files.")


def test_astro_paper_v5_settings_and_report(tmp_path, stufen):
    src = astro_paper_v5(tmp_path / "astro", images_being_built=True)
    code, out, _ = stufen(tmp_path, "import", str(src), str(tmp_path / "site"))
    site = tmp_path / "site"
    assert code == 0
    assert (site / "assets/images/cover.png").read_bytes() == PNG  # src/assets/ → assets/ for @/assets links
    assert (site / "content/posts/with-cover.md").is_file()
    assert (site / "content/posts/photo.png").read_bytes() == PNG  # still beside its post
    assert (site / "stufen.toml").read_text() == (
        '# Written by `stufen import`; every key is described in the README ("Configuration").\n\n'
        'author = "Ada"\ndescription = "Notes on learning."\ntitle = "Ada\'s notes"\nog_image = "/og.png"\n'
        'posts_per_page = 5\nscheduled_margin_minutes = 15\nedit_url = "https://github.com/ada/blog/edit/main/"\n'
        'edit_text = "Edit page"\nlanguage = "en"\ntimezone = "Asia/Bangkok"\nbase_url = "https://example.org/"\n'
        '# Post URLs exactly as AstroPaper v5 made them (README: "URL rules").\nurls = "astro-paper-v5"\n\n'
        '[socials]\ngithub = "https://github.com/ada"\n')
    notes = set(out.splitlines()[2:])
    assert {
        "  public/robots.txt: not copied: Stufen builds this file itself",
        "  src/data/blog/_releases/v1-notes.md: moved to content/posts/v1-notes.md (Stufen skips `_` folders; "
        "the URL is the same)",
        "  src/pages/about.md:2: layout: not carried over (an About page has title, description, modDatetime)",
        "  src/pages/now.astro:1: a custom page: not carried over (write it as a post, or as a template)",
        "  src/components: 1 file of Astro code: not carried over (Stufen's own templates/ and static/ take its place)",
        "  src/config.ts:9: SITE.postPerIndex = HOME_POSTS: not a literal, so not carried over (set it in stufen.toml)",
        "  src/config.ts:4: SITE.profile: Stufen has no such setting (its theme has the feature built in, "
        "or not at all)",
        "  src/config.ts:8: SITE.lightAndDarkMode: Stufen has no such setting (its theme has the feature built in, "
        "or not at all)",
    } <= notes
    assert (site / "import-report.txt").read_text() == out


def test_astro_paper_v4_keeps_every_url_and_builds(tmp_path, stufen):
    site, out = import_and_build(tmp_path, stufen, astro_paper_v4)
    assert post_urls(site) == {"Adding-New-Post", "my_notes", "2023/deep-dive"}
    toml = (site / "stufen.toml").read_text()
    assert 'base_url = "https://ada.github.io/notes/"' in toml
    assert 'edit_url = "https://github.com/ada/notes/edit/main/"' in toml  # the repository root: Stufen appends
    assert 'language = "de"' in toml and 'urls = "astro-paper-v4"' in toml
    assert "[socials]\ngithub = \"https://github.com/ada\"\n" in toml and "facebook" not in toml  # active: false
    assert 'href="/notes/posts/Adding-New-Post/"' in (site / "_site/posts/index.html").read_text()
    assert ("  src/content/blog/chart.mdx:1: MDX (components, imports) is not built by Stufen: copied, but not a post "
            "(rename it to .md once it holds only Markdown)") in out.splitlines()


def test_astro_paper_v2_keeps_every_url_and_builds(tmp_path, stufen):
    site, _ = import_and_build(tmp_path, stufen, astro_paper_v2)
    assert post_urls(site) == {"hello-world-你好", "my-custom-slug", "deep-dive"}
    assert 'urls = "astro-paper-v2"' in (site / "stufen.toml").read_text()


def test_import_refuses_a_non_empty_destination_and_changes_nothing(tmp_path, stufen):
    src = astro_paper_v5(tmp_path / "astro")
    write_files(tmp_path / "site", {"notes.txt": "mine"})
    before = tree_hash(src)
    code, out, err = stufen(tmp_path, "import", str(src), str(tmp_path / "site"))
    assert (code, out) == (2, "")
    assert err == (f"Error: {tmp_path / 'site'} is not empty: give a new or empty folder, so nothing in it "
                   "is overwritten\n")
    assert tree_hash(src) == before and files(tmp_path / "site") == {"notes.txt": b"mine"}


def test_import_refuses_a_folder_that_is_no_known_site(tmp_path, stufen):
    write_files(tmp_path / "blog", {"index.md": "hi"})
    code, _, err = stufen(tmp_path, "import", str(tmp_path / "blog"), str(tmp_path / "site"))
    assert code == 2 and "is not a site stufen can import (known: AstroPaper" in err
    assert not (tmp_path / "site").exists()


def test_the_layout_wins_over_a_package_version_that_disagrees(tmp_path, stufen):
    src = astro_paper_v4(tmp_path / "astro")
    (src / "package.json").write_text('{"version": "5.0.1"}')
    code, out, _ = stufen(tmp_path, "import", str(src), str(tmp_path / "site"))
    assert code == 0 and "Imported AstroPaper v4" in out
    assert ("  package.json: says version 5, but the folders are laid out as AstroPaper v4's; URLs follow v4's "
            "rule (set `urls` in stufen.toml if not)") in out.splitlines()


@pytest.mark.parametrize("value, message", [
    ('"astro-paper-v9"', "unknown URL rule 'astro-paper-v9' (did you mean 'astro-paper-v5'?)"),
])
def test_an_unknown_url_rule_is_an_error_at_its_line(site, stufen, value, message):
    root = site({"stufen.toml": f'title = "T"\nurls = {value}\n', "content/posts/a.md": md("A")})
    code, _, err = stufen(root, "build")
    assert (code, err) == (2, f"Error: stufen.toml:2: urls: {message}\n")
