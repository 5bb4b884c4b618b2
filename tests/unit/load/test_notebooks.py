"""Notebooks as posts: front matter (raw cell or metadata), each output type, sanitising, pinned messages."""

from __future__ import annotations

import base64
import pickle
from io import BytesIO
from pathlib import PurePosixPath

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell
from PIL import Image

from stufen.load.nboutputs import clean_text, sanitise_html
from stufen.load.post import Settings, discover, load_post

SRC = PurePosixPath("content/posts/2024-05-01-lab.ipynb")
DEFAULT = Settings()
FRONT = new_raw_cell('---\ntitle: "Lab notes"\npubDatetime: 2024-05-01T09:30:00+02:00\n'
                     'description: "Notes."\ntags: ["python"]\n---')
PYTHON = {"language_info": {"name": "python", "pygments_lexer": "ipython3"},
          "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}}


def notebook(*cells, metadata=None) -> bytes:
    nb = new_notebook(cells=list(cells), metadata=PYTHON if metadata is None else metadata)
    for number, cell in enumerate(nb.cells):
        cell["id"] = f"c{number}"
    return nbformat.writes(nb).encode()


def load(data: bytes, settings: Settings = DEFAULT):
    post, problems = load_post(data, SRC, settings)
    return post, [p.format() for p in problems]


def png(width=4, height=3, fmt="PNG") -> bytes:
    out = BytesIO()
    Image.new("RGB", (width, height), "red").save(out, fmt)
    return out.getvalue()


def code(*outputs, source="x = 1"):
    return new_code_cell(source, outputs=list(outputs), execution_count=1)


def display(data, metadata=None, kind="display_data"):
    extra = {"execution_count": 1} if kind == "execute_result" else {}
    return new_output(kind, data=data, metadata=metadata or {}, **extra)


# Front matter ------------------------------------------------------------------------------------

def test_front_matter_from_a_first_raw_cell_and_code_highlighted():
    post, problems = load(notebook(FRONT, new_markdown_cell("# Intro\n\nSome $x^2$ math."),
                                   code(source="print('hi')")))
    assert problems == []
    assert (post.title, post.slug, post.description, post.front_matter_cell) == ("Lab notes", "lab", "Notes.", 1)
    assert post.lines == {"title": 2, "pubDatetime": 3, "description": 4, "tags": 5}
    assert '<h1 id="intro">' in post.html and "<math" in post.html
    assert '<pre class="highlight" data-lang="python"' in post.html
    assert '<span class="nb">print</span>' in post.html
    assert "---" not in post.html  # the front matter cell is not shown


def test_front_matter_from_the_notebooks_metadata():
    meta = {**PYTHON, "title": "Jupyter's own title",
            "stufen": {"pubDatetime": "2024-05-01", "tags": ["ml"], "description": "From metadata."}}
    post, problems = load(notebook(new_markdown_cell("Hello."), metadata=meta))
    assert problems == []
    assert (post.title, post.tags[0].name, post.front_matter_cell) == ("Jupyter's own title", "ml", None)
    assert post.html == "<p>Hello.</p>\n"


def test_a_notebook_without_front_matter_is_one_clear_error():
    assert load(notebook(new_markdown_cell("Hello.")))[1] == [
        "content/posts/2024-05-01-lab.ipynb: no front matter found (start the notebook with a raw cell holding a "
        "'---' line, the YAML keys, then another '---' line; or put the keys in the notebook's metadata under "
        '"stufen")']


def test_front_matter_errors_name_the_cell_and_its_line():
    bad_date = new_raw_cell("---\ntitle: Lab\npubDatetime: 01/05/2024\n---")
    assert load(notebook(bad_date))[1] == [
        "content/posts/2024-05-01-lab.ipynb: cell 1, line 3: pubDatetime: expected a date such as "
        "2024-05-01T09:30:00+02:00; got '01/05/2024' (write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an "
        "optional offset)"]
    bad_yaml = new_raw_cell("---\ntitle: Lab\ntags: [a, b\n---")
    assert load(notebook(bad_yaml))[1] == [
        "content/posts/2024-05-01-lab.ipynb: cell 1, line 3: invalid YAML: did not find expected ',' or ']' at line 4,"
        " in the [list] opened here (close it with ']', items separated by ', ')"]


def test_metadata_front_matter_errors_have_no_line():
    meta = {"stufen": {"title": "Lab", "pubDatetime": "soon"}}
    assert load(notebook(new_markdown_cell("Hi."), metadata=meta))[1] == [
        "content/posts/2024-05-01-lab.ipynb: pubDatetime: expected a date such as 2024-05-01T09:30:00+02:00; "
        "got 'soon' (write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS with an optional offset)"]
    assert load(notebook(metadata={"stufen": ["title"]}))[1] == [
        "content/posts/2024-05-01-lab.ipynb: metadata \"stufen\": expected a mapping of front matter keys; "
        "got ['title'] (write \"stufen\": {\"title\": \"…\", \"pubDatetime\": \"…\"})"]


def test_broken_files_are_reported_not_raised():
    assert load(b'{\n "cells": [\n  {,\n')[1] == [
        "content/posts/2024-05-01-lab.ipynb:3: not a notebook: invalid JSON: Expecting property name enclosed in "
        "double quotes (open it in Jupyter and save it again)"]
    no_metadata = b'{"cells": [{"cell_type": "raw", "source": "---"}], "metadata": {}, "nbformat": 4, ' \
                  b'"nbformat_minor": 4}'
    assert load(no_metadata)[1] == [
        "content/posts/2024-05-01-lab.ipynb: cell 1: not a valid notebook: 'metadata' is a required property "
        "(open it in Jupyter and save it again)"]
    assert load(b"[1, 2]")[1] == [
        "content/posts/2024-05-01-lab.ipynb: not a valid notebook: the file is JSON but not a notebook "
        "(open it in Jupyter and save it again)"]


def test_markdown_cell_problems_point_into_their_cell():
    _, problems = load(notebook(FRONT, new_markdown_cell("Fine."), new_markdown_cell("One\n\nTwo $\\frac{1}{$")))
    assert problems == ["content/posts/2024-05-01-lab.ipynb: cell 3, line 3: invalid LaTeX in $\\frac{1}{$: "
                        "1 unclosed '{' (check the formula's braces and commands)"]


# Outputs -----------------------------------------------------------------------------------------

def test_streams_are_joined_and_cleaned_of_colour_codes():
    post, _ = load(notebook(FRONT, code(new_output("stream", name="stdout", text="a\n"),
                                        new_output("stream", name="stdout", text="\x1b[1;32mb\x1b[0m <ok>\n"),
                                        new_output("stream", name="stderr", text="10%\r50%\r100%\n"))))
    assert ('<pre class="nb-stream nb-stdout">a\nb &lt;ok&gt;</pre>\n'
            '<pre class="nb-stream nb-stderr">100%</pre>') in post.html


def test_plain_text_results_and_errors_without_ansi():
    error = new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                       traceback=["\x1b[0;31mZeroDivisionError\x1b[0m  Traceback", "\x1b[0;31m----> 1\x1b[0m 1/0",
                                  "\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"])
    post, _ = load(notebook(FRONT, code(display({"text/plain": "(1, 2)"}, kind="execute_result"), error)))
    assert '<pre class="nb-result">(1, 2)</pre>' in post.html
    assert ('<pre class="nb-error">ZeroDivisionError  Traceback\n----&gt; 1 1/0\n'
            "ZeroDivisionError: division by zero</pre>") in post.html
    bare = new_output("error", ename="KeyError", evalue="'x'", traceback=[])
    assert '<pre class="nb-error">KeyError: &#x27;x&#x27;</pre>' in load(notebook(FRONT, code(bare)))[0].html


