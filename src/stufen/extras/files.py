"""Every file a build writes beside the pages: feeds, SEO files, Open Graph cards, post attachments and media."""

from __future__ import annotations

from datetime import datetime

from ..errors import Problems
from ..incremental.store import Store
from ..output.write import Output
from ..render.pagememo import PageMemo
from ..report import phase
from ..site.assemble import Site
from ..site.plan import Page
from .assets import post_attachments, previews
from .cards import og_images
from .feeds import feeds
from .seo import site_files


@phase("extras")
def extra_files(site: Site, pages: list[Page], now: datetime, store: Store, problems: Problems,
                reuse: PageMemo | None, defer: bool) -> list[Output]:
    """Feeds and sitemap (reused from the last build when their posts are unchanged), robots.txt, manifest,
    GitHub Pages files, Open Graph cards (with `defer`, read or drawn as they are written), attachments."""
    return [*feeds(site, now, reuse), *site_files(site, pages, now, reuse),
            *og_images(site, store, problems, defer=defer, reuse=reuse),
            *post_attachments(site), *site.files, *previews(site)]
