"""The one reader of end dates and durations, and the one formatter of ends.

Two readers, for two sources: :func:`read_end_date` reads a poll's ``endDate`` as it comes from a
server; :func:`parse_typed_end` reads what a person types (``in 2h``, ``fri 17:00``, …) and gives
the ISO 8601 text to send, and :func:`parse_duration` reads ``24h`` / ``30m`` / ``3d``
(``--ends-within``). Words for an end: :func:`say_end` for a table (``in 3 h``, ``Fri 17:00``,
``closed``) and :func:`say_end_date` for a poll's ``endDate`` as sent (the main screen's and the
overview's Ends column, ``pollstui list``), :func:`time_left` for present mode's countdown (``4:09
left``), :func:`preview_end` beside the editor's field (``Fri 11 Dec, 17:00 CET · in 3 days``),
:func:`describe_end_date` for a detail view. Standard library only (``re``, ``datetime``): the
grammar is small enough for a tested parser.

**What a server sends.**
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

**What a person types.**
The grammar of a typed end date (the editor's field, ``reopen --until``, ``--end-date``) and of a
duration (``--ends-within``). Small enough for a tested parser: no library.

========================================  ==============================================================
``none`` (``never``, empty)               no end date: ``""`` goes out
``now``                                   this moment
``in 2h``, ``in 30m``, ``in 3d``          from now; a duration as :func:`parse_duration` reads it
``today 17:00``, ``tomorrow 9:00``        that day, at that time in the user's zone (``5pm``,
                                          ``9:30am`` too); without a time, the end of that day
``fri 17:00``, ``friday``                 the next such day whose moment is still ahead (today, if
                                          it is that day and the moment is ahead)
``2026-12-24``                            the end of that day in the user's zone (23:59:59)
ISO 8601 (``2026-12-24T17:00``,           as :func:`read_end_date` reads it; with its own zone as
``2026-12-24T17:00+01:00``, ``…Z``)       written, without one in the user's zone
========================================  ==============================================================

What goes out is ISO 8601 with the zone's offset, to the second: ``2026-12-24T23:59:59+01:00``.
The user's zone is this machine's local time (``zone=None``) or a ``tzinfo`` passed in (tests
use :class:`zoneinfo.ZoneInfo`). Hours and minutes count in real time (``in 2h`` across a DST
change is two hours from now); days count on the wall clock (``in 3d`` is the same clock time
three days on, whatever the DST change in between).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

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


#: One line for the editor and ``--help``: the forms a typed end date takes.
TYPED_END_HELP = "in 2h · in 3d · today 17:00 · tomorrow 9:00 · fri 17:00 · 2026-12-24 · ISO 8601 · none"

_UNITS = {
    "w": 7 * 86400, "week": 7 * 86400, "weeks": 7 * 86400,
    "d": 86400, "day": 86400, "days": 86400,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_DURATION_PART = re.compile(r"(\d+)\s*([a-z]+)\s*")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {**{d: i for i, d in enumerate(_DAYS)},
              **{n: i for i, n in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
              "tues": 1, "weds": 2, "thur": 3, "thurs": 3}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
_DAY_AND_TIME = re.compile(r"^(today|tonight|tomorrow|tmrw|[a-z]+)(?:\s+(?:at\s+)?(.+))?$")
_NONE = ("", "none", "never", "no end", "no end date")
#: The end of a day, as it goes out (ISO 8601 has no "date with an offset").
_END_OF_DAY = (23, 59, 59)


class DateError(ValueError):
    """Typed text that is no date or duration; the message says what to type instead."""


def parse_duration(text: str) -> timedelta:
    """``24h``, ``2h``, ``30m``, ``3d``, ``1w``, ``1h30m``, ``90 min``, ``2 days`` as a timedelta.

    Raises :class:`DateError` (a ``ValueError``) for anything else, zero included.
    """
    cleaned = text.strip().lower() if isinstance(text, str) else ""
    position, seconds = 0, 0
    while position < len(cleaned):
        match = _DURATION_PART.match(cleaned, position)
        if match is None or match.group(2) not in _UNITS:
            break
        seconds += int(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if not cleaned or position < len(cleaned) or seconds <= 0:
        raise DateError(f"{text!r} is not a duration: use e.g. 30m, 2h, 24h, 3d or 1w.")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class TypedEnd:
    """A typed end date understood: ``wire`` is what goes out (``""``: no end date).

    ``ends`` is the moment it is over (aware, in the user's zone; None for no end date);
    ``end_of_day``: a day was typed without a time, so it ends when that day is over there.
    """

    wire: str
    ends: datetime | None
    end_of_day: bool = False

    def passed(self, now: datetime | None = None) -> bool:
        return self.ends is not None and self.ends <= (now or datetime.now(timezone.utc))


def parse_typed_end(text: str, now: datetime | None = None, zone: tzinfo | None = None) -> TypedEnd:
    """What a user typed as an end date (the grammar above), read at ``now`` in ``zone``
    (None: this machine's local time). Raises :class:`DateError` with what to type instead.

    A date in the past is read, not refused: :meth:`TypedEnd.passed` and :func:`preview_end` say so
    (closing a poll is an end date of now).
    """
    now = now or datetime.now(timezone.utc)
    cleaned = " ".join(text.split()).lower() if isinstance(text, str) else ""
    if cleaned in _NONE:
        return TypedEnd("", None)
    if cleaned == "now":
        return _typed(now.astimezone(timezone.utc), zone)
    if cleaned == "in" or cleaned.startswith("in "):
        try:
            span = parse_duration(cleaned[2:])
        except DateError:
            raise DateError(f"Can't read {text.strip()!r} as an end date: after 'in', a duration such as 30m, 2h or 3d.") from None
        days, rest = divmod(int(span.total_seconds()), 86400)
        wall = _wall(now + timedelta(seconds=rest), zone) + timedelta(days=days)
        return _typed(_attach(wall, zone), zone)
    read = read_end_date(text)
    if read is not None:
        if read.has_zone:  # as written, in its own zone
            moment = read.start if read.has_time else read.start.replace(hour=23, minute=59, second=59)
            return TypedEnd(moment.isoformat(timespec="seconds"), moment, not read.has_time)
        wall = read.start.replace(tzinfo=None)
        if not read.has_time:
            return _typed(_attach(wall.replace(hour=23, minute=59, second=59), zone), zone, end_of_day=True)
        return _typed(_attach(wall, zone), zone)
    match = _DAY_AND_TIME.match(cleaned)
    if match is not None:
        day_word, clock = match.groups()
        today = _wall(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
        if day_word in ("today", "tonight"):
            candidates = [today]
        elif day_word in ("tomorrow", "tmrw"):
            candidates = [today + timedelta(days=1)]
        elif day_word in _DAY_NAMES:
            ahead = (_DAY_NAMES[day_word] - today.weekday()) % 7
            candidates = [today + timedelta(days=ahead), today + timedelta(days=ahead + 7)]
        else:
            candidates = []
        hms = _clock(clock) if clock is not None else _END_OF_DAY
        if candidates and hms is not None:
            for day in candidates:  # a weekday: the first whose moment is still ahead
                moment = _attach(day.replace(hour=hms[0], minute=hms[1], second=hms[2]), zone)
                if moment > now or day is candidates[-1]:
                    return _typed(moment, zone, end_of_day=clock is None)
    raise DateError(f"Can't read {text.strip()!r} as an end date: use e.g. {TYPED_END_HELP}.")


def _clock(text: str) -> tuple[int, int, int] | None:
    """``17:00``, ``9``, ``9am``, ``5:30pm``, ``noon``, ``midnight`` (the end of the day)."""
    if text == "noon":
        return (12, 0, 0)
    if text == "midnight":
        return _END_OF_DAY
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # a bare number is no time ("fri 5": five what?)
    return (hour, minute, 0) if hour < 24 and minute < 60 else None


def _wall(moment: datetime, zone: tzinfo | None) -> datetime:
    """The user's wall clock at ``moment``, naive."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _attach(wall: datetime, zone: tzinfo | None) -> datetime:
    """The moment the user's wall clock reads ``wall`` (a time a DST change skips: read with the
    offset before it, so 02:30 on a spring-forward night is 03:30 after it)."""
    if zone is None:
        return wall.astimezone()  # this machine's local time on that date, DST included
    return wall.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def _typed(moment: datetime, zone: tzinfo | None, end_of_day: bool = False) -> TypedEnd:
    shown = moment.astimezone(zone).replace(microsecond=0)
    return TypedEnd(shown.isoformat(timespec="seconds"), shown, end_of_day)


def _ahead(seconds: float) -> str:
    """``"in 40 s"``, ``"in 25 min"``, ``"in 3 h"``, ``"in 3 days"`` (rounded to the nearest)."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"in {seconds} s"
    if seconds < 3600:
        return f"in {round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"in {round(seconds / 3600)} h"
    return f"in {round(seconds / 86400):,} days"


def _ago(seconds: float) -> str:
    return _ahead(seconds).replace("in ", "", 1) + " ago"


def _day(moment: datetime, now: datetime) -> str:
    """``Fri 11 Dec``, with the year when it is not this year's."""
    year = f" {moment.year}" if moment.year != now.astimezone(moment.tzinfo).year else ""
    return f"{moment:%a} {moment.day} {moment:%b}{year}"


def preview_end(typed: TypedEnd, now: datetime | None = None) -> str:
    """What a typed end date was understood as, for beside the field before saving:
    ``Fri 11 Dec, 17:00 CET · in 3 days``; ``Thu 24 Dec, 23:59 CET (end of the day) · in 17 days``;
    ``… · 2 h ago, in the past``; ``no end date``."""
    if typed.ends is None:
        return "no end date"
    now = now or datetime.now(timezone.utc)
    shown = typed.ends  # in the user's zone, or in the zone it was written with
    day_end = " (end of the day)" if typed.end_of_day else ""
    when = f"{_day(shown, now)}, {shown:%H:%M} {shown.tzname() or zone_name(shown)}{day_end}"
    seconds = (typed.ends - now).total_seconds()
    if seconds > 0:
        return f"{when} · {_ahead(seconds)}"
    return f"{when} · now" if seconds > -1 else f"{when} · {_ago(-seconds)}, in the past"


def say_end(ends: datetime | None, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """An end as people say it, for a table: ``in <1 min``, ``in 25 min`` (whole minutes left, never
    seconds: a table says the same until :func:`end_words_change`), ``in 3 h`` (within a day, to the
    nearest hour), ``Fri 17:00`` (within a week), ``24 Dec``, ``24 Dec 2027``; ``closed`` once past
    (a caller whose poll stays open past its end date words that itself); ``""`` for no end."""
    if ends is None:
        return ""
    now = now or datetime.now(timezone.utc)
    seconds = (ends - now).total_seconds()
    if seconds <= 0:
        return "closed"
    if seconds < 60:
        return "in <1 min"
    if seconds < 3600:
        return f"in {int(seconds // 60)} min"
    if seconds < 86400:
        return f"in {int(seconds / 3600 + 0.5)} h"
    shown = ends.astimezone(zone)
    if seconds < 6 * 86400:
        return f"{shown:%a %H:%M}"
    year = f" {shown.year}" if shown.year != now.astimezone(zone).year else ""
    return f"{shown.day} {shown:%b}{year}"


#: Time left (seconds, largest first) below which :func:`say_end`'s words change as the end nears:
#: a week's day, a day's hours (rounded: at each half hour), an hour's minutes, the end.
_WORD_CHANGES = (6 * 86400, 86400, *((hours + 0.5) * 3600 for hours in range(23, 0, -1)), 3600,
                 *(60 * minutes for minutes in range(59, 0, -1)), 0)  # fmt: skip
#: Past a change (words that hold down to a mark, "in 2 min" at 120 s left), so a check made at
#: the moment it is due already reads the new words ("closed" needs none: it is said at the end).
_PAST_CHANGE = timedelta(milliseconds=1)


def end_words_change(ends: datetime | None, now: datetime | None = None) -> datetime | None:
    """The next moment after ``now`` at which :func:`say_end` (and :func:`say_end_date`) words
    ``ends`` differently (``in 3 min`` → ``in 2 min``, ``in <1 min`` → ``closed``): a table that
    keeps the words checks again then, and not before. None once past (``closed`` stays) or
    without an end. (A year turning in a far end's ``24 Dec 2027`` is not counted.)"""
    if ends is None:
        return None
    left = (ends - (now or datetime.now(timezone.utc))).total_seconds()
    if left <= 0:
        return None
    change = next(mark for mark in _WORD_CHANGES if mark <= left)  # the words hold down to it
    return ends - timedelta(seconds=change) + (_PAST_CHANGE if change else timedelta(0))  # closed at the end


def say_end_date(end_date: Any, closes: bool = True, now: datetime | None = None, zone: tzinfo | None = None) -> str:
    """A poll's ``endDate`` as sent, in a table's words (:func:`say_end`): ``in 3 h``, ``Fri 17:00``,
    ``30 Jun 2031``, ``closed``; ``ended`` once past when the poll does not close then (``closes``
    false: ``closePollOnEndDate`` off, votes still count); a bare date as its day (``Thu``,
    ``24 Dec``); ``""`` without one; the value as sent
    when unreadable. The words change with ``now``: a table that keeps them says them again at
    :func:`end_words_change`."""
    text = end_date.strip() if isinstance(end_date, str) else ""
    if not text:
        return ""
    read = read_end_date(text)
    if read is None:
        return text
    now = now or datetime.now(timezone.utc)
    said = say_end(read.ends, now, zone)
    if said == "closed":
        return said if closes else "ended"
    if not read.has_time and (read.ends - now).total_seconds() >= 86400:
        # a bare date is over when its day is: say that day as written ("Thu", "31 Dec"), not the
        # next day's midnight
        day = read.start
        if (read.ends - now).total_seconds() < 6 * 86400:
            return f"{day:%a}"
        year = f" {day.year}" if day.year != now.astimezone(zone).year else ""
        return f"{day.day} {day:%b}{year}"
    return said


def time_left(end_date: Any, now: datetime | None = None) -> str:
    """A poll's ``endDate`` as a countdown for present mode: ``"12 days left"``, ``"3 h 05 min
    left"``, ``"4:09 left"``, ``"closed"``; ``""`` without one; shown as sent when unreadable
    (``"ends 'next Friday'"``)."""
    text = end_date.strip() if isinstance(end_date, str) else ""
    if not text:
        return ""
    ends = parse_end_date(text)
    if ends is None:
        return f"ends {text!r}"
    seconds = int((ends - (now or datetime.now(timezone.utc))).total_seconds())
    if seconds <= 0:
        return "closed"
    if seconds >= 2 * 86400:
        return f"{seconds // 86400:,} days left"
    if seconds >= 3600:
        hours, rest = divmod(seconds, 3600)
        return f"{hours} h {rest // 60:02d} min left"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d} left"
