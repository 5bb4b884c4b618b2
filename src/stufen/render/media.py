"""Files a post shows that live beside it or in an alias folder, published and sized: the media stage.

Runs after assemble, before the pages are planned. Loading a post is pure and cached by its
bytes, so it cannot know whether `image-3.png` is beside it; here every local reference of a
published post (Markdown images, raw `<img src>`, links to files, `ogImage`) is resolved by
`load.media.resolve_local`, and each file found is published (beside the page when it is in
the post's folder, else at its place in the site: `assets/images/x.png` → /assets/images/x.png)
with the reference rewritten to that URL. A reference to nothing is a warning naming the paths
tried. Every `<img>` of a local file gets its width and height (no layout shift), all but a
post's first image load lazily, and a raster image wider than the column gets WebP copies in
a `srcset` (render/responsive.py).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from ..errors import ContentError, Problems
from ..incremental.entries import StoredHtml
from ..incremental.store import Store
from ..load.media import LocalFile, resolve_local
from ..markdown.rawhtml import IMG, URL_ATTRIBUTE, attribute_value, image_sources, is_src
from ..model import Link, Post
from ..output.write import Output
from ..report import phase
from ..routes import post_url, site_link, url
from ..site.assemble import Site
from .images import image_size
from .responsive import SIZES, webp_copies, widths_for

_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_IMG_TAG = re.compile(r"<img\b[^<>]*>", re.I)  # a post with no local files: only its images are looked at
_HINT = "put the file there, or correct the path: a relative path starts at the post's own folder"


@dataclass
class _File:
    """One published file a post refers to: where it is served, its bytes (None: static/ serves it), its size."""

    url: str  # root-relative, without the base path: "/posts/a/x.png"
    data: bytes | None
    size: tuple[int, int] | None
    shown: bool = False  # an <img> shows it (not only a link or ogImage): it gets a srcset
    copies: dict[int, bytes] = field(default_factory=dict)  # width → WebP bytes


@dataclass(frozen=True)
class _Placed:
    post: Post
    files: tuple[Output, ...]
    problems: tuple[ContentError, ...]


@phase("plan")
def place_media(site: Site, store: Store, problems: Problems) -> Site:
    """`site` with each post's local files resolved, published (`Site.files`) and its images sized."""
    config = site.config
    placed: dict[str, _Placed] = {}
    todo, shown = [], []
    for post in site.posts:
        sources = _sources(post)
        images = set(sources or ())
        refs = _references(post, images, config)
        stamps = tuple((r.target, _stat(r)) for r in refs.values())
        known = store.memory.get(("media", id(post)))  # the dev server: an unchanged post and files, same result
        if known is not None and known[0] is post and known[1] == stamps:
            placed[post.slug] = known[2]
        elif refs or sources is not None:
            todo.append((post, stamps, refs, files := _files(post, refs, images)))
            shown += [f for f in files.values() if f.data is not None and f.size and f.shown]
        else:
            placed[post.slug] = _Placed(post, (), ())
    wanted = [(f.data, widths_for(f.size, posixpath.splitext(f.url)[1])) for f in shown]
    for file, copies in zip(shown, webp_copies(wanted, store), strict=True):
        file.copies = copies
    for post, stamps, refs, files in todo:
        placed[post.slug] = _place(post, refs, files, config)
        store.memory[("media", id(post))] = (post, stamps, placed[post.slug])
    outputs: dict[str, Output] = {}
    for result in placed.values():
        problems.extend(result.problems)
        outputs.update((o.path, o) for o in result.files)
    posts = tuple(placed[p.slug].post for p in site.posts)
    return replace(site, posts=posts, by_slug={p.slug: p for p in posts},
                   files=tuple(outputs[k] for k in sorted(outputs)))


def _references(post: Post, images: set[str], config) -> dict[str, LocalFile]:
    """Each local file reference of `post` (links, `images`: its image sources, ogImage) → what it resolves to."""
    found = {}
    for target, is_image in [*((link.target, link.target in images) for link in post.links),
                             *(((post.og_image, True),) if post.og_image else ())]:
        ref = resolve_local(target, post.source, config.root, config.aliases, page_links=is_image)
        if ref is not None:
            found[target] = ref
    return found


def _sources(post: Post) -> tuple[str, ...] | None:
    """`image_sources` of the post's body, as the load stage noted them when it left the body in the store."""
    return post.html.images if type(post.html) is StoredHtml else image_sources(post.html)


def _stat(ref: LocalFile) -> tuple[int, int] | None:
    try:
        info = ref.file.stat() if ref.file is not None else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info is not None else None


def _files(post: Post, refs: Mapping[str, LocalFile], shown: set[str]) -> dict[str, _File]:
    """target → the file it is published as: beside the page when below the post's folder, else at its site path
    (a file in static/ is already published at its path there)."""
    files = {}
    folder = post.source.parent.as_posix() + "/"
    for target, ref in refs.items():
        path = ref.site_path
        if path is None or ref.file is None:
            continue
        if path.startswith(folder):
            where, data = post_url(post.slug) + path[len(folder):], ref.file.read_bytes()
        elif path.startswith("static/"):
            where, data = path[len("static"):], None
        else:
            where, data = "/" + path, ref.file.read_bytes()
        files[target] = _File(where, data, image_size(ref.file), target in shown)
    return files


