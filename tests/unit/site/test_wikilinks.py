"""Obsidian wikilinks: each form, how a target is found, every error at its line, embeds and backlinks."""

from __future__ import annotations

import re

import pytest

from conftest import post
from stufen.markdown.obsidian import parse_wikilink, shown_text
from stufen.markdown.parser import render_markdown
from stufen.model import WikiLink

GD = post("Gradient descent", description="Walking downhill.", aliases="[GD, steepest descent]",
          body="## The update rule\n\nStep against the gradient. ^rule\n\n"
               "## Learning rate\n\nToo big and it diverges.\n")


def build(site, stufen, files: dict[str, str], *args: str):
    root = site({"content/posts/ml/gradient-descent.md": GD, **files})
    code, out, err = stufen(root, "build", *args)
    return code, out, err, root


def body(root, slug: str) -> str:
    html = (root / "_site/posts" / slug / "index.html").read_text(encoding="utf-8")
    return html[html.index('<div class="prose">'):html.index('<footer class="post-footer"')]


@pytest.mark.parametrize(("written", "target", "anchor", "alias", "embed", "shown"), [
    ("Gradient descent", "Gradient descent", "", None, False, "Gradient descent"),
    ("Gradient descent|the method", "Gradient descent", "", "the method", False, "the method"),
    ("Gradient descent#Learning rate", "Gradient descent", "Learning rate", None, False,
     "Gradient descent > Learning rate"),
    ("#Learning rate", "", "Learning rate", None, False, "Learning rate"),
    ("Gradient descent#^rule", "Gradient descent", "^rule", None, False, "Gradient descent > ^rule"),
    ("Note#Part#Sub part", "Note", "Sub part", None, False, "Note > Sub part"),  # Obsidian: the last heading
    ("X\\|y", "X", "", "y", False, "y"),  # in a table the pipe is escaped
])
def test_each_form_is_read_as_obsidian_reads_it(written, target, anchor, alias, embed, shown):
    link = parse_wikilink(embed, written)
    assert (link.target, link.anchor, link.alias, link.embed) == (target, anchor, alias, embed)
    assert shown_text(link) == shown


def test_code_spans_and_fences_are_left_alone():
    rendered = render_markdown("`[[a]]` and ``![[b]]``\n\n```\n[[c]]\n```\n\n    [[d]]\n")
    assert rendered.wikilinks == ()
    assert "[[a]]" in rendered.html and "![[b]]" in rendered.html and "[[c]]" in rendered.html
    assert "[[d]]" in rendered.html


def test_placeholders_carry_line_and_sentence():
    rendered = render_markdown("Intro.\n\nFirst sentence. Then [[Gradient descent|GD]]\nhere. Last one.",
                               first_line=5)
    assert rendered.html == f"<p>Intro.</p>\n<p>First sentence. Then {WikiLink.placeholder(0)}\nhere. Last one.</p>\n"
    assert rendered.wikilinks == (WikiLink("Gradient descent", "", "GD", False, 7, context="Then GD here."),)


def test_link_by_file_name_title_alias_heading_and_block(site, stufen):
    code, out, err, root = build(site, stufen, {"content/posts/loss.md": post("Loss", description="d", body=(
        "[[gradient-descent]] [[GRADIENT DESCENT]] [[GD]] [[ml/gradient-descent|by path]] "
        "[[Gradient descent#learning rate]] [[steepest descent#^rule]]"))})
    assert code == 0, err
    links = re.findall(r'<a class="wikilink" href="([^"]+)">([^<]+)</a>', body(root, "loss"))
    assert links == [("/posts/ml/gradient-descent/", "gradient-descent"),
                     ("/posts/ml/gradient-descent/", "GRADIENT DESCENT"),
                     ("/posts/ml/gradient-descent/", "GD"),
                     ("/posts/ml/gradient-descent/", "by path"),
                     ("/posts/ml/gradient-descent/#learning-rate", "Gradient descent &gt; learning rate"),
                     ("/posts/ml/gradient-descent/#^rule", "steepest descent &gt; ^rule")]


def test_same_post_heading_and_base_path(site, stufen):
    code, out, err, root = build(site, stufen, {
        "stufen.toml": 'base_url = "https://me.github.io/journal/"\n',
        "content/posts/a.md": post("A", description="d", body="## Why\n\nSee [[#Why]] and [[Gradient descent]].")})
    assert code == 0, err
    html = body(root, "a")
    assert '<a class="wikilink" href="#why">Why</a>' in html
    assert '<a class="wikilink" href="/journal/posts/ml/gradient-descent/">Gradient descent</a>' in html


