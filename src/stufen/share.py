"""Share links: plain URLs to each service's own "compose" page, no scripts, no requests.

Sites list the services they want in `stufen.toml` (`share = ["mastodon", "email"]`);
a page only links out, so nothing is fetched from those services until a reader clicks.
"""

from __future__ import annotations

from urllib.parse import quote

# Label and URL pattern; {url} and {title} are percent-encoded when filled in.
SERVICES = {
    "mastodon": ("Mastodon", "https://mastodonshare.com/?text={title}&url={url}"),
    "bluesky": ("Bluesky", "https://bsky.app/intent/compose?text={title}%20{url}"),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
    "hackernews": ("Hacker News", "https://news.ycombinator.com/submitlink?u={url}&t={title}"),
    "reddit": ("Reddit", "https://www.reddit.com/submit?url={url}&title={title}"),
    "email": ("Email", "mailto:?subject={title}&body={url}"),
}


def share_links(services: tuple[str, ...], title: str, url: str) -> list[tuple[str, str]]:
    """[(label, href)] for the configured services, in the configured order."""
    fill = {"title": quote(title, safe=""), "url": quote(url, safe="")}
    return [(SERVICES[name][0], SERVICES[name][1].format(**fill)) for name in services]
