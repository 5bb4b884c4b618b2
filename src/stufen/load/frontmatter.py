"""Reading one post file: bytes → text → (front matter mapping with lines, body).

Kept apart from validation so it can be tested on strings and so every later
message can point at the exact line of the key or the body line it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import frontmatter
import yaml

from ..errors import ContentError
from ..report import stage

# python-frontmatter's `---` line. Its split and load are not used, since they drop what every message here
# needs: `parse` strips the text (shifting every line after a leading blank line) and returns {} for a file
# without front matter, an unclosed block or a YAML list; `YAMLHandler.split` returns the parts without their
# offsets (and ignores text before the first `---`); `YAMLHandler.load` returns data without the keys' lines.
_BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, but an impossible timestamp (2024-13-45) is a YAML error at its line.

    PyYAML raises a bare ValueError there, without a mark; left alone it escaped as a traceback.
    """

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"impossible date {node.value!r}: {exc}",
                                                    node.start_mark) from None


    def construct_yaml_int(self, node):
        """A whole number of at most 128 bits; longer ones cannot even be printed (Python caps int→str at 4300
        digits), so they are a YAML error at their line rather than a traceback later."""
        try:
            value = super().construct_yaml_int(node)
        except ValueError:
            value = None
        if value is None or value.bit_length() > 128:
            raise yaml.constructor.ConstructorError(None, None, f"number too large: {node.value[:40]}…",
                                                    node.start_mark)
        return value


_Loader.add_constructor(_TIMESTAMP, _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


@dataclass(frozen=True, slots=True)
class SplitFile:
    """A post file split into its parts; `body_line` is the file line of body line 1."""

    meta: Mapping[str, object]
    key_lines: Mapping[str, int]
    body: str
    body_line: int
    front_matter_cell = None  # not a field: unlike a notebook's, this front matter is in no cell

    def locate(self, problem: ContentError) -> ContentError:
        """Front matter problems already carry their file line."""
        return problem


def decode(data: bytes, path) -> str:
    """UTF-8 (a BOM is fine); anything else is an error with the offending byte's offset."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(ContentError(
            path, line, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            "save the file as UTF-8")) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@stage("front matter")
def split(text: str, path) -> SplitFile:
    """Separate the `---` YAML block from the body, keeping every key's line number."""
    if not text.strip():
        raise SourceError(ContentError(path, 1, "the file is empty",
                                       "start it with front matter: '---', 'title: …', 'pubDatetime: …', '---'"))
    opening = _BOUNDARY.match(text)
    closing = _BOUNDARY.search(text, opening.end()) if opening else None
    if not opening or not closing:
        hint = "start the file with a '---' line, the YAML keys, then another '---' line"
        line = 1 if not opening else text.count("\n", 0, opening.start()) + 1
        message = "no front matter found" if not opening else "front matter is not closed with '---'"
        raise SourceError(ContentError(path, line, message, hint))
    first_line = text.count("\n", 0, opening.end()) + 1
    meta, key_lines = _load_yaml(text[opening.end():closing.start()], first_line, path)
    body_start = text.find("\n", closing.start())
    body = "" if body_start < 0 else text[body_start + 1:]
    return SplitFile(meta, key_lines, body, text.count("\n", 0, closing.start()) + 2)


def _load_yaml(block: str, first_line: int, path) -> tuple[dict, dict[str, int]]:
    """Parse the YAML block; `first_line` is the file line the block's text starts on."""
    loader = _Loader(block)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.reader.ReaderError as exc:  # a control character: it has an offset, not a mark
        line = block.count("\n", 0, exc.position) + first_line
        raise SourceError(ContentError(path, line, f"invalid YAML: character U+{exc.character:04X} is not allowed",
                                       "delete the control character")) from None
    except yaml.YAMLError as exc:
        raise SourceError(ContentError(path, *yaml_problem(exc, first_line))) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SourceError(ContentError(path, first_line, "front matter must be a set of 'key: value' lines"))
    lines = {str(k.value): k.start_mark.line + first_line for k, _ in node.value} if node else {}
    return {str(k): v for k, v in data.items()}, lines


# What an unclosed bracket or quote is called, and how to close it; PyYAML finds one only where
# it gives up, often lines later, but knows where it opened.
_OPENED = {"while parsing a flow sequence": ("[list]", "close it with ']', items separated by ', '"),
           "while parsing a flow mapping": ("{mapping}", "close it with '}', entries separated by ', '"),
           "while scanning a quoted scalar": ("quoted value", "close it with the quote it opened with")}


def yaml_problem(exc: yaml.YAMLError, first_line: int) -> tuple[int, str, str]:
    """(line, message, hint) of a YAML error in a block whose text starts on file line `first_line`.

    A bracket or quote left open is reported at the line it opened on, naming the line where the
    error was found: "invalid YAML: did not find expected ',' or ']' at line 9, in the [list]
    opened here".
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + first_line if mark else first_line
    problem = getattr(exc, "problem", None) or str(exc)
    opened, context = getattr(exc, "context_mark", None), getattr(exc, "context", None)
    if context in _OPENED and opened is not None and opened.line + first_line < line:
        what, hint = _OPENED[context]
        return opened.line + first_line, f"invalid YAML: {problem} at line {line}, in the {what} opened here", hint
    if context == "while scanning a simple key" and opened is not None:
        # A line with no "key:" (a title carried on at column 0): PyYAML notices only on the line after it.
        return (opened.line + first_line, f"invalid YAML: {problem}: this line is not 'key: value'",
                "indent a value that goes on to the next line, or keep it on one line in quotes")
    return line, f"invalid YAML: {problem}", "check indentation, and quote values containing ': ' or '#'"


# C0 controls but tab and newline, DEL, and C1 controls: invisible on a page, and most are invalid in XML.
# YAML refuses them written raw; these arrive as escapes in quotes ("a\u0000b").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CONTROL_HINT = "delete the escape; it would not show on the page"


def strip_controls(text: str) -> tuple[str, str | None]:
    """`text` without control characters, and which were removed ("U+0000, U+0007"), None if none were."""
    found = _CONTROL.findall(text)
    if not found:
        return text, None
    return _CONTROL.sub("", text), ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(found))


class SourceError(Exception):
    """Carries the one ContentError that stops a file from being read."""

    def __init__(self, problem: ContentError):
        self.problem = problem
        super().__init__(problem.format())
