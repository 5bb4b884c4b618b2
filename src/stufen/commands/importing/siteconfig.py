"""AstroPaper's settings → stufen.toml: the `SITE` object of src/config.ts, `SOCIALS` (src/config.ts up to v4,
src/constants.ts in v5), `LOCALE` (v4) and `site`/`base` of astro.config.*. Only plain literals are carried
over; every other value, and every setting Stufen has no counterpart for, is named in the report at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ...config import load_config
from ...errors import ConfigError
from .common import ImportReport, toml_text
from .tsliteral import Entry, NotLiteral, find_const, find_key

# SITE key → stufen.toml key, for values carried over as they are.
_SAME = {"title": "title", "desc": "description", "author": "author", "timezone": "timezone",
         "postPerPage": "posts_per_page", "postPerIndex": "recent_posts", "lang": "language"}
# SITE keys read by other means than _SAME (website is the base URL when astro.config does not say).
_READ = {"website", "ogImage", "editPost", "scheduledPostMargin"}


def write_config(src: Path, dest: Path, major: int, report: ImportReport) -> None:
    """Write dest/stufen.toml; a value Stufen rejects (an unknown timezone) is reported and left out."""
    settings: dict[str, object] = {}
    comments = {"urls": f"Post URLs exactly as AstroPaper v{major} made them (README: \"URL rules\")."}
    config_ts = src / "src/config.ts"
    text = _read(config_ts)
    site = find_const(text, "SITE") if text else None
    if site is not None and isinstance(site.value, dict):
        _site(site.value, config_ts, settings, report)
    elif config_ts.is_file():
        report.note(config_ts, None, "no `SITE = { … }` literal found: title, author and the rest keep their defaults")
    _locale(text, config_ts, settings, report)
    _base_url(src, site.value if site is not None and isinstance(site.value, dict) else {}, settings, report)
    settings["urls"] = f"astro-paper-v{major}"
    socials = _socials(src, report)
    _write_checked(dest, settings, {"socials": socials}, comments, report)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _literal(entry: Entry, path: Path, name: str, report: ImportReport):
    """The value, or None after reporting it when it is not a literal."""
    if isinstance(entry.value, NotLiteral):
        report.note(path, entry.line, f"{name} = {entry.value.text}: not a literal, so not carried over "
                    "(set it in stufen.toml)")
        return None
    return entry.value


def _site(site: dict[str, Entry], path: Path, settings: dict, report: ImportReport) -> None:
    for key, entry in site.items():
        value = _literal(entry, path, f"SITE.{key}", report)
        if value is None:
            continue
        if key in _SAME and isinstance(value, (str, int)) and not isinstance(value, bool):
            settings[_SAME[key]] = value
        elif key == "ogImage" and isinstance(value, str) and value:
            settings["og_image"] = "/" + value.lstrip("/")  # a file in public/, now static/
        elif key == "scheduledPostMargin" and isinstance(value, int):
            settings["scheduled_margin_minutes"] = max(1, round(value / 60000))
        elif key == "editPost" and isinstance(value, dict):
            _edit(value, path, settings, report)
        elif key not in _READ:
            report.note(path, entry.line, f"SITE.{key}: Stufen has no such setting (its theme has the feature "
                        "built in, or not at all)")


def _edit(edit: dict[str, Entry], path: Path, settings: dict, report: ImportReport) -> None:
    """`editPost.url` was the repository's edit URL plus the posts folder (v4) or the repository root (v5, which
    appends the file path); Stufen appends the post's path from the site folder, so the root is kept."""
    enabled = edit.get("enabled")
    if enabled is not None and enabled.value is False:
        return
    url = edit.get("url")
    if url is not None and isinstance(url.value, str) and url.value:
        root = re.sub(r"(src/(content|data)/blog/?|src/contents/?)$", "", url.value)
        settings["edit_url"] = root if root.endswith("/") else root + "/"
    text = edit.get("text")
    if text is not None and isinstance(text.value, str) and text.value:
        settings["edit_text"] = text.value


def _locale(text: str, path: Path, settings: dict, report: ImportReport) -> None:
    locale = find_const(text, "LOCALE") if text else None
    if locale is not None and isinstance(locale.value, dict) and "lang" in locale.value:
        value = _literal(locale.value["lang"], path, "LOCALE.lang", report)
        if isinstance(value, str) and value:
            settings.setdefault("language", value)


def _base_url(src: Path, site: dict[str, Entry], settings: dict, report: ImportReport) -> None:
    """astro.config's `site` (or SITE.website, which it names in AstroPaper) plus its `base` path."""
    config = next(iter(sorted(src.glob("astro.config.*"))), None)
    text = _read(config) if config else ""
    origin = find_key(text, "site") if text else None
    if origin is not None and isinstance(origin.value, NotLiteral) and origin.value.text == "SITE . website":
        origin = site.get("website")
    elif origin is None:
        origin = site.get("website")
    where = config if config and find_key(text, "site") is not None else src / "src/config.ts"
    url = _literal(origin, where, "site", report) if origin is not None else None
    base = find_key(text, "base") if text else None
    path = _literal(base, config, "base", report) if base is not None else None
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        url = url.rstrip("/") + "/" + (path.strip("/") + "/" if isinstance(path, str) and path.strip("/") else "")
        settings["base_url"] = url
    elif isinstance(path, str) and path.strip("/"):
        settings["base_url"] = "/" + path.strip("/") + "/"


def _socials(src: Path, report: ImportReport) -> dict[str, str]:
    """SOCIALS entries as name = href; v4's `active: false` ones are left out, as AstroPaper hid them."""
    for path in (src / "src/constants.ts", src / "src/config.ts"):
        text = _read(path)
        found = find_const(text, "SOCIALS") if text else None
        if found is None:
            continue
        if not isinstance(found.value, list):
            _literal(found, path, "SOCIALS", report)
            return {}
        socials = {}
        for entry in found.value:
            item = entry.value if isinstance(entry.value, dict) else {}
            name, href, active = (item.get(k) for k in ("name", "href", "active"))
            if active is not None and active.value is False:
                continue
            if name is None or href is None or not isinstance(name.value, str) or not isinstance(href.value, str):
                report.note(path, entry.line, "a social link without a literal name and href: not carried over")
                continue
            socials[name.value.lower()] = href.value
        return socials
    return {}


def _write_checked(dest: Path, settings: dict, tables: dict, comments: dict, report: ImportReport) -> None:
    """Write stufen.toml, then load it as a build would: a value Stufen rejects is reported and left out."""
    target = dest / "stufen.toml"
    for _ in range(len(settings) + sum(len(t) for t in tables.values()) + 1):
        target.write_text(toml_text(settings, tables, comments), encoding="utf-8")
        try:
            load_config(dest)
            return
        except ConfigError as exc:
            bad = _first_bad_key(str(exc), settings, tables)
            if bad is None:
                raise
            report.note("stufen.toml", None, f"left out: {exc}")
    raise ConfigError("stufen.toml: could not write settings that load")


def _first_bad_key(message: str, settings: dict, tables: dict) -> str | None:
    """Drop the key a config error names (`stufen.toml:3: timezone: …`); the key, or None if none was named."""
    match = re.search(r"stufen\.toml:\d+: (\w+): (?:(\S+?): )?", message)
    if not match:
        return None
    key, entry = match.group(1), match.group(2)
    if key in settings:
        del settings[key]
        return key
    if key in tables and entry in tables[key]:
        del tables[key][entry]
        return entry
    return None
