"""Every date form real AstroPaper posts use → one timezone-aware `datetime`.

YAML already turns most timestamps into datetimes (including the odd `+2`
offset); what it leaves as text (`2023-08-11 12:30`) we parse here. Naive
values are read in the post's timezone, so "12:30" means 12:30 where the
author lives, and the result is always shown in that timezone too.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from .errors import shown

EXAMPLE = "2024-05-01T09:30:00+02:00"
FIRST_YEAR, LAST_YEAR = 1000, 9998
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December")

_SHORT_OFFSET = re.compile(r"\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


def to_datetime(value: object, tz: ZoneInfo) -> datetime:
    """Return `value` as an aware datetime in `tz`; ValueError says what was expected."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = _parse_text(value.strip())
    else:
        raise ValueError(f"expected a date such as {EXAMPLE}; got {shown(value)}")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # beyond these, shifting zones overflows
        raise ValueError(f"expected a year from {FIRST_YEAR} to {LAST_YEAR}; got {parsed.year}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(tz)


def _parse_text(text: str) -> datetime:
    normal = text.replace("Z", "+00:00").replace("z", "+00:00")
    if "T" in normal or " " in normal:
        normal = _SHORT_OFFSET.sub(_pad_offset, normal)
    try:
        return datetime.fromisoformat(normal)
    except ValueError:
        raise ValueError(f"expected a date such as {EXAMPLE}; got {text!r}") from None


def _pad_offset(match: re.Match) -> str:
    sign, hours, minutes = match.groups()
    return f"{sign}{int(hours):02d}:{minutes or '00'}"


def short_date(moment: datetime) -> str:
    """"11 Aug 2023": locale-independent, so output never depends on the machine."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, for `<time datetime>`, feeds and sitemaps."""
    return moment.isoformat(timespec="seconds")


def now() -> datetime:
    """The build's "now"; SOURCE_DATE_EPOCH pins it, for reproducible builds and tests."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