def test_html_output_is_sanitised_and_keeps_the_dataframe_class():
    html = ('<style scoped>td {color: red}</style><table border="1" class="dataframe other" onclick="steal()">'
            '<tr><td style="color: red"><a href="javascript:alert(1)">x</a></td></tr></table>'
            '<script>alert(1)</script><img src="x.png" onerror="alert(1)">')
    post, _ = load(notebook(FRONT, code(display({"text/html": html, "text/plain": "df"}, kind="execute_result"))))
    assert post.html.count('<div class="nb-html">') == 1
    for gone in ("script", "alert", "onclick", "onerror", "style", "javascript:", "color", "other"):
        assert gone not in post.html, gone
    assert '<table class="dataframe">' in post.html


def test_images_become_files_beside_the_page_never_data_uris():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    outputs = [display({"image/png": base64.b64encode(png()).decode(), "text/plain": "<Figure size 4x3>"}),
               display({"image/jpeg": base64.b64encode(png(fmt="JPEG")).decode()},
                       metadata={"image/jpeg": {"width": 2, "height": 1}}),
               display({"image/svg+xml": svg, "text/plain": "A red square"})]
    post, _ = load(notebook(FRONT, code(*outputs)), Settings(base_path="/blog/"))
    assert post.attachments == {"cell2-1.png": png(), "cell2-2.jpg": png(fmt="JPEG"), "cell2-3.svg": svg.encode()}
    assert ('<img class="nb-image" src="/blog/posts/lab/cell2-1.png" alt="Output of cell 2" width="4" height="3" '
            'loading="lazy" decoding="async">') in post.html
    assert 'src="/blog/posts/lab/cell2-2.jpg" alt="Output of cell 2" width="2" height="1"' in post.html
    assert 'src="/blog/posts/lab/cell2-3.svg" alt="A red square" loading' in post.html
    assert "data:" not in post.html
    assert pickle.loads(pickle.dumps(post)) == post  # the load cache stores it as is


