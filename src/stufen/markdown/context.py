"""The sentence a link sits in: what a post's "Linked from" list quotes of the post linking to it."""

from __future__ import annotations

import re

from markdown_it.token import Token

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
MAX_CONTEXT = 240  # characters; a longer sentence is cut at a word and ends in …


def link_contexts(inline: Token, shown) -> dict[int, str]:
    """id(child) → its sentence, for each link_open and wikilink child of a paragraph's inline token.
    `shown(token)`: the text a wikilink shows (it is not a text child yet)."""
    text, offsets = [], {}
    size = 0
    for child in inline.children or ():
        if child.type in ("link_open", "wikilink"):
            offsets[id(child)] = size
        part = (shown(child) if child.type == "wikilink" else " " if child.type in ("softbreak", "hardbreak")
                else child.content if child.type in ("text", "code_inline") else "")
        text.append(part)
        size += len(part)
    if not offsets:
        return {}
    whole = "".join(text)
    return {key: sentence_at(whole, at) for key, at in offsets.items()}


def sentence_at(text: str, at: int) -> str:
    """The sentence of `text` that character `at` is in, on one line, at most MAX_CONTEXT long."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > at:
            end = match.start()
            break
        start = match.end()
    else:
        end = len(text)
    sentence = " ".join(text[start:end].split())
    if len(sentence) > MAX_CONTEXT:
        sentence = sentence[:MAX_CONTEXT].rsplit(" ", 1)[0] + "…"
    return sentence
