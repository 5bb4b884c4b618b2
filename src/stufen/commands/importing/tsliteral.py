"""Reading plain literals out of a TypeScript or JavaScript config file, without running it.

`export const SITE = { title: "My blog", postPerPage: 4, editPost: { url: "…" } }` becomes a dict. What is not a
literal (a call, a variable, an expression, a template string with `${}`) is kept as a `NotLiteral` holding
its line and source text, so the import report can name it instead of guessing its value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NotLiteral:
    """A value that only running the file would give: reported, never guessed."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A value with the line it is written on."""

    value: object  # str, int, float, bool, None, dict[str, Entry], list[Entry] or NotLiteral
    line: int


_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)
  | (?P<number>-?(?:\d[\d_]*)(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<punct>[{}\[\](),:;=.?!<>+\-*/%&|^~@])
""", re.VERBOSE | re.DOTALL)
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}


def find_const(text: str, name: str) -> Entry | None:
    """The value `name` is declared with (`const NAME = …` or `NAME: Type = …`), None when it is not there."""
    tokens = _tokens(text)
    for i, (kind, value, _) in enumerate(tokens):
        if kind == "name" and value == name and i and tokens[i - 1][1] in ("const", "let", "var"):
            j = i + 1
            if j < len(tokens) and tokens[j][1] == ":":  # a type annotation: skip to the "="
                while j < len(tokens) and tokens[j][1] != "=":
                    j += 1
            if j < len(tokens) and tokens[j][1] == "=":
                return _Parser(tokens, j + 1).value()
    return None


def find_key(text: str, key: str) -> Entry | None:
    """The value of `key:` in the first object literal that has it (e.g. `site:` in astro.config.mjs)."""
    tokens = _tokens(text)
    for i, (kind, value, _) in enumerate(tokens):
        if kind == "name" and value == key and i + 1 < len(tokens) and tokens[i + 1][1] == ":" \
                and i and tokens[i - 1][1] in ("{", ","):
            return _Parser(tokens, i + 2).value()
    return None


def _tokens(text: str) -> list[tuple[str, str, int]]:
    found, line, pos = [], 1, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # a character no literal holds (a regex, a decorator): one token of its own
            found.append(("punct", text[pos], line))
            line += text[pos] == "\n"
            pos += 1
            continue
        if match.lastgroup != "space":
            found.append((match.lastgroup, match.group(), line))
        line += match.group().count("\n")
        pos = match.end()
    return found


class _Parser:
    """A literal from tokens[pos:]; anything else up to the next `,` `}` `]` at its depth is a NotLiteral."""

    def __init__(self, tokens, pos):
        self.tokens, self.pos = tokens, pos

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "", 0)

    def value(self) -> Entry:
        start = self.pos
        kind, text, line = self.peek()
        if text == "{":
            result = Entry(self._object(), line)
        elif text == "[":
            result = Entry(self._array(), line)
        elif kind == "string" and not (text.startswith("`") and "${" in text):
            self.pos += 1
            result = Entry(_string(text), line)
        elif kind == "number":
            result = Entry(self._product(), line)
        elif kind == "name" and text in _KEYWORDS:
            self.pos += 1
            result = Entry(_KEYWORDS[text], line)
        else:
            result = None
        if result is not None and self.peek()[1] in (",", "}", "]", ";", ")", "end", "") or \
                (result is not None and self.peek()[1] == "as"):  # `as const`
            if self.peek()[1] == "as":
                self.pos += 2
            return result
        self.pos = start
        return Entry(self._skip(), line)

    def _product(self) -> int | float:
        """A number, or numbers multiplied (`15 * 60 * 1000`, AstroPaper's way to write 15 minutes)."""
        value = _number(self.peek()[1])
        self.pos += 1
        while self.peek()[1] == "*" and self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1][0] == "number":
            value *= _number(self.tokens[self.pos + 1][1])
            self.pos += 2
        return value

    def _skip(self) -> NotLiteral:
        start, depth = self.pos, 0
        while self.pos < len(self.tokens):
            text = self.tokens[self.pos][1]
            if depth == 0 and text in (",", "}", "]", ";"):
                break
            depth += (text in "([{") - (text in ")]}")
            self.pos += 1
        words = [t[1] for t in self.tokens[start:self.pos]]
        return NotLiteral(self.tokens[start][2] if start < len(self.tokens) else 0, " ".join(words))

    def _object(self) -> dict[str, Entry]:
        self.pos += 1
        result: dict[str, Entry] = {}
        while self.peek()[1] not in ("}", ""):
            kind, text, line = self.peek()
            self.pos += 1
            key = _string(text) if kind == "string" else text
            if self.peek()[1] == ":":
                self.pos += 1
                result[key] = self.value()
            else:  # shorthand `{ title }` or a spread `...x`: a value only running the file knows
                result[key] = Entry(NotLiteral(line, text), line)
            if self.peek()[1] == ",":
                self.pos += 1
        self.pos += 1
        return result

    def _array(self) -> list[Entry]:
        self.pos += 1
        items = []
        while self.peek()[1] not in ("]", ""):
            items.append(self.value())
            if self.peek()[1] == ",":
                self.pos += 1
            elif self.peek()[1] != "]":
                self.pos += 1
        self.pos += 1
        return items


def _number(token: str) -> int | float:
    number = token.replace("_", "")
    return float(number) if any(c in number for c in ".eE") else int(number)


def _string(token: str) -> str:
    body = token[1:-1]
    if token[0] == '"':
        return json.loads(token)
    return json.loads('"' + body.replace('"', '\\"').replace("\\'", "'").replace("\\`", "`") + '"')


def plain(entry: Entry | None):
    """The Python value with every Entry unwrapped (NotLiteral kept), for callers that need no lines."""
    if entry is None:
        return None
    value = entry.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