def _place(post: Post, refs: Mapping[str, LocalFile], files: Mapping[str, _File], config) -> _Placed:
    """`post` with its references rewritten and its images sized, the files to publish, and what is missing."""
    problems, links = [], []
    og_image = post.og_image
    if og_image in refs:
        if og_image in files:
            og_image = files[og_image].url
        else:
            problems.append(_missing(post, refs[og_image], post.line_of("ogImage"), post.front_matter_cell,
                                     "ogImage", "a card is drawn instead"))
            og_image = None
    for link in post.links:
        ref = refs.get(link.target)
        if ref is None:
            links.append(link)
        elif link.target in files:
            links.append(Link(files[link.target].url, link.line, link.cell))
        else:
            problems.append(_missing(post, ref, link.line, link.cell, "file"))
    rewrite = Rewrite(tuple((target, f.url, f.size, tuple(sorted(f.copies))) for target, f in files.items()))
    if type(post.html) is StoredHtml:  # rewritten where the body is read; unless it cannot change it
        body = post.html if not files and post.html.img_tags <= 1 else replace(post.html, rewrite=rewrite)
    else:
        body = rewrite(post.html)
    outputs = [Output(f.url.lstrip("/"), f.data) for f in files.values() if f.data is not None]
    outputs += [Output(_copy_url(f.url, w).lstrip("/"), data) for f in files.values() for w, data in f.copies.items()]
    if (body, tuple(links), og_image) == (post.html, post.links, post.og_image):
        return _Placed(post, tuple(outputs), tuple(problems))
    return _Placed(replace(post, html=body, links=tuple(links), og_image=og_image), tuple(outputs), tuple(problems))


def _missing(post: Post, ref: LocalFile, line: int, cell: int | None, what: str, after: str = "") -> ContentError:
    kind = "ogImage" if what == "ogImage" else "image" if ref.target.lower().endswith(_IMAGE_SUFFIXES) else what
    tried = ", ".join(ref.tried)
    alias = f" ('{ref.alias}' is the folder {ref.tried[0].split('/')[0]}/ of the site)" if ref.alias else ""
    message = f"{kind} '{ref.target}' not found: looked for {tried}{alias}" + (f"; {after}" if after else "")
    return ContentError(post.source, line, message, _HINT if not ref.alias else
                        "put the file there, or set the alias's folder in [aliases] in stufen.toml",
                        warning=True, cell=cell)


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")


def _copy_url(original: str, width: int) -> str:
    return f"{posixpath.splitext(original)[0]}-{width}w.webp"


@dataclass(frozen=True, slots=True)
class Rewrite:
    """What the media stage does to a body: references to placed files point at their URLs; each <img> gets
    its size, srcset and lazy loading. A value (not a closure) so that a body left in the store can carry it
    to the worker that reads the body, and stand in for the rewritten body in the page's fingerprint."""

    files: tuple[tuple[str, str, tuple[int, int] | None, tuple[int, ...]], ...]  # (target, url, size, WebP widths)

    def __call__(self, body: str) -> str:
        files = {target: _Shown(url, size, widths) for target, url, size, widths in self.files}
        return (_TAG if files else _IMG_TAG).sub(_Rewriter(files), body)


@dataclass(frozen=True, slots=True)
class _Shown:
    url: str
    size: tuple[int, int] | None
    copies: tuple[int, ...]  # the widths of its WebP copies


class _Rewriter:
    """Per tag: references to placed files point at their URLs; an <img> gets its size, srcset and lazy loading."""

    def __init__(self, files: Mapping[str, _Shown]):
        self.files, self.images = files, 0

    def __call__(self, tag: re.Match) -> str:
        text, placed = tag.group(0), None
        if "=" in text:
            def attribute(m: re.Match) -> str:
                nonlocal placed
                target = attribute_value(m)
                file = self.files.get(target)
                if file is None:
                    return m.group(0)
                placed = file if is_src(m) else placed
                fragment = target.partition("#")[2]
                return f'{m.group(1)}"{html.escape(self.href(file.url) + (f"#{fragment}" if fragment else ""))}"'
            text = URL_ATTRIBUTE.sub(attribute, text)
        if not IMG.match(text):
            return text
        extra = self.image_attributes(text, placed)
        self.images += 1
        end = len(text) - (2 if text.endswith("/>") else 1)
        head = text[:end].rstrip()  # `<img … />` keeps its space before the slash
        return head + extra + text[len(head):] if extra else text

    @staticmethod
    def href(path: str) -> str:
        """A placed file's address as a body stores it: percent-encoded, marked for the base path (routes)."""
        return site_link(url("/", path))

    def image_attributes(self, text: str, file: _Shown | None) -> str:
        lowered, extra = text.lower(), ""
        if file is not None and file.size and " width=" not in lowered and " height=" not in lowered:
            extra += f' width="{file.size[0]}" height="{file.size[1]}"'
        if file is not None and file.copies and " srcset=" not in lowered:
            entries = [f"{self.href(_copy_url(file.url, w))} {w}w" for w in sorted(file.copies)]
            entries.append(f"{self.href(file.url)} {file.size[0]}w")
            extra += f' srcset="{html.escape(", ".join(entries))}" sizes="{SIZES}"'
        if self.images and " loading=" not in lowered:
            extra += ' loading="lazy" decoding="async"'
        return extra