def test_an_unreadable_image_is_an_error_in_its_cell():
    assert load(notebook(FRONT, code(display({"image/png": "bm90IGEgcG5n"}))))[1] == [
        "content/posts/2024-05-01-lab.ipynb: cell 2: image/png output is not a readable image "
        "(re-run the cell in Jupyter and save the notebook)"]


def test_svg_outputs_and_attachments_are_written_without_anything_that_runs(site, stufen):
    hostile = ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
               '<a href="javascript:alert(3)"><rect width="4" height="3" fill="red"/></a>'
               '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml" onclick="alert(4)">x</p></foreignObject></svg>')
    pasted = new_markdown_cell("![chart](attachment:chart.svg)", attachments={"chart.svg": {"image/svg+xml": hostile}})
    root = site({})
    (root / SRC).parent.mkdir(parents=True)
    (root / SRC).write_bytes(notebook(FRONT, pasted, code(display({"image/svg+xml": hostile, "text/plain": "A"}))))
    status, out, err = stufen(root, "build")
    assert status == 0, err
    safe = b'<svg xmlns="http://www.w3.org/2000/svg"><g><rect width="4" height="3" fill="red"/></g></svg>'
    assert (root / "_site/posts/lab/cell3-1.svg").read_bytes() == safe
    assert (root / "_site/posts/lab/cell2-chart.svg").read_bytes() == safe


def test_an_svg_with_entity_declarations_is_an_unreadable_image():
    bomb = '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"><text>&a;</text></svg>'
    assert load(notebook(FRONT, code(display({"image/svg+xml": bomb}))))[1] == [
        "content/posts/2024-05-01-lab.ipynb: cell 2: image/svg+xml output is not a readable image "
        "(re-run the cell in Jupyter and save the notebook)"]


def test_javascript_and_widgets_are_dropped_with_a_note():
    outputs = [display({"application/vnd.jupyter.widget-view+json": {"model_id": "m"}, "text/plain": "IntSlider"}),
               display({"application/javascript": "alert(1)", "text/plain": "<Javascript object>"}),
               display({"text/html": "<script>draw()</script>", "text/plain": "<Chart>"})]
    post, _ = load(notebook(FRONT, code(*outputs)))
    assert post.html.count('<p class="nb-note">') == 3
    assert "Interactive output (a Jupyter widget) is not shown on this static page." in post.html
    assert post.html.count("Interactive output (JavaScript) is not shown on this static page.") == 2
    assert "alert" not in post.html and "draw()" not in post.html and "IntSlider" not in post.html


def test_markdown_output_is_rendered_without_raw_html():
    post, _ = load(notebook(FRONT, code(display({"text/markdown": "**bold** <b>raw</b>", "text/plain": "md"}))))
    assert '<div class="nb-markdown"><p><strong>bold</strong> &lt;b&gt;raw&lt;/b&gt;</p>\n</div>' in post.html


def test_markdown_output_nested_too_deeply_is_an_error_not_a_silent_cut():
    deep = "".join("  " * level + "- item\n" for level in range(150)) + "\nAfter the list."
    post, problems = load(notebook(FRONT, code(display({"text/markdown": deep, "text/plain": "md"}))))
    assert post is None and len(problems) == 1
    assert problems[0].startswith(f"{SRC}: cell 2: Markdown output, line 100: lists or blockquotes nested too deeply")


def test_cell_tags_hide_or_remove_parts():
    out = new_output("stream", name="stdout", text="shown\n")
    cells = [code(out, source="secret = 1"), code(out, source="hidden = 2"), code(out, source="kept = 3")]
    cells[0].metadata["tags"] = ["remove-cell"]
    cells[1].metadata["tags"] = ["hide-input"]
    cells[2].metadata["tags"] = ["remove-output"]
    post, _ = load(notebook(FRONT, *cells))
    assert "secret" not in post.html and post.html.count("shown") == 1
    assert '<details class="nb-hidden-code"><summary>Show code</summary>' in post.html
    assert '<span class="n">kept</span>' in post.html


def test_cells_keep_their_order_and_headings_are_unique_across_cells():
    post, _ = load(notebook(FRONT, new_markdown_cell("## Setup"), code(source="a = 1"), new_markdown_cell("## Setup")))
    assert post.html.index('id="setup"') < post.html.index('class="nb-cell"') < post.html.index('id="setup-1"')
    assert [h.id for h in post.toc] == ["setup", "setup-1"]


