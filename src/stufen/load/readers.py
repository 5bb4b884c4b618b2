"""The formats a post can be written in, one reader each, as Pelican has them.

A reader owns its file extensions and turns a file's bytes into parts: the front
matter (`meta`, `key_lines`, where its problems are: `locate`, `front_matter_cell`)
and, once those are valid, a rendered `Body`. Finding posts asks `EXTENSIONS`;
loading one asks `reader_for(path)`. Nothing else looks at a post's extension.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Protocol

from ..errors import ContentError
from ..markdown.parser import render_markdown
from ..model import Body
from .frontmatter import SplitFile, decode, split


class Reader(Protocol):
    extensions: tuple[str, ...]

    def read(self, data: bytes, source: PurePosixPath):
        """The file's parts (front matter first); raises SourceError when it cannot be read."""

    def render(self, parts, source: PurePosixPath, *, folder: str, unsafe_html: bool,
               inline_tags: bool = False) -> Body:
        """The body as HTML, its root-relative links marked for the base path (`routes.site_link`);
        `folder` is the page's URL ("/posts/slug/"), for files beside it; `inline_tags`: `#tag` is a tag."""


class MarkdownReader:
    """A `---` YAML block, then Markdown."""

    extensions = (".md",)

    def read(self, data: bytes, source: PurePosixPath) -> SplitFile:
        return split(decode(data, source), source)

    def render(self, parts: SplitFile, source: PurePosixPath, *, folder: str, unsafe_html: bool,
               inline_tags: bool = False) -> Body:
        rendered = render_markdown(parts.body, unsafe_html=unsafe_html, first_line=parts.body_line,
                                   inline_tags=inline_tags)
        return Body(rendered, {}, (*(ContentError(source, line, message, hint)
                                     for line, message, hint in rendered.problems),
                                   *(ContentError(source, line, message, warning=True)
                                     for line, message in rendered.warnings)))


class NotebookReader:
    """A Jupyter notebook: front matter in a first raw cell or the metadata, cells rendered without a kernel."""

    extensions = (".ipynb",)

    @staticmethod
    def read(data: bytes, source: PurePosixPath):
        # imported here: the notebook reader (with Pillow and nh3, ~20 ms) loads only for a site that has a notebook
        from .notebook import read_notebook

        return read_notebook(data, source)

    @staticmethod
    def render(parts, source: PurePosixPath, *, folder: str, unsafe_html: bool, inline_tags: bool = False) -> Body:
        from .notebook import render_notebook  # loaded already: `parts` came from `read`

        return render_notebook(parts, source, folder=folder, unsafe_html=unsafe_html, inline_tags=inline_tags)


READERS: tuple[Reader, ...] = (MarkdownReader(), NotebookReader())
EXTENSIONS = tuple(ext for reader in READERS for ext in reader.extensions)
_BY_EXTENSION = {ext: reader for reader in READERS for ext in reader.extensions}


def reader_for(source: PurePosixPath) -> Reader:
    """The reader of a post file; only files `discover` found (by `EXTENSIONS`) are ever asked about."""
    return _BY_EXTENSION[source.suffix]
