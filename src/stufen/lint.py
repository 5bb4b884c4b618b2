"""Checks of one post's text that a build does not need but an author wants: `stufen check` runs them.

Mojibake ("beschÃ¼tzt": UTF-8 read as Latin-1 somewhere on the way) is found and
repaired with ftfy, line by line, so a repair touches nothing but the damaged text.
"""

from __future__ import annotations

import difflib
import re
from pathlib import PurePosixPath

import ftfy

from .errors import ContentError
from .markdown import child_lines, make_markdown
from .source import Source

_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HAS_ALT = re.compile(r"\salt\s*=", re.IGNORECASE)  # alt="" is a deliberate "decorative"
_EDGE = "\"'()[]{}<>.,;:!?*_`"


def encoding_problems(text: str, path: PurePosixPath) -> list[ContentError]:
    """Mojibake with its repair, and U+FFFD (bytes already lost in some conversion)."""
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        fixed = ftfy.fix_encoding(line)
        if fixed != line:
            bad, good = changed_word(line, fixed)
            found.append(ContentError(path, number, f"mojibake '{bad}' (text decoded with the wrong encoding)",
                                      f"did you mean '{good}'? `stufen check --fix` repairs it"))
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


def changed_word(line: str, fixed: str) -> tuple[str, str]:
    """The whole word around the first change: ('beschÃ¼tzt', 'beschützt')."""
    ops = [op for op in difflib.SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes() if op[0] != "equal"]
    _, i1, i2, j1, j2 = ops[0]
    return _word(line, i1, max(i2, i1)), _word(fixed, j1, max(j2, j1))


def _word(text: str, start: int, end: int) -> str:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip(_EDGE) or text[start:end]


def alt_text_problems(source: Source, path: PurePosixPath) -> list[ContentError]:
    """Images without a text alternative: screen reader users hear nothing (or the file name)."""
    found = []
    for token in make_markdown().parse(source.body, {}):
        if token.type == "html_block":
            found += _html_images(token.content, source.body_line + (token.map[0] if token.map else 0), path)
        if token.type != "inline":
            continue
        for child, line in child_lines(token, source.body_line):
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
