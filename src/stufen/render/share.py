"""Share links: plain URLs to each service's own "compose" page, no scripts, no requests.

Sites list the services they want in `stufen.toml` (`share = ["mastodon", "email"]`);
a page only links out, so nothing is fetched from those services until a reader clicks.
"""

from __future__ import annotations

from urllib.parse import quote

from ..config import SHARE_SERVICES as SERVICES


def share_links(services: tuple[str, ...], title: str, url: str) -> list[tuple[str, str]]:
    """[(label, href)] for the configured services, in the configured order."""
    fill = {"title": quote(title, safe=""), "url": quote(url, safe="")}
    return [(SERVICES[name][0], SERVICES[name][1].format(**fill)) for name in services]
