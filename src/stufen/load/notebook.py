"""Jupyter notebooks as posts: .ipynb bytes → front matter with lines, then a rendered body with its images.

The front matter is a first raw cell holding a `---` YAML block (read by the same
code as a Markdown post's, so its problems say "cell 1, line N"), or, failing
that, the notebook's metadata under "stufen". Markdown cells are joined into one
document so headings, the TOC and footnotes work across cells exactly as in a
`.md` post; each code cell stands in that document as a placeholder paragraph
that is swapped for its highlighted source and saved outputs. No kernel is
started and nothing is executed.
"""

from __future__ import annotations

import bisect
import json
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from ..errors import ContentError, shown
from ..markdown.highlight import highlight_code
from ..markdown.parser import render_markdown
from ..model import Body
from ..routes import site_link
from .frontmatter import SourceError, decode, split
from .nboutputs import IMAGES, decode_image, join_text, render_outputs

_MARK = "\ue000{}\ue000"  # a private-use character no author types, around the cell number
_MARK_ONLY = re.compile("^\ue000\\d+\ue000$")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_HIDE_OUTPUT = {"hide-output", "remove-output"}
NO_FRONT_MATTER_HINT = ("start the notebook with a raw cell holding a '---' line, the YAML keys, then another "
                        "'---' line; or put the keys in the notebook's metadata under \"stufen\"")


@dataclass(frozen=True, slots=True)
class Notebook:
    """A parsed notebook: its front matter, where that came from, and the cells after it."""

    meta: Mapping[str, object]
    key_lines: Mapping[str, int]  # lines within the front matter cell
    front_matter_cell: int | None  # None when the front matter came from the notebook's metadata
    cells: tuple[tuple[int, Mapping], ...]  # (1-based cell number, cell)
    language: str  # of the code cells, from the kernel's language_info or kernelspec

    def locate(self, problem: ContentError) -> ContentError:
        """Front matter problems point into the raw cell, or at no line when the keys came from metadata."""
        if self.front_matter_cell is None:
            return replace(problem, line=None)
        return replace(problem, cell=self.front_matter_cell)


def read_notebook(data: bytes, source) -> Notebook:
    """Parse and validate the notebook and find its front matter; raises SourceError when it has none."""
    notebook = _parse(decode(data, source), source)
    cells = tuple(enumerate(notebook["cells"], 1))
    language = _language(notebook.get("metadata") or {})
    if cells and cells[0][1].get("cell_type") == "raw" and join_text(cells[0][1].get("source")).startswith("---"):
        try:
            parts = split(join_text(cells[0][1]["source"]), source)
        except SourceError as exc:
            raise SourceError(replace(exc.problem, cell=1)) from None
        return Notebook(parts.meta, parts.key_lines, 1, cells[1:], language)
    meta = _metadata_front_matter(notebook.get("metadata") or {}, source)
    return Notebook(meta, {}, None, cells, language)


def render_notebook(notebook: Notebook, source, *, folder: str, unsafe_html: bool = True,
                    inline_tags: bool = False) -> Body:
    """Markdown cells rendered as one document, code cells and their outputs put in their places.

    `folder` is the page's URL ("/posts/slug/"), the folder its images are written to.
    """
    doc = _Document()
    for number, cell in notebook.cells:
        tags = set((cell.get("metadata") or {}).get("tags") or ())
        kind = cell.get("cell_type")
        if "remove-cell" in tags or kind not in ("markdown", "code"):
            continue
        text = join_text(cell.get("source")).rstrip("\n")
        if kind == "markdown":
            text, pasted, unreadable = _attachments(text, cell, number, folder)
            doc.files.update(pasted)
            doc.problems += [ContentError(source, None, f"attachment '{name}' is not a readable image",
                                          "paste the image into the cell again", cell=number) for name in unreadable]
            doc.add(number, text)
        else:
            html, outputs = _code_cell(text, cell.get("outputs") or [], tags, number, notebook.language,
                                       site_link(folder))
            doc.files.update(outputs.files)
            doc.problems += [ContentError(source, None, message, hint, cell=number)
                             for message, hint in outputs.problems]
            if html:
                doc.add(number, _MARK.format(number), html, words=len(text.split()))
    return doc.render(source, unsafe_html, inline_tags)


