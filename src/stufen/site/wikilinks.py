"""Resolving `[[wikilinks]]` once every post is loaded: one pass over the site per build.

The load stage left a placeholder per wikilink (model.WikiLink); here each becomes a link, an image
or an embedded section. A target is found as Obsidian finds a note: by file name (without extension,
in any folder, or with as much of its folder as the author wrote: `[[ml/gradient]]`), case-insensitive;
only when no file has that name, by title or an `aliases:` entry. A name two posts share, or that no
post has, is an error at the link's line listing the candidates. A link to a post this build leaves out
(a draft, a scheduled post) is plain text and a warning: in `serve`, where drafts are shown, a link.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from markdown_it.common.utils import escapeHtml

from ..config import Config
from ..errors import Problems
from ..markdown.obsidian import shown_text
from ..model import Post, WikiLink
from ..routes import post_url, site_link
from ..slugs import heading_id
from .embeds import IMAGE_EXTENSIONS, find_attachment, image_html, section_of

_EXTENSIONS = (".md", ".ipynb")


@dataclass(frozen=True, slots=True)
class Edge:
    """One post linking to another by wikilink: for the target's "Linked from" list."""

    source: str  # slug of the linking post
    target: str  # slug of the linked post
    context: str


class Names:
    """Every name a post answers to: its file name and folder/file paths, then its title and aliases."""

    def __init__(self, posts: list[Post], posts_dir: str):
        self.files: dict[str, list[Post]] = defaultdict(list)
        self.titles: dict[str, list[Post]] = defaultdict(list)
        for post in posts:
            parts = PurePosixPath(post.source).relative_to(posts_dir).with_suffix("").parts
            for i in range(len(parts)):  # gradient, ml/gradient, notes/ml/gradient
                self.files["/".join(parts[i:]).lower()].append(post)
            for name in {post.title.lower(), *(a.lower() for a in post.names)} - {""}:
                self.titles[name].append(post)

    def find(self, target: str) -> list[Post]:
        """The posts `target` may name: one, several (ambiguous) or none."""
        key = target.strip().lower()
        for ext in _EXTENSIONS:
            key = key.removesuffix(ext)
        found = self.files.get(key) or self.titles.get(key) or []
        return list({id(p): p for p in found}.values())

    def close(self, target: str) -> list[str]:
        """Up to three names near `target`, one per post: "'gradient descent' (content/posts/gd.md)"."""
        names = {**self.titles, **self.files}
        found: dict[int, str] = {}
        for name in difflib.get_close_matches(target.strip().lower(), sorted(names), n=9, cutoff=0.6):
            for post in names[name]:
                found.setdefault(id(post), f"'{name}' ({post.source})")
        return list(found.values())[:3]


