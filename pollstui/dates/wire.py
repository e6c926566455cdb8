"""A poll's ``endDate`` as a server sends it: the one reader, for every place that shows or checks one.

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

Without a zone, a date or date-time is read as **UTC**: the API runs on Atlassian Forge, whose
functions run in UTC, and JavaScript's ``new Date()`` reads a bare ISO date as UTC (and a
zone-less date-time in the runtime's zone, UTC there). So a bare date ends when that day is
over in UTC, and ``2030-12-31T17:00`` is 17:00 UTC wherever pollstui runs. A date-time without
a zone is *shown* in the local time of the machine showing it, labelled "local time" with the
zone (:func:`describe_end_date`); the editor says how it is read (:func:`end_date_warnings`).
The value itself is never rewritten: an untouched field goes back to the server as it came. A
value that fits none of these, or names a moment Python
cannot hold (``2024-02-30``, ``25:00``, an offset of 30 hours), is unreadable: ``None``, never an
exception. Unreadable values are shown as sent and kept as they are.

Who calls it: the CLI's output, the TUI's detail pane, poll table, editor and present mode, and
the reference server's simulated voters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

#: One line for the editor, under the field.
END_DATE_HELP = "ISO 8601, e.g. 2030-12-31 or 2030-12-31T17:00:00Z"

_END_DATE = re.compile(
    r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2}))"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"
)


#: The zone a value without one is read in (see the module docstring).
SERVER_ZONE = timezone.utc


@dataclass(frozen=True)
class EndDate:
    """A readable ``endDate``: ``ends`` is the moment it is over (aware, UTC)."""

    ends: datetime
    has_time: bool  # a date-time, not a bare date
    has_zone: bool  # False: read as UTC (SERVER_ZONE)
    start: datetime  # what was written, in its zone, UTC without one (the day's start for a bare date)

    def passed(self, now: datetime | None = None) -> bool:
        return self.ends <= (now or datetime.now(timezone.utc))


def read_end_date(value: Any) -> EndDate | None:
    """``value`` read as described in the module docstring; None when empty or unreadable."""
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
        written_in = _zone(zone) if zone else SERVER_ZONE
        start = naive.replace(tzinfo=written_in)
        ends = (naive + timedelta(days=1)).replace(tzinfo=written_in) if hour is None else start
        return EndDate(ends.astimezone(timezone.utc), hour is not None, zone is not None, start)
    except (ValueError, OverflowError, OSError):  # 2024-02-30, 25:00, an offset of 30 hours, 9999-12-31 …
        return None


def _local(moment: datetime, local: tzinfo | None) -> datetime | None:
    """``moment`` in ``local`` (None: this machine's local time on that date, DST included); None
    when that zone's clock would read a year Python cannot hold (``9999-12-31T23:30`` east of UTC)."""
    try:
        return moment.astimezone(local) if local is not None else moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return None


def _not_utc(moment: datetime | None) -> bool:
    """Whether a :func:`_local` moment's clock differs from UTC's (None: it cannot be told apart)."""
    return moment is not None and moment.utcoffset() != timedelta(0)


def parse_end_date(value: Any) -> datetime | None:
    """The moment a poll's ``endDate`` is over, in UTC; None when empty or unreadable."""
    read = read_end_date(value)
    return read.ends if read else None


def end_date_problem(text: str) -> str | None:
    """Why ``text`` cannot be used as an end date (for the editor), or None (empty is fine)."""
    if not text.strip() or read_end_date(text) is not None:
        return None
    return "Not an ISO 8601 date or date-time. Use e.g. 2030-12-31 or 2030-12-31T17:00:00Z."


def end_date_warnings(text: str, now: datetime | None = None, local: tzinfo | None = None) -> list[str]:
    """What the editor should point out about a readable end date: it is in the past; it is a
    date-time without a zone (read as UTC: what that is in local time). Empty for an empty or
    unreadable value. ``local``: the zone to show it in (default: this machine's)."""
    read = read_end_date(text)
    if read is None:
        return []
    warnings = []
    if read.passed(now):
        warnings.append("This end date is in the past.")
    if read.has_zone:
        return warnings
    if read.has_time:
        here = _local(read.start, local)
        if here is None or not _not_utc(here):
            warnings.append("No time zone given: read as UTC (add Z to say so).")
        else:
            warnings.append(f"No time zone given: read as UTC, {here:%H:%M} local time ({zone_name(here)}). Add Z to say so.")
    else:
        over = _local(read.ends, local)
        if over is not None and _not_utc(over):
            warnings.append(f"A date ends when that day is over in UTC: {over:%Y-%m-%d %H:%M} local time ({zone_name(over)}).")
    return warnings


def describe_end_date(value: Any, now: datetime | None = None, local: tzinfo | None = None) -> str:
    """An end date in words for a detail view: ``2030-12-31``, ``2030-12-31 17:00 UTC+01:00``
    (as written, with its zone), ``2030-12-31 18:00 local time (CET, UTC+01:00)`` (no zone
    written: read as UTC, shown in ``local``, default this machine's zone), with ``(passed)`` once
    over; ``none``; or the value as sent when unreadable."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return "none"
    read = read_end_date(text)
    if read is None:
        return f"{text} (not a date pollstui can read; kept as it is)"
    suffix = " (passed)" if read.passed(now) else ""
    if not read.has_time:
        if read.has_zone:
            zone = f" {zone_name(read.start)}"
        else:  # the day in UTC: say so where the local day ends at another moment
            here = _local(read.start, local)
            zone = " (UTC)" if here is None or _not_utc(here) else ""
        return f"{read.start:%Y-%m-%d}{zone}{suffix}"
    if read.has_zone:
        return f"{read.start:%Y-%m-%d %H:%M} {zone_name(read.start)}{suffix}"
    here = _local(read.start, local)
    if here is None:  # no local clock reads it: shown as read
        return f"{read.start:%Y-%m-%d %H:%M} UTC{suffix}"
    return f"{here:%Y-%m-%d %H:%M} local time ({zone_name(here)}){suffix}"


def short_end_date(value: Any, local: tzinfo | None = None) -> str:
    """The day an end date falls on, ``2030-12-31``, for a table (a date-time without a zone: its
    local day, as the detail view shows it); the value as sent when unreadable."""
    text = value.strip() if isinstance(value, str) else ""
    read = read_end_date(text)
    if read is None:
        return text
    shown = (_local(read.start, local) or read.start) if read.has_time and not read.has_zone else read.start
    return f"{shown:%Y-%m-%d}"


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

