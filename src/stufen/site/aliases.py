"""Redirect pages for `aliases:`: a post's old addresses keep working after it is renamed or imported.

Each alias is a tiny page (meta refresh + canonical) planned like any other, but it is not content: the
sitemap leaves it out (extras.seo), feeds and search never see it (they list posts). An alias that lands on
a page the site builds anyway, or that two posts claim, is an error at the post's `aliases:` line.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import Problems
from ..model import Post
from .plan import Page, describe, post_url

REDIRECT = "redirect.html"


def alias_pages(posts: Sequence[Post], pages: Sequence[Page], problems: Problems) -> list[Page]:
    """One redirect page per alias of each post, in post order; collisions are errors and left out."""
    taken = {page.output_path: page for page in pages}
    claimed: dict[str, Post] = {}
    redirects = []
    for post in posts:
        for alias in post.aliases:
            page = Page(alias, REDIRECT, {"title": post.title, "target": post_url(post.slug)})
            where = (post.source, post.line_of("aliases"))
            if page.output_path in taken:
                problems.error(*where, f"aliases: {alias} is also {describe(taken[page.output_path])}",
                               "remove this alias, or move the other page", cell=post.front_matter_cell)
            elif page.output_path in claimed:
                problems.error(*where, f"aliases: {alias} is also an alias of {claimed[page.output_path].source}",
                               "keep the alias in one post only", cell=post.front_matter_cell)
            else:
                claimed[page.output_path] = post
                redirects.append(page)
    return redirects