@dataclass
class _Document:
    """The Markdown cells joined, with a placeholder paragraph for each code cell and where each cell starts."""

    chunks: list[str] = field(default_factory=list)
    starts: list[tuple[int, int]] = field(default_factory=list)  # (document line, cell number)
    code: dict[int, str] = field(default_factory=dict)  # cell number → its HTML
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)
    code_words: int = 0
    line: int = 1

    def add(self, number: int, text: str, html: str | None = None, words: int = 0) -> None:
        self.starts.append((self.line, number))
        self.chunks.append(text)
        self.line += text.count("\n") + 2
        if html is not None:
            self.code[number] = html
            self.code_words += words

    def render(self, source, unsafe_html: bool, inline_tags: bool = False) -> Body:
        rendered = render_markdown("\n\n".join(self.chunks), unsafe_html=unsafe_html, inline_tags=inline_tags)
        html = rendered.html
        for number, cell_html in self.code.items():
            mark = f"<p>{_MARK.format(number)}</p>\n"
            if html.count(mark) != 1:
                self.problems.append(ContentError(source, None, "this code cell ends up inside the Markdown cell "
                                                  "above it", "close that cell's ``` code fence or HTML block",
                                                  cell=number))
            html = html.replace(mark, cell_html)
        for doc_line, message, hint in rendered.problems:
            cell, line = self.where(doc_line)
            self.problems.append(ContentError(source, line, message, hint, cell=cell))
        for doc_line, message in rendered.warnings:
            cell, line = self.where(doc_line)
            self.problems.append(ContentError(source, line, message, warning=True, cell=cell))
        links = tuple(replace(link, line=self.where(link.line)[1], cell=self.where(link.line)[0])
                      for link in rendered.links)
        wikilinks = tuple(replace(link, line=self.where(link.line)[1], cell=self.where(link.line)[0])
                          for link in rendered.wikilinks)
        first = "" if _MARK_ONLY.match(rendered.first_paragraph) else rendered.first_paragraph
        rendered = replace(rendered, html=html, words=rendered.words - len(self.code) + self.code_words, links=links,
                           first_paragraph=first, wikilinks=wikilinks)
        return Body(rendered, self.files, tuple(self.problems))

    def where(self, doc_line: int) -> tuple[int | None, int]:
        """Document line → (cell number, line within that cell)."""
        if not self.starts:
            return None, doc_line
        at = max(0, bisect.bisect_right([start for start, _ in self.starts], doc_line) - 1)
        return self.starts[at][1], doc_line - self.starts[at][0] + 1


def _attachments(text: str, cell: Mapping, number: int, folder: str) -> tuple[str, dict[str, bytes], list[str]]:
    """Images pasted into a Markdown cell (`attachment:name`) become files beside the page too."""
    files, unreadable = {}, []
    for name, bundle in sorted((cell.get("attachments") or {}).items()):
        mime = next((m for m in IMAGES if isinstance(bundle, dict) and m in bundle), None)
        try:
            data, _ = decode_image(mime, bundle[mime]) if mime else (b"", None)
        except ValueError:
            data = b""
        if not data:
            unreadable.append(name)
            continue
        filename = f"cell{number}-{_UNSAFE.sub('-', PurePosixPath(name).stem)}.{IMAGES[mime]}"
        files[filename] = data
        text = text.replace(f"attachment:{name}", f"{folder}{filename}")
    return text, files, unreadable


def _code_cell(code: str, outputs: list, tags: set, number: int, language: str, image_url: str):
    """A code cell's highlighted source and outputs; hide-input folds the code away, remove-* drops parts."""
    shown = render_outputs([] if tags & _HIDE_OUTPUT else outputs, number, image_url)
    parts = []
    if code.strip() and "remove-input" not in tags:
        source = highlight_code(code + "\n", language)
        parts.append(f"<details class=\"nb-hidden-code\"><summary>Show code</summary>\n{source}</details>\n"
                     if "hide-input" in tags else source)
    if shown.html:
        parts.append('<div class="nb-outputs" data-pagefind-ignore>\n' + "\n".join(shown.html) + "\n</div>\n")
    return (f'<div class="nb-cell">\n{"".join(parts)}</div>\n' if parts else ""), shown


def _parse(text: str, source) -> dict:
    if not text.strip():
        raise SourceError(ContentError(source, 1, "the file is empty", "open it in Jupyter and save it again"))
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(ContentError(source, exc.lineno, f"not a notebook: invalid JSON: {exc.msg}",
                                       "open it in Jupyter and save it again")) from None
    except RecursionError:
        raise SourceError(ContentError(source, None, "not a notebook: its JSON is nested too deeply",
                                       "open it in Jupyter and save it again")) from None
    import nbformat  # only sites with notebooks pay for importing it and its JSON schema

    problem, cell = "the file is JSON but not a notebook", None
    if isinstance(raw, dict) and isinstance(raw.get("cells", raw.get("worksheets")), list):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. cells without ids in an older nbformat 4 file
                notebook = nbformat.convert(nbformat.from_dict(raw), 4)
                nbformat.validate(notebook)
            return notebook
        except nbformat.ValidationError as exc:
            path = list(exc.absolute_path or ())
            problem = exc.message
            cell = path[1] + 1 if len(path) > 1 and path[0] == "cells" and isinstance(path[1], int) else None
        except RecursionError:
            problem = "its JSON is nested too deeply"
        except Exception as exc:  # noqa: BLE001 - nbformat's converters fail on odd input in many ways
            problem = f"the file is JSON but not a notebook ({str(exc)[:200]})"  # "nbformat": true → UnboundLocalError
    raise SourceError(ContentError(source, None, f"not a valid notebook: {problem}",
                                   "open it in Jupyter and save it again", cell=cell))


def _metadata_front_matter(metadata: Mapping, source) -> dict:
    """The keys under metadata "stufen"; Jupyter's own metadata "title" counts as the title."""
    keys = metadata.get("stufen", {})
    if not isinstance(keys, dict):
        raise SourceError(ContentError(source, None, f'metadata "stufen": expected a mapping of front matter keys; '
                                       f"got {shown(keys)}", 'write "stufen": {"title": "…", "pubDatetime": "…"}'))
    meta = dict(keys)
    if "title" not in meta and isinstance(metadata.get("title"), str):
        meta["title"] = metadata["title"]
    if not meta:
        raise SourceError(ContentError(source, None, "no front matter found", NO_FRONT_MATTER_HINT))
    return meta


def _language(metadata: Mapping) -> str:
    info = metadata.get("language_info") or {}
    kernel = metadata.get("kernelspec") or {}
    name = info.get("name") or kernel.get("language") or info.get("pygments_lexer") or ""
    return name if isinstance(name, str) else ""
