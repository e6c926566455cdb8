"""The one reader of a poll's ``endDate``, for every place that shows or checks one.

``endDate`` is an open string on the wire (``""`` when unset; the docs give no format). Read:

==============================  ==========================================================
``2030-12-31``                  a date: the poll ends when that day is over
``20301231``                    the same, ISO 8601's basic form
``2030-12-31T17:00``            a date-time (``:SS`` and a fraction may follow; a space may
``2030-12-31 17:00:30.5``       stand for the ``T``; ``20301231T1700`` is the basic form)
``2030-12-31T17:00Z``           with a zone: ``Z``, ``UTC``, ``GMT``, or an offset ``+01:00``,
``2030-12-31T17:00+01:00``      ``+0100``, ``+01``
``2030-12-31 UTC``              a date with a zone: that day is over in that zone
==============================  ==========================================================

Without a zone, a date or date-time means the local time of the machine reading it (say so to
the user: :func:`end_date_warnings`). A value that fits none of these, or names a moment Python
cannot hold (``2024-02-30``, ``25:00``, an offset of 30 hours), is unreadable: ``None``, never an
exception. Unreadable values are shown as sent and kept as they are.

Who calls it: the CLI's output, the TUI's detail pane, poll table, editor and present mode, and
the reference server's simulated voters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

__all__ = [
    "END_DATE_HELP",
    "EndDate",
    "describe_end_date",
    "end_date_problem",
    "end_date_warnings",
    "parse_end_date",
    "read_end_date",
    "short_end_date",
]

#: One line for the editor, under the field.
END_DATE_HELP = "ISO 8601, e.g. 2030-12-31 or 2030-12-31T17:00:00Z"

_END_DATE = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2}))"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


@dataclass(frozen=True)
class EndDate:
    """A readable ``endDate``: ``ends`` is the moment it is over (aware, UTC)."""

    ends: datetime
    has_time: bool  # a date-time, not a bare date
    has_zone: bool  # False: read in the local zone
    start: datetime  # what was written, in its zone (the day's start for a bare date)

    def passed(self, now: datetime | None = None) -> bool:
        return self.ends <= (now or datetime.now(timezone.utc))


def read_end_date(value: Any, local: tzinfo | None = None) -> EndDate | None:
    """``value`` read as described in the module docstring; None when empty or unreadable.

    ``local`` is the zone a value without one means (default: this machine's).
    """
    if not isinstance(value, str) or not value.strip():
        return None
    match = _END_DATE.match(value)
    if match is None:
        return None
    y1, m1, d1, y2, m2, d2, hour, minute, second, fraction, zone = match.groups()
    year, month, day = (y1, m1, d1) if y1 else (y2, m2, d2)
    try:
        parts = (int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        naive = datetime(*parts, micro)
        start = _in_zone(naive, _zone(zone) if zone else local)
        if hour is None:
            after = naive + timedelta(days=1)
            ends = _in_zone(after, _zone(zone) if zone else local)
        else:
            ends = start
        return EndDate(ends.astimezone(timezone.utc), hour is not None, zone is not None, start)
    except (ValueError, OverflowError, OSError):  # 2024-02-30, 25:00, an offset of 30 hours, 9999-12-31 …
        return None


def _in_zone(naive: datetime, zone: tzinfo | None) -> datetime:
    """``naive`` as a time in ``zone``; None: this machine's local time on that date (DST included)."""
    return naive.replace(tzinfo=zone) if zone is not None else naive.astimezone()


def parse_end_date(value: Any, local: tzinfo | None = None) -> datetime | None:
    """The moment a poll's ``endDate`` is over, in UTC; None when empty or unreadable."""
    read = read_end_date(value, local)
    return read.ends if read else None


def end_date_problem(text: str) -> str | None:
    """Why ``text`` cannot be used as an end date (for the editor), or None (empty is fine)."""
    if not text.strip() or read_end_date(text) is not None:
        return None
    return "Not an ISO 8601 date or date-time. Use e.g. 2030-12-31 or 2030-12-31T17:00:00Z."


def end_date_warnings(text: str, now: datetime | None = None, local: tzinfo | None = None) -> list[str]:
    """What the editor should point out about a readable end date: it is in the past; it is a
    date-time without a zone (and which zone it will mean). Empty for an empty or unreadable value."""
    read = read_end_date(text, local)
    if read is None:
        return []
    warnings = []
    if read.passed(now):
        warnings.append("This end date is in the past.")
    if read.has_time and not read.has_zone:
        warnings.append(f"No time zone given: read as local time ({zone_name(read.start)}).")
    return warnings


def describe_end_date(value: Any, now: datetime | None = None, local: tzinfo | None = None) -> str:
    """An end date in words for a detail view: ``2030-12-31``, ``2030-12-31 17:00 UTC+01:00``,
    with ``(passed)`` once over; ``none``; or the value as sent when unreadable."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return "none"
    read = read_end_date(text, local)
    if read is None:
        return f"{text} (not a date pollstui can read; kept as it is)"
    suffix = " (passed)" if read.passed(now) else ""
    if not read.has_time:
        zone = f" {zone_name(read.start)}" if read.has_zone else ""
        return f"{read.start:%Y-%m-%d}{zone}{suffix}"
    zone = zone_name(read.start) if read.has_zone else f"local time ({zone_name(read.start)})"
    return f"{read.start:%Y-%m-%d %H:%M} {zone}{suffix}"


def short_end_date(value: Any) -> str:
    """The day an end date falls on, ``2030-12-31``, for a table; the value as sent when unreadable."""
    text = value.strip() if isinstance(value, str) else ""
    read = read_end_date(text)
    return f"{read.start:%Y-%m-%d}" if read else text


def zone_name(moment: datetime) -> str:
    """``UTC``, ``UTC+01:00``, or a local zone's abbreviation with its offset (``CET, UTC+01:00``)."""
    offset = moment.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        text = "UTC"
    else:
        sign = "-" if offset < timedelta(0) else "+"
        minutes = abs(int(offset.total_seconds())) // 60
        text = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    name = moment.tzname()
    return f"{name}, {text}" if name and not name.startswith(("UTC", "GMT", "+", "-")) else text


def _zone(text: str) -> timezone:
    if text.upper() in ("Z", "UTC", "GMT"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
