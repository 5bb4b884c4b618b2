"""Checks of one post's text that a build does not need but an author wants: `stufen check` runs them.

Mojibake ("beschÃ¼tzt": UTF-8 read as Latin-1 somewhere on the way) is found and
repaired with ftfy, line by line, so a repair touches nothing but the damaged text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import PurePosixPath

import ftfy

from ..errors import ContentError
from ..load.frontmatter import SplitFile
from ..load.nboutputs import join_text
from ..markdown.parser import child_lines, make_markdown

_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)  # alt="" is a deliberate "decorative"
_EDGE = "\"'()[]{}<>.,;:!?*_`"


def encoding_problems(text: str, path: PurePosixPath) -> list[ContentError]:
    """Mojibake with its repair, each damaged word of a line, and U+FFFD (bytes already lost in some conversion)."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            found += [ContentError(path, number, f"mojibake '{bad}' (text decoded with the wrong encoding)",
                                   f"did you mean '{good}'? `stufen check --fix` repairs it")
                      for bad, good in changed_words(line, fixed)]
        elif "\ufffd" in line:
            found.append(ContentError(path, number, "replacement character '\ufffd': "
                                      "some characters were lost when this text was converted",
                                      "retype the damaged word"))
    return found


def repair_mojibake(text: str) -> tuple[str, int]:
    """The text with only its mojibake lines repaired, and how many lines changed."""
    lines = text.split("\n")
    fixed = [ftfy.fix_encoding(line) for line in lines]
    return "\n".join(fixed), sum(a != b for a, b in zip(lines, fixed, strict=True))


def notebook_encoding_problems(notebook: dict, path: PurePosixPath) -> list[ContentError]:
    """A notebook's encoding damage where Jupyter shows it: by cell and line, in a cell's outputs, in its metadata."""
    found = []
    cells = notebook.get("cells")
    for number, cell in enumerate(cells if isinstance(cells, list) else [], 1):
        if not isinstance(cell, dict):
            continue
        found += [replace(p, cell=number) for p in encoding_problems(join_text(cell.get("source")), path)]
        outputs = cell.get("outputs")
        texts = [text for output in (outputs if isinstance(outputs, list) else []) for text in _output_texts(output)]
        found += [replace(p, cell=number, line=None, message=f"output: {p.message}")
                  for text in texts for p in encoding_problems(text, path)]
    found += [replace(p, line=None, message=f"metadata: {p.message}")
              for text in _strings(notebook.get("metadata")) for p in encoding_problems(text, path)]
    return found


def _output_texts(output) -> list[str]:
    if not isinstance(output, dict):
        return []
    data = output.get("data") if isinstance(output.get("data"), dict) else {}
    return [join_text(output.get("text")), *(join_text(v) for k, v in data.items() if k.startswith("text/"))]


def _strings(value) -> list[str]:
    """Every string in a JSON value (iteratively: a notebook's nesting is not trusted)."""
    found, todo = [], [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            todo += item.values()
        elif isinstance(item, list):
            todo += item
    return found


def changed_words(line: str, fixed: str) -> list[tuple[str, str]]:
    """The whole word around each change, each once: [('beschÃ¼tzt', 'beschützt'), ('fÃ¼r', 'für')]."""
    found: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes():
        pair = (_word(line, i1, max(i2, i1)), _word(fixed, j1, max(j2, j1)))
        if op != "equal" and pair not in found:
            found.append(pair)
    return found


def _word(text: str, start: int, end: int) -> str:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(_EDGE) or text[start:end]


def alt_text_problems(parts: SplitFile, path: PurePosixPath) -> list[ContentError]:
    """Images without a text alternative: screen reader users hear nothing (or the file name)."""
    found = []
    for token in make_markdown().parse(parts.body, {}):
        if token.type == "html_block":
            found += _html_images(token.content, parts.body_line + (token.map[0] if token.map else 0), path)
        if token.type != "inline":
            continue
        for child, line in child_lines(token, parts.body_line):
            if child.type == "image" and not child.content.strip():
                found.append(_missing_alt(path, line, str(child.attrGet("src"))))
            elif child.type == "html_inline":
                found += _html_images(child.content, line, path)
    return found


def _html_images(html: str, line: int, path) -> list[ContentError]:
    found = []
    for match in _HTML_IMG.finditer(html):
        if not _HAS_ALT.search(match.group()):
            src = re.search(r"src\s*=\s*[\"']?([^\"'\s>]+)", match.group())
            found.append(_missing_alt(path, line + html.count("\n", 0, match.start()), src.group(1) if src else "?"))
    return found


def _missing_alt(path, line: int, src: str) -> ContentError:
    return ContentError(path, line, f"image '{src}' has no alt text",
                        "describe it: ![what the image shows](…), or alt=\"\" only if it is decoration", warning=True)
