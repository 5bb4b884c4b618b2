"""A notebook code cell's saved outputs → static HTML, plus the image files they show.

Nothing here runs anything: outputs are what the author's kernel saved. Images
become files beside the page (never data URIs, so pages stay small and feeds
stay valid), SVG rebuilt from an allow-list (svg.py) since the file is served from
the site's origin; HTML is sanitised with nh3 because it may come from any library's
repr; JavaScript and widgets cannot work on a static page and are replaced by a note.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from html import escape
from io import BytesIO

import nh3
from PIL import Image, UnidentifiedImageError

from ..markdown.parser import render_markdown
from .svg import sanitise_svg

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]")
_OVERWRITTEN = re.compile(r"[^\n]*\r(?!\n)")  # progress bars redraw their line with a bare \r
IMAGES = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg"}
_INTERACTIVE = ("application/vnd.jupyter.widget-view+json", "application/javascript",
                "application/vnd.plotly.v1+json", "application/vnd.bokehjs_exec.v0+json")
NOTE = "Interactive output ({what}) is not shown on this static page."


@dataclass
class CellOutputs:
    """What one code cell's outputs turn into: HTML, files to write, and problems as (message, hint)."""

    cell: int
    image_url: str  # the folder URL the images are written to, e.g. /posts/slug/
    html: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[tuple[str, str | None]] = field(default_factory=list)


def render_outputs(outputs: list, cell: int, image_url: str) -> CellOutputs:
    """Every output of one cell, in order; consecutive stream chunks of one stream are joined."""
    result = CellOutputs(cell, image_url)
    for output in _merge_streams(outputs):
        kind = output.get("output_type")
        if kind == "stream":
            name = "stderr" if output.get("name") == "stderr" else "stdout"
            result.html.append(_pre(f"nb-stream nb-{name}", output.get("text", "")))
        elif kind == "error":
            result.html.append(_error(output))
        elif kind in ("execute_result", "display_data"):
            _rich(output.get("data", {}), output.get("metadata", {}), result)
    return result


def clean_text(text: str) -> str:
    """Terminal text as a reader should see it: colour codes removed, overwritten progress lines dropped."""
    return _OVERWRITTEN.sub("", _ANSI.sub("", text))


# pandas writes an empty <th> over the index column; a header with no text confuses screen
# readers (axe: empty-table-header), and an empty corner cell is data-less, so it becomes a <td>.
_EMPTY_HEADER = re.compile(r"<th(\s[^>]*)?>(\s*)</th>")


def sanitise_html(html: str) -> str:
    """No scripts, styles, event handlers or javascript: URLs; pandas' `dataframe` class is kept for the theme."""
    return _EMPTY_HEADER.sub(r"<td\1>\2</td>", nh3.clean(html, allowed_classes={"table": {"dataframe"}}))


def _merge_streams(outputs: list) -> list:
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            merged[-1] = {**previous, "text": join_text(previous.get("text")) + join_text(output.get("text"))}
        else:
            merged.append(output)
    return merged


def _rich(data: dict, metadata: dict, result: CellOutputs) -> None:
    """The richest representation a static page can show, in the order Jupyter prefers them."""
    image = next((mime for mime in IMAGES if mime in data), None)
    if image:
        plain = join_text(data.get("text/plain"))
        result.html.append(_image(image, data[image], metadata.get(image) or {}, plain, result))
    elif "application/vnd.jupyter.widget-view+json" in data:
        result.html.append(_note("a Jupyter widget"))
    elif "text/html" in data and (html := sanitise_html(join_text(data["text/html"]))).strip():
        result.html.append(f'<div class="nb-html">{html}</div>')
    elif "text/markdown" in data:
        rendered = render_markdown(join_text(data["text/markdown"]), unsafe_html=False)
        result.html.append(f'<div class="nb-markdown">{rendered.html}</div>')
        result.problems += [(f"Markdown output, line {line}: {message}", hint)
                            for line, message, hint in rendered.problems]
    elif any(mime in data for mime in _INTERACTIVE) or "text/html" in data:
        result.html.append(_note("JavaScript"))
    elif "text/plain" in data:
        result.html.append(_pre("nb-result", join_text(data["text/plain"])))


def _image(mime: str, payload, metadata: dict, plain: str, result: CellOutputs) -> str:
    """Write the image as a file and point an <img> at it, with its size so the page does not jump."""
    number = sum(1 for name in result.files if name.startswith(f"cell{result.cell}-")) + 1
    name = f"cell{result.cell}-{number}.{IMAGES[mime]}"
    try:
        data, size = decode_image(mime, payload)
    except ValueError:
        result.problems.append((f"{mime} output is not a readable image",
                                "re-run the cell in Jupyter and save the notebook"))
        return ""
    width, height = _pixels(metadata.get("width")), _pixels(metadata.get("height"))
    if not (width and height) and size:
        width, height = size
    dims = f' width="{width}" height="{height}"' if width and height else ""
    alt = plain if plain and not plain.startswith("<") else f"Output of cell {result.cell}"
    result.files[name] = data
    return (f'<img class="nb-image" src="{escape(result.image_url + name)}" alt="{escape(alt.strip())}"'
            f'{dims} loading="lazy" decoding="async">')


def decode_image(mime: str, payload) -> tuple[bytes, tuple[int, int] | None]:
    """The file's bytes and pixel size (None for SVG); ValueError when it is not an image of that type."""
    if mime == "image/svg+xml":
        return sanitise_svg(join_text(payload)), None
    try:
        data = base64.b64decode(join_text(payload))
        with Image.open(BytesIO(data)) as picture:
            return data, picture.size
    except (binascii.Error, UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not a readable {mime} image") from exc


def _pixels(value) -> int | None:
    """A size from the output's metadata, which like all of a notebook's content is not trusted."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else None


def _error(output: dict) -> str:
    traceback = "\n".join(join_text(line) for line in output.get("traceback") or [])
    text = traceback or f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return _pre("nb-error", text)


def _pre(cls: str, text) -> str:
    return f'<pre class="{cls}">{escape(clean_text(join_text(text)).rstrip())}</pre>'


def _note(what: str) -> str:
    return f'<p class="nb-note">{escape(NOTE.format(what=what))}</p>'


def join_text(value) -> str:
    """Notebook strings may be stored as lists of lines."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)