class Resolver:
    """Fills in the placeholders of every shown post, and notes who links to whom."""

    def __init__(self, shown: list[Post], every: list[Post], config: Config, problems: Problems):
        self.shown = {p.slug: p for p in shown}
        self.names = Names(every, (config.content_path / "posts").relative_to(config.root).as_posix())
        self.config, self.problems = config, problems
        self.edges: list[Edge] = []
        self._embeddable: dict[str, str] = {}  # slug → its body with links filled in and embeds as links

    def post(self, post: Post) -> Post:
        """`post` with its wikilinks filled in (and the images it embeds among its attachments)."""
        if not post.wikilinks:
            return post
        files: dict[str, bytes] = {}
        html = self._fill(post, depth=0, problems=self.problems, files=files)
        attachments = {**post.attachments, **files} if files else post.attachments
        return replace(post, html=html, attachments=attachments)

    def _fill(self, post: Post, *, depth: int, problems: Problems, files: dict[str, bytes]) -> str:
        """`post.html` with each placeholder replaced; one alone in a paragraph may replace the paragraph.
        Split on NUL rather than matched by a regex: a str split is some 50 times faster on a long body."""
        parts = post.body_html().split("\x00")  # text, "W0", text, "W1", text … (and "root": routes.ROOT_MARK)
        for i in range(1, len(parts), 2):
            if not parts[i].startswith("W"):  # a site link's mark, not a placeholder: kept for the render stage
                parts[i] = f"\x00{parts[i]}\x00"
                continue
            block = parts[i - 1].endswith("<p>") and parts[i + 1].startswith("</p>")
            link = post.wikilinks[int(parts[i][1:])]
            parts[i] = self._one(post, link, depth, problems, files, block)
            if block and parts[i].startswith(("<p>", "<figure")):  # it brings its own block
                parts[i - 1], parts[i + 1] = parts[i - 1][:-3], parts[i + 1][4:].removeprefix("\n")
        return "".join(parts)

    def _one(self, post: Post, link: WikiLink, depth: int, problems: Problems, files: dict[str, bytes],
             block: bool) -> str:
        text = escapeHtml(shown_text(link))
        if link.embed and link.target.lower().endswith(IMAGE_EXTENSIONS):
            image = self._image(post, link, problems, files)
            return f"<p>{image}</p>\n" if block else image
        target = self._target(post, link, problems)
        if target is None:
            return text
        anchor = self._anchor(post, link, target, problems)
        if anchor is None:
            return text
        if depth == 0:
            self.edges.append(Edge(post.slug, target.slug, link.context))
        href = site_link(post_url(target.slug)) + (f"#{escapeHtml(anchor)}" if anchor else "")
        if target.slug == post.slug and not link.target and depth == 0:
            href = f"#{escapeHtml(anchor)}"
        if link.embed and block and depth == 0:
            return self._embed(post, link, target, anchor, href, problems)
        return f'<a class="wikilink" href="{href}">{text}</a>'

    def _target(self, post: Post, link: WikiLink, problems: Problems) -> Post | None:
        """The post a link names, or None after reporting why there is none to link to."""
        if not link.target:
            return post
        found = self.names.find(link.target)
        where = dict(cell=link.cell)
        if not found:
            close = self.names.close(link.target)
            problems.error(post.source, link.line, f"[[{link.target}]]: no post has this file name, title or alias",
                           f"did you mean {', '.join(close)}?" if close
                           else "check the spelling, or write the post first", **where)
            return None
        if len(found) > 1:
            listed = ", ".join(sorted(str(p.source) for p in found))
            problems.error(post.source, link.line, f"[[{link.target}]] could be any of: {listed}",
                           "write more of the path, e.g. [[folder/name]], or rename one of them", **where)
            return None
        target, shown = found[0], self.shown.get(found[0].slug)
        if shown is None or shown.source != target.source:
            kind = "a draft" if target.draft else "a post this build leaves out"
            problems.warn(post.source, link.line, f"[[{link.target}]] links to {kind} ({target.source}): shown as "
                          "plain text until it is published", **where)
            return None
        return shown

    def _anchor(self, post: Post, link: WikiLink, target: Post, problems: Problems) -> str | None:
        """The element id `link.anchor` names in `target` ("" for none), or None after an error."""
        if not link.anchor:
            return ""
        if link.anchor.startswith("^"):
            if link.anchor in target.ids:
                return link.anchor
            choices = sorted(i for i in target.ids if i.startswith("^"))
        else:
            wanted = heading_id(link.anchor)
            for heading in target.toc:
                if heading.id == wanted or heading.text.lower() == link.anchor.lower():
                    return heading.id
            choices = [h.text for h in target.toc]
        problems.error(post.source, link.line, f"[[{link.target}#{link.anchor}]]: {target.source} has no "
                       f"{'block' if link.anchor.startswith('^') else 'heading'} '{link.anchor}'",
                       f"it has: {', '.join(choices)}" if choices else "it has none", cell=link.cell)
        return None

    def _image(self, post: Post, link: WikiLink, problems: Problems, files: dict[str, bytes]) -> str:
        found = find_attachment(self.config, post.source, link.target)
        if found is None:
            problems.error(post.source, link.line, f"![[{link.target}]]: no such image beside the post"
                           + (f" or in {self.config.content_dir}/{self.config.attachments_dir}/"
                              if self.config.attachments_dir else ""),
                           "put the image beside the post, or set attachments_dir in stufen.toml", cell=link.cell)
            return escapeHtml(shown_text(link))
        name = Path(link.target).name
        files[name] = found.read_bytes()
        return image_html(site_link(post_url(post.slug) + name), link.alias, Path(name).stem)

    def _embed(self, post: Post, link: WikiLink, target: Post, anchor: str, href: str, problems: Problems) -> str:
        """The target's section (or whole body) with a link to where it is from; one level deep."""
        if target.slug == post.slug:
            problems.warn(post.source, link.line, f"![[{link.target}#{link.anchor}]] embeds the post in itself: "
                          "shown as a link", cell=link.cell)
            return f'<p><a class="wikilink" href="{href}">{escapeHtml(shown_text(link))}</a></p>\n'
        if target.slug not in self._embeddable:
            self._embeddable[target.slug] = self._fill(target, depth=1, problems=Problems(), files={})
        for inner in target.wikilinks:
            if inner.embed and inner.target and [p.source for p in self.names.find(inner.target)] == [post.source]:
                problems.warn(post.source, link.line, f"![[{link.target}]] embeds {target.source}, which embeds "
                              f"this post back: that one is shown as a link", cell=link.cell)
        body = section_of(self._embeddable[target.slug], anchor)
        source = escapeHtml(target.title + (f" › {link.anchor}" if link.anchor else ""))
        return (f'<figure class="embed">\n{body}<figcaption>From <a class="wikilink" href="{href}">{source}</a>'
                "</figcaption>\n</figure>\n")


def resolve_wikilinks(shown: list[Post], every: list[Post], config: Config,
                      problems: Problems) -> tuple[list[Post], list[Edge]]:
    """Every shown post with its wikilinks filled in, and who links to whom by wikilink."""
    resolver = Resolver(shown, every, config, problems)
    return [resolver.post(p) for p in shown], resolver.edges
