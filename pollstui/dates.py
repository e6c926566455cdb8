"""When a poll's ``endDate`` is over: one reading for the TUI's present mode and the demo's voters.

``endDate`` is an open string on the wire. A bare date ends when that day is over (midnight UTC
after it); a date-time without an offset is UTC. Anything else, and any date Python cannot hold
(``2024-02-30``, an offset of 30 hours, the day after ``9999-12-31``), is ``None``: unreadable,
never an exception.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

__all__ = ["parse_end_date"]

_END_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


def parse_end_date(value: Any) -> datetime | None:
    """The moment a poll's ``endDate`` is past, in UTC; None when empty or unreadable.

    A bare date ends when that day is over (midnight UTC after it).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    match = _END_DATE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        if hour is None:
            day_after = date(int(year), int(month), int(day)) + timedelta(days=1)
            return datetime(day_after.year, day_after.month, day_after.day, tzinfo=timezone.utc)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
        return moment.replace(tzinfo=_zone(zone)).astimezone(timezone.utc)
    except (ValueError, OverflowError):  # 2024-02-30, 25:00, an offset of 30 hours, 9999-12-31 …
        return None


def _zone(text: str | None) -> timezone:
    if text is None or text.upper() in ("Z", "UTC"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