def test_an_unclosed_fence_cannot_swallow_the_next_code_cell():
    assert load(notebook(FRONT, new_markdown_cell("```python\nopen"), code()))[1] == [
        "content/posts/2024-05-01-lab.ipynb: cell 3: this code cell ends up inside the Markdown cell above it "
        "(close that cell's ``` code fence or HTML block)"]


def test_sanitise_and_clean_text_directly():
    assert sanitise_html('<a href="javascript:x()" onmouseover="y()">a</a>') == '<a rel="noopener noreferrer">a</a>'
    assert clean_text("\x1b]8;;http://x\x07link\x1b]8;;\x07 \x1b[38;5;241mgrey\x1b[39m") == "link grey"


# Whole builds ------------------------------------------------------------------------------------

def test_build_writes_images_next_to_the_page_and_reports_broken_links_by_cell(site, stufen, tmp_path):
    root = site({})
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    image = display({"image/png": base64.b64encode(png()).decode()})
    (posts / "2024-05-01-lab.ipynb").write_bytes(
        notebook(FRONT, new_markdown_cell("Intro.\n\nSee [that](/posts/nope/)."), code(image)))
    (posts / "_draft.ipynb").write_bytes(b"not even JSON")
    assert [p.name for p in discover(root / "content")] == ["2024-05-01-lab.ipynb"]
    code_, out, err = stufen(root, "build")
    assert code_ == 0, err
    assert (root / "_site/posts/lab/cell3-1.png").read_bytes() == png()
    assert ("content/posts/2024-05-01-lab.ipynb: cell 2, line 3: warning: broken link '/posts/nope/': "
            "nothing is built at /posts/nope/") in out
    code_, out, err = stufen(root, "build")  # from the cache: the image is still written
    assert code_ == 0 and (root / "_site/posts/lab/cell3-1.png").read_bytes() == png()


def test_a_notebook_and_a_markdown_post_with_one_slug_collide(site, stufen):
    root = site({"content/posts/2024-05-01-lab.md": "---\ntitle: Lab\npubDatetime: 2024-05-01\n---\nHi.\n"})
    (root / "content/posts/lab.ipynb").write_bytes(notebook(FRONT))
    code_, _, err = stufen(root, "build")
    assert code_ == 1
    assert ("content/posts/lab.ipynb: cell 1, line 1: duplicate slug 'lab': content/posts/2024-05-01-lab.md has "
            "the same URL /posts/lab/ (set a different 'slug:' in one of them)") in err


def test_images_pasted_into_markdown_cells_become_files_and_links():
    cell = new_markdown_cell("![my plot](attachment:my plot.png) and ![bad](attachment:bad.png)")
    cell["attachments"] = {"my plot.png": {"image/png": base64.b64encode(png()).decode()},
                           "bad.png": {"image/png": "bm90IGEgcG5n"}}
    post, problems = load(notebook(FRONT, new_markdown_cell("Intro."), cell), Settings(base_path="/blog/"))
    assert problems == ["content/posts/2024-05-01-lab.ipynb: cell 3: attachment 'bad.png' is not a readable image "
                        "(paste the image into the cell again)"]
    del cell["attachments"]["bad.png"]
    post, problems = load(notebook(FRONT, new_markdown_cell("Intro."), cell), Settings(base_path="/blog/"))
    assert post.attachments == {"cell3-my-plot.png": png()}
    assert '<img src="/blog/posts/lab/cell3-my-plot.png" alt="my plot" loading="lazy"' in post.html
    assert [(link.target, link.line, link.cell) for link in post.links][0] == ("/posts/lab/cell3-my-plot.png", 1, 3)


def test_image_sizes_from_untrusted_metadata_are_ignored_unless_numbers():
    image = display({"image/png": base64.b64encode(png()).decode()},
                    metadata={"image/png": {"width": "100\" onload=\"x()", "height": 5}})
    post, _ = load(notebook(FRONT, code(image)))
    assert 'width="4" height="3"' in post.html and "onload" not in post.html


def test_the_empty_corner_header_of_a_dataframe_becomes_a_data_cell():
    html = ('<table class="dataframe"><thead><tr><th></th><th>x</th></tr></thead>'
            '<tbody><tr><th>0</th><td>1</td></tr></tbody></table>')
    assert sanitise_html(html) == ('<table class="dataframe"><thead><tr><td></td><th>x</th></tr></thead>'
                                   '<tbody><tr><th>0</th><td>1</td></tr></tbody></table>')