def test_missing_and_ambiguous_targets_are_errors_listing_candidates(site, stufen):
    code, out, err, root = build(site, stufen, {
        "content/posts/a.md": post("A", description="d", body="Fine.\n\n[[Gradient decent]]\n\n[[notes]]"),
        "content/posts/one/notes.md": post("One", description="d"),
        "content/posts/two/notes.md": post("Two", description="d"),
        "content/posts/b.md": post("B", description="d", body="[[Gradient descent#Momentum]] [[GD#^nope]]")})
    assert code == 1
    assert err.splitlines()[:4] == [
        "content/posts/a.md:8: [[Gradient decent]]: no post has this file name, title or alias "
        "(did you mean 'gradient descent' (content/posts/ml/gradient-descent.md)?)",
        "content/posts/a.md:10: [[notes]] could be any of: content/posts/one/notes.md, content/posts/two/notes.md "
        "(write more of the path, e.g. [[folder/name]], or rename one of them)",
        "content/posts/b.md:6: [[GD#^nope]]: content/posts/ml/gradient-descent.md has no block '^nope' "
        "(it has: ^rule)",
        "content/posts/b.md:6: [[Gradient descent#Momentum]]: content/posts/ml/gradient-descent.md has no heading "
        "'Momentum' (it has: The update rule, Learning rate)",
    ]


def test_errors_do_not_need_strict_and_drafts_are_plain_text_with_a_warning(site, stufen):
    files = {"content/posts/a.md": post("A", description="d", body="See [[Later]]."),
             "content/posts/later.md": post("Later", description="d", publish="false")}
    code, out, err, root = build(site, stufen, files)
    assert code == 0, err
    assert "<p>See Later.</p>" in body(root, "a")
    assert ("content/posts/a.md:6: warning: [[Later]] links to a draft (content/posts/later.md): shown as plain "
            "text until it is published") in out + err
    code, out, err, root = build(site, stufen, files, "--drafts")
    assert '<a class="wikilink" href="/posts/later/">Later</a>' in body(root, "a")


