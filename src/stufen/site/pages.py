"""Every page of the site: the plan from the posts, plus pages from other content files."""

from __future__ import annotations

from ..errors import Problems
from ..report import phase
from .about import about_pages, load_about
from .aliases import alias_pages
from .assemble import Site
from .plan import Page, plan, unique_pages
from .roadmap import load_roadmap, roadmap_pages


@phase("plan")
def all_pages(site: Site, problems: Problems) -> list[Page]:
    """The plan from posts, plus the roadmap and About pages, each URL once, then the posts' redirect pages."""
    config = site.config
    pages = unique_pages([*plan(site), *roadmap_pages(load_roadmap(config.content_path, config.root, problems), site),
                          *about_pages(load_about(config, problems))], problems)
    return [*pages, *alias_pages(site.posts, pages, problems)]