def test_image_embed_beside_the_post_and_in_the_attachments_folder(site, stufen):
    code, out, err, root = build(site, stufen, {
        "stufen.toml": 'attachments_dir = "attachments"\n',
        "content/posts/a.md": post("A", description="d", body="![[plot.png|400]]\n\n![[Shared.svg|A chart|200x100]]"),
        "content/posts/plot.png": "png bytes",
        "content/attachments/Shared.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert code == 0, err
    html = body(root, "a")
    assert '<p><img src="/posts/a/plot.png" alt="plot" width="400" loading="lazy" decoding="async"></p>' in html
    assert '<img src="/posts/a/Shared.svg" alt="A chart" width="200" height="100"' in html
    assert (root / "_site/posts/a/plot.png").read_text() == "png bytes"
    assert (root / "_site/posts/a/Shared.svg").exists()


def test_missing_image_and_one_outside_content_are_errors(site, stufen):
    code, out, err, root = build(site, stufen, {
        "content/posts/a.md": post("A", description="d", body="![[nope.png]]\n\n![[../../../secret.png]]"),
        "../secret.png": "x"})  # beside the site folder, not in it: never published
    assert code == 1
    assert "content/posts/a.md:6: ![[nope.png]]: no such image beside the post" in err
    assert "content/posts/a.md:8: ![[../../../secret.png]]: no such image beside the post" in err


def test_section_embed_once_with_its_source_and_no_second_level(site, stufen):
    code, out, err, root = build(site, stufen, {
        "content/posts/b.md": post("B", description="d", body="## Part\n\nB's part, citing ![[a#Intro]] inline.\n\n"
                                   "![[Gradient descent#The update rule]]\n\n## Other\n\nNot embedded."),
        "content/posts/a.md": post("A", description="d", body="## Intro\n\nA intro.\n\n![[b#Part]]\n\nAfter.")})
    assert code == 0, err
    html = body(root, "a")
    assert html.count("<figure class=\"embed\">") == 1
    embedded = html[html.index("<figure"):html.index("</figure>")]
    assert "<h2>Part</h2>" in embedded and "part, citing" in embedded and "Not embedded" not in embedded
    assert 'id="' not in embedded and "header-anchor" not in embedded
    assert '<figcaption>From <a class="wikilink" href="/posts/b/#part">B › Part</a></figcaption>' in embedded
    # B's own embed of A is shown as a link inside A (one level), and the cycle is reported
    assert '<a class="wikilink" href="/posts/a/#intro">a &gt; Intro</a>' in embedded
    assert "content/posts/a.md:10: warning: ![[b]] embeds content/posts/b.md, which embeds this post back" in out + err


def test_highlight_comment_and_block_id():
    rendered = render_markdown("A ==key idea== here %%secret%%. ^point\n\n%%\nhidden block\n\n%%\n\n"
                               "- one\n- two ^item\n\n`==code==`")
    assert rendered.html == ('<p id="^point">A <mark>key idea</mark> here .</p>\n'
                             '<ul>\n<li>one</li>\n<li id="^item">two</li>\n</ul>\n<p><code>==code==</code></p>\n')
    assert "^point" in rendered.ids


def test_inline_tags_only_when_enabled(site, stufen):
    files = {"content/posts/a.md": post("A", description="d", tags='["ml"]',
                                        body="Learning #python/numpy and #ml today, not #123 or `#code`.")}
    code, out, err, root = build(site, stufen, files)
    assert "#python/numpy" in body(root, "a") and not (root / "_site/tags/python-numpy").exists()
    code, out, err, root = build(site, stufen, {**files, "stufen.toml": "inline_tags = true\n"})
    assert code == 0, err
    html = body(root, "a")
    assert '<a class="tag" href="/tags/python-numpy/">#python/numpy</a>' in html
    assert "not #123 or <code>#code</code>" in html
    assert (root / "_site/tags/python-numpy/index.html").exists()


def test_obsidian_front_matter(site, stufen):
    root = site({"content/posts/a.md": "---\ntitle: A\ncreated: 2024-03-01\nupdated: 2024-04-01\n"
                 "cssclasses: [wide, dark-code]\ndescription: d\n---\nText.\n",
                 "content/posts/b.md": post("B", description="d", publish="false")})
    code, out, err = stufen(root, "build")
    assert code == 0, err
    assert ("content/posts/a.md:3: warning: created: no pubDatetime; using Obsidian's 'created' date and 'updated' "
            "(rename 'created' to 'pubDatetime' to say so)") in out + err
    html = (root / "_site/posts/a/index.html").read_text()
    assert '<article class="post wide dark-code"' in html and "2024-03-01" in html
    assert "Left out content/posts/b.md: draft" in out + err


def test_backlinks_newest_first_with_their_sentence_and_not_in_feeds(site, stufen):
    code, out, err, root = build(site, stufen, {
        "content/posts/old.md": post("Old", "2024-01-01T00:00:00Z", description="d",
                                     body="Before. I used [[Gradient descent]] here. After."),
        "content/posts/new.md": post("New", "2024-06-01T00:00:00Z", description="d",
                                     body="A Markdown [link](/posts/ml/gradient-descent/#learning-rate) counts too."),
        "content/posts/self.md": post("Self", description="d", body="[[#Top]] [me](/posts/self/)\n\n## Top")})
    assert code == 0, err
    html = (root / "_site/posts/ml/gradient-descent/index.html").read_text()
    section = html[html.index('<section class="backlinks">'):html.index("</section>")]
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a><p>([^<]+)</p></li>', section) == [
        ("/posts/new/", "New", "A Markdown link counts too."), ("/posts/old/", "Old", "I used Gradient descent here.")]
    assert "backlinks" not in (root / "_site/posts/self/index.html").read_text()
    assert "Linked from" not in (root / "_site/rss.xml").read_text()
    assert 'data-previews="/previews.json"' in (root / "_site/posts/old/index.html").read_text()
    assert (root / "_site/previews.json").read_text().startswith('{"/posts/')


def test_check_lists_orphans_as_information(site, stufen):
    root = site({"content/posts/ml/gradient-descent.md": GD,
                 "content/posts/a.md": post("A", description="d", body="[[Gradient descent]]"),
                 "content/posts/alone.md": post("Alone", description="d")})
    code, out, err = stufen(root, "check")
    assert code == 0
    assert out.splitlines() == ["content/posts/alone.md: info: orphan: no post links to it and it links to no post",
                                "Checked 3 files: 0 errors, 0 warnings"]
