"""One reader for endDate (pollstui/dates.py), and every place that shows one uses it (issue 8)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pollstui.dates import (
    DateError,
    describe_end_date,
    end_words_change,
    end_date_warnings,
    parse_duration,
    parse_end_date,
    parse_typed_end,
    preview_end,
    read_end_date,
    say_end,
    say_end_date,
    short_end_date,
    time_left,
)

UTC = timezone.utc
PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("value", "ends"),
    [
        ("2030-12-31", datetime(2031, 1, 1, tzinfo=UTC)),  # the day is over, in UTC (no zone: UTC)
        ("20301231", datetime(2031, 1, 1, tzinfo=UTC)),
        ("2030-12-31T17:00", datetime(2030, 12, 31, 17, tzinfo=UTC)),
        ("2030-12-31 17:00:30.25", datetime(2030, 12, 31, 17, 0, 30, 250000, tzinfo=UTC)),
        ("20301231T1700", datetime(2030, 12, 31, 17, tzinfo=UTC)),
        ("2030-12-31T17:00Z", datetime(2030, 12, 31, 17, tzinfo=UTC)),
        ("2030-12-31T17:00:00+01:00", datetime(2030, 12, 31, 16, tzinfo=UTC)),
        ("2030-12-31T17:00-0530", datetime(2030, 12, 31, 22, 30, tzinfo=UTC)),
        ("2030-12-31 UTC", datetime(2031, 1, 1, tzinfo=UTC)),
        (" 2030-12-31T17:00 GMT ", datetime(2030, 12, 31, 17, tzinfo=UTC)),
    ],
)
def test_accepted_formats(value: str, ends: datetime, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")  # the reading never depends on where pollstui runs
    time.tzset()
    assert parse_end_date(value) == ends


@pytest.mark.parametrize("value", ["", "  ", None, 20301231, "tomorrow", "31/12/2030", "2030-02-30", "2030-12-31T25:00", "9999-12-31", "2030-12-31T17:00+30:00"])
def test_unreadable_is_none_never_an_exception(value) -> None:
    assert read_end_date(value) is None


def test_without_a_zone_it_is_utc_shown_in_local_time_dst_included(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert parse_end_date("2030-12-31T17:00") == datetime(2030, 12, 31, 17, tzinfo=UTC)
    assert describe_end_date("2030-12-31T17:00", now) == "2030-12-31 18:00 local time (CET, UTC+01:00)"
    assert describe_end_date("2030-07-01T17:00", now) == "2030-07-01 19:00 local time (CEST, UTC+02:00)"
    assert end_date_warnings("2030-07-01T17:00", now) == [
        "No time zone given: read as UTC, 19:00 local time (CEST, UTC+02:00). Add Z to say so."
    ]
    assert short_end_date("2030-12-31T23:30") == "2031-01-01"  # the local day, as the detail shows
    # A bare date is the day in UTC: said where that is not the local day.
    assert describe_end_date("2030-12-31", now) == "2030-12-31 (UTC)"
    assert end_date_warnings("2030-12-31", now) == [
        "A date ends when that day is over in UTC: 2031-01-01 01:00 local time (CET, UTC+01:00)."
    ]
    # What was written with a zone is shown as written.
    assert describe_end_date("2030-12-31T17:00+01:00", now) == "2030-12-31 17:00 UTC+01:00"


def test_the_editor_warnings() -> None:
    now = datetime(2030, 6, 1, tzinfo=UTC)
    assert end_date_warnings("2030-12-31T17:00Z", now) == []
    assert end_date_warnings("2030-12-31", now) == []  # a bare date needs no zone to be understood
    assert end_date_warnings("2030-05-31T23:00Z", now) == ["This end date is in the past."]
    assert end_date_warnings("2030-05-31T23:00", now) == [
        "This end date is in the past.",
        "No time zone given: read as UTC (add Z to say so).",
    ]
    assert end_date_warnings("junk", now) == [] and end_date_warnings("", now) == []


def test_descriptions_and_short_forms() -> None:
    now = datetime(2030, 6, 1, tzinfo=UTC)
    assert describe_end_date("", now) == "none"
    assert describe_end_date("20301231", now) == "2030-12-31"
    assert describe_end_date("2030-12-31 UTC", now) == "2030-12-31 UTC"
    assert describe_end_date("2030-12-31T17:00+01:00", now) == "2030-12-31 17:00 UTC+01:00"
    assert describe_end_date("2020-01-01T00:00Z", now) == "2020-01-01 00:00 UTC (passed)"
    assert describe_end_date("soon", now) == "soon (not a date pollstui can read; kept as it is)"
    assert [short_end_date(v) for v in ("2030-12-31T17:00", "20301231", "2030-12-31 UTC", "soon", "")] == [
        "2030-12-31", "2030-12-31", "2030-12-31", "soon", "",
    ]  # fmt: skip



@pytest.mark.parametrize(("value", "local"), [("9999-12-31T23:30", PLUS_ONE), ("0001-01-01T00:30", timezone(timedelta(hours=-5)))])
def test_a_zone_less_time_at_the_calendars_edge_is_shown_in_utc_not_a_crash(value: str, local) -> None:
    """Its local clock would read year 10000 (or 0), which Python cannot hold: shown as read, in UTC."""
    now = datetime(2030, 6, 1, tzinfo=UTC)
    day, clock = value.split("T")
    described = describe_end_date(value, now, local)
    assert clock in described and "UTC" in described and "local time" not in described
    assert short_end_date(value, local).endswith(day[-5:])
    assert any("read as UTC" in line for line in end_date_warnings(value, now, local))

# --- every reader agrees ----------------------------------------------------------------------------

DISAGREED = ("2030-12-31T17:00", "2030-12-31 UTC", "20301231")  # three readers read these three ways


@pytest.mark.parametrize("value", DISAGREED)
def test_cli_get_and_list_read_the_end_date_like_everyone(value: str) -> None:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.cli.output import format_poll, format_poll_table

    poll = Poll.from_api({"id": "p", "title": "T", "settings": {"endDate": value}})
    ref = ContentRef.create("jira", "PLAT", "PLAT-1")
    assert f"ends {describe_end_date(value)}" in format_poll(poll, ref, results=False)
    assert say_end_date(value) == "31 Dec 2030"  # far ahead: the day, as the overview says it
    assert format_poll_table([poll], ref, results=False, width=100).splitlines()[1].endswith("31 Dec 2030")
    assert format_poll_table([poll], ref, results=False, width=None).splitlines()[1].endswith("2030-12-31")  # scripts
    assert "not a date pollstui can read" not in format_poll(poll, ref, results=False)


@pytest.mark.parametrize("value", DISAGREED)
def test_tui_readers_use_the_same_reader(value: str) -> None:
    from pollstui.api.models import Poll
    from pollstui.tui.widgets.poll_detail import settings_lines
    from pollstui.tui.widgets.poll_table import end_date_cell

    poll = Poll.from_api({"id": "p", "title": "T", "settings": {"endDate": value}})
    assert dict(settings_lines(poll))["End date"] == describe_end_date(value)
    assert end_date_cell(value)[0] == say_end_date(value) == "31 Dec 2030"
    parse_typed_end(value)  # the editor's reader takes it


async def test_the_editor_says_how_it_reads_the_end_date_under_it(ref_server) -> None:
    from textual.widgets import Label

    from pollstui.tui.widgets.settings_form import END_DATE_HELP
    from tests.tui.test_editor import AUDIT, AUDIT_TITLE, field, loaded_poll, make_app, open_editor

    body = {"title": "Zone-less", "options": [], "settings": {"endDate": "2020-01-01T10:00"}}
    ref_server.store.create_poll("jira", "PLAT", "PLAT-254630", "", body)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, loaded_poll(ref_server, AUDIT, AUDIT_TITLE))
        help_label = screen.query_one("#end-date-help", Label)
        assert str(help_label.content) == END_DATE_HELP  # no end date: the forms it takes
        field(screen, "#end-date").value = "2020-01-01T10:00Z"  # typed: what it was understood as
        await pilot.pause()
        assert str(help_label.content) == "→ Wed 1 Jan 2020, 10:00 UTC · " + str(help_label.content).split(" · ")[1]
        assert str(help_label.content).endswith("ago, in the past")
        field(screen, "#end-date").value = ""  # as it came: escape closes without asking
        await pilot.pause()
        await pilot.press("escape")
        screen, _ = await open_editor(app, pilot, AUDIT, loaded_poll(ref_server, AUDIT, "Zone-less"))
        help_label = screen.query_one("#end-date-help", Label)  # the server's value, untouched: read as UTC
        assert str(help_label.content).startswith("This end date is in the past. No time zone given: read as UTC")


# --- what people type (issue 21) ------------------------------------------------------------------------

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
TUE = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)  # Tuesday 8 December 2026, 11:00 in Paris


@pytest.mark.parametrize(
    ("typed", "now", "zone", "wire"),
    [
        ("in 2h", TUE, PARIS, "2026-12-08T13:00:00+01:00"),
        ("in 30m", TUE, PARIS, "2026-12-08T11:30:00+01:00"),
        ("in 3d", TUE, PARIS, "2026-12-11T11:00:00+01:00"),
        ("In 1h30m", TUE, PARIS, "2026-12-08T12:30:00+01:00"),
        ("today 17:00", TUE, PARIS, "2026-12-08T17:00:00+01:00"),
        ("today", TUE, PARIS, "2026-12-08T23:59:59+01:00"),
        ("tomorrow 9:00", TUE, PARIS, "2026-12-09T09:00:00+01:00"),
        ("tomorrow 9am", TUE, NEW_YORK, "2026-12-09T09:00:00-05:00"),
        ("fri 17:00", TUE, PARIS, "2026-12-11T17:00:00+01:00"),
        ("Friday 5:30pm", TUE, PARIS, "2026-12-11T17:30:00+01:00"),
        ("tue 12:00", TUE, PARIS, "2026-12-08T12:00:00+01:00"),  # today, still ahead
        ("tue 9:00", TUE, PARIS, "2026-12-15T09:00:00+01:00"),  # today's is past: next week's
        ("2026-12-24", TUE, PARIS, "2026-12-24T23:59:59+01:00"),  # the end of that day, here
        ("2026-12-24", TUE, KOLKATA, "2026-12-24T23:59:59+05:30"),
        ("2026-12-24T17:00", TUE, NEW_YORK, "2026-12-24T17:00:00-05:00"),  # typed: the user's zone
        ("2026-12-24T17:00Z", TUE, PARIS, "2026-12-24T17:00:00+00:00"),  # its own zone, as written
        ("2026-12-24 17:00 +02:00", TUE, PARIS, "2026-12-24T17:00:00+02:00"),
        ("now", TUE, PARIS, "2026-12-08T11:00:00+01:00"),
        ("none", TUE, PARIS, ""),
        ("", TUE, PARIS, ""),
        # A DST change (Paris springs forward at 02:00 on Sunday 29 March 2026; New York falls back
        # at 02:00 on Sunday 1 November 2026): hours are real time, days are the wall clock.
        ("in 2h", datetime(2026, 3, 29, 0, 30, tzinfo=UTC), PARIS, "2026-03-29T04:30:00+02:00"),
        ("in 3d", datetime(2026, 3, 27, 9, 0, tzinfo=UTC), PARIS, "2026-03-30T10:00:00+02:00"),
        ("sun 2:30", datetime(2026, 3, 27, 9, 0, tzinfo=UTC), PARIS, "2026-03-29T03:30:00+02:00"),  # skipped
        ("tomorrow 12:00", datetime(2026, 10, 31, 16, 0, tzinfo=UTC), NEW_YORK, "2026-11-01T12:00:00-05:00"),
        ("in 1d", datetime(2026, 10, 31, 16, 0, tzinfo=UTC), NEW_YORK, "2026-11-01T12:00:00-05:00"),
        # Month and year ends.
        ("tomorrow 9:00", datetime(2027, 1, 31, 12, tzinfo=UTC), PARIS, "2027-02-01T09:00:00+01:00"),
        ("in 1d", datetime(2026, 12, 31, 12, tzinfo=UTC), PARIS, "2027-01-01T13:00:00+01:00"),
        ("fri", datetime(2026, 12, 30, 12, tzinfo=UTC), PARIS, "2027-01-01T23:59:59+01:00"),
        ("2028-02-29", TUE, PARIS, "2028-02-29T23:59:59+01:00"),
        ("tomorrow", datetime(2028, 2, 28, 12, tzinfo=UTC), PARIS, "2028-02-29T23:59:59+01:00"),
    ],
)
def test_typed_end_dates(typed: str, now: datetime, zone, wire: str) -> None:
    read = parse_typed_end(typed, now, zone)
    assert read.wire == wire
    assert (read.ends is None) == (wire == "")
    if wire:  # what goes out reads back, on the wire, as the same moment
        assert parse_end_date(read.wire) == read.ends


@pytest.mark.parametrize(
    "typed", ["next friday", "fri 5", "fri 25:00", "tomorrow 13pm", "2026-02-29", "31/12/2026", "soon"]
)
def test_typed_text_that_is_no_date_says_what_to_type(typed: str) -> None:
    with pytest.raises(DateError, match=r"in 2h .* fri 17:00"):
        parse_typed_end(typed, TUE, PARIS)


@pytest.mark.parametrize("typed", ["in 2", "in 2 parsecs", "in"])
def test_in_wants_a_duration(typed: str) -> None:
    with pytest.raises(DateError, match="after 'in', a duration such as 30m, 2h or 3d"):
        parse_typed_end(typed, TUE, PARIS)


def test_typed_dates_read_this_machines_zone_when_none_is_given(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert parse_typed_end("2026-07-04", TUE).wire == "2026-07-04T23:59:59-04:00"  # summer time there
        assert parse_typed_end("tomorrow 9:00", TUE).wire == "2026-12-09T09:00:00-05:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize(
    ("typed", "preview"),
    [
        ("fri 17:00", "Fri 11 Dec, 17:00 CET · in 3 days"),
        ("in 2h", "Tue 8 Dec, 13:00 CET · in 2 h"),
        ("in 25m", "Tue 8 Dec, 11:25 CET · in 25 min"),
        ("2026-12-24", "Thu 24 Dec, 23:59 CET (end of the day) · in 17 days"),
        ("2027-01-05T09:00Z", "Tue 5 Jan 2027, 09:00 UTC · in 28 days"),
        ("today 9:00", "Tue 8 Dec, 09:00 CET · 2 h ago, in the past"),  # past dates warned
        ("2026-12-01", "Tue 1 Dec, 23:59 CET (end of the day) · 6 days ago, in the past"),
        ("now", "Tue 8 Dec, 11:00 CET · now"),
        ("none", "no end date"),
    ],
)
def test_the_preview_says_what_was_understood(typed: str, preview: str) -> None:
    read = parse_typed_end(typed, TUE, PARIS)
    assert preview_end(read, TUE) == preview
    assert read.passed(TUE) == preview.endswith(("in the past", "now"))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("24h", 86400), ("2h", 7200), ("30m", 1800), ("3d", 3 * 86400), ("1w", 7 * 86400), ("1h30m", 5400),
     (" 90 min ", 5400), ("2 days", 2 * 86400), ("45s", 45), ("2H", 7200)],
)  # fmt: skip
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "24", "h", "0h", "-2h", "2 parsecs", "2h junk", "1.5h", None])
def test_what_is_no_duration_is_a_clear_error(text) -> None:
    with pytest.raises(DateError, match="not a duration: use e.g. 30m, 2h"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("ends", "said"),
    [
        (TUE + timedelta(seconds=40), "in <1 min"),  # a table never says seconds: they go stale
        (TUE + timedelta(seconds=60), "in 1 min"),
        (TUE + timedelta(minutes=25, seconds=59), "in 25 min"),  # whole minutes left
        (TUE + timedelta(minutes=59, seconds=59), "in 59 min"),
        (TUE + timedelta(hours=1, minutes=29), "in 1 h"),
        (TUE + timedelta(hours=1, minutes=30), "in 2 h"),  # hours to the nearest
        (TUE + timedelta(hours=3, minutes=10), "in 3 h"),
        (datetime(2026, 12, 11, 16, tzinfo=UTC), "Fri 17:00"),
        (datetime(2026, 12, 24, 16, tzinfo=UTC), "24 Dec"),
        (datetime(2027, 1, 24, 16, tzinfo=UTC), "24 Jan 2027"),
        (TUE, "closed"),
        (TUE - timedelta(days=3), "closed"),
        (None, ""),
    ],
)
def test_ends_as_people_say_them(ends, said: str) -> None:
    assert say_end(ends, TUE, PARIS) == said


@pytest.mark.parametrize(
    ("left", "changes_in"),
    [
        (timedelta(seconds=20), timedelta(seconds=20)),  # in <1 min → closed at the end
        (timedelta(minutes=2, seconds=10), timedelta(seconds=10)),  # in 2 min → in 1 min
        (timedelta(minutes=2), timedelta(0)),  # in 2 min, and in 1 min the moment after
        (timedelta(hours=1, minutes=40), timedelta(minutes=10)),  # in 2 h → in 1 h at 1 h 30 left
        (timedelta(hours=1, minutes=10), timedelta(minutes=10)),  # in 1 h → in 59 min
        (timedelta(days=3), timedelta(days=2)),  # Fri 10:00 → in 24 h
        (timedelta(days=40), timedelta(days=34)),  # 17 Jan 2027 → Mon 10:00
    ],
)
def test_when_the_words_of_an_end_change(left: timedelta, changes_in: timedelta) -> None:
    ends = TUE + left
    change = end_words_change(ends, TUE)
    assert change is not None and timedelta(0) <= change - (TUE + changes_in) <= timedelta(milliseconds=1)
    assert say_end(ends, change, PARIS) != say_end(ends, change - timedelta(milliseconds=1), PARIS)


def test_the_words_of_an_end_hold_until_their_change() -> None:
    """Checked over 8 days before an end, every 7 s in the last day (where the words change at each
    minute and half hour) and every 601 s before it (a day's and a week's words; 601 s falls on
    every second of a minute in turn): the words said at a check are the words until the change it
    names, and differ from the moment it comes."""
    ends = TUE + timedelta(days=8)
    for step in (*range(0, 7 * 86400, 601), *range(7 * 86400, 8 * 86400 + 10, 7)):
        now = TUE + timedelta(seconds=step)
        change = end_words_change(ends, now)
        if change is None:
            assert now >= ends and say_end(ends, now, PARIS) == "closed"
            continue
        said = say_end(ends, now, PARIS)
        assert say_end(ends, change - timedelta(milliseconds=1), PARIS) == said
        assert say_end(ends, change, PARIS) != said


def test_an_end_past_or_missing_never_changes_its_words() -> None:
    assert end_words_change(TUE, TUE) is None
    assert end_words_change(TUE - timedelta(days=1), TUE) is None
    assert end_words_change(None, TUE) is None


@pytest.mark.parametrize(
    ("end_date", "left"),
    [
        ("", ""),
        ("2026-12-08T12:48:00Z", "2 h 48 min left"),
        ("2026-12-08T10:04:09Z", "4:09 left"),
        ("2026-12-18", "10 days left"),
        ("2026-12-08", "14 h 00 min left"),  # a bare date from a server ends at midnight UTC after it
        ("2026-12-08T10:00:00Z", "closed"),
        ("2026-12-08T10:30:00+01:00", "closed"),
        ("next Friday", "ends 'next Friday'"),
    ],
)
def test_the_countdown(end_date: str, left: str) -> None:
    assert time_left(end_date, TUE) == left


@pytest.mark.parametrize("end_date", ["9999-12-31", "0001-01-01T00:00+01:00", "9999-12-31T23:59-05:00"])
def test_the_countdown_of_dates_at_the_edge_of_the_calendar_never_raises(end_date):
    # A server's "never ends" 9999-12-31 raised OverflowError in present mode, which ended the app.
    assert parse_end_date(end_date) is None
    assert time_left(end_date, TUE) == f"ends {end_date!r}"


@pytest.mark.parametrize(
    ("end_date", "closes", "said"),
    [
        ("2026-12-08T13:00:00Z", True, "in 3 h"),
        ("2026-12-08T13:00:00+01:00", True, "in 2 h"),
        ("2026-12-11T17:00:00Z", True, "Fri 17:00"),
        ("2031-06-30", True, "30 Jun 2031"),
        ("2026-12-24", True, "24 Dec"),  # a bare date: its own day, not the next day's midnight
        ("2026-12-10", True, "Thu"),
        ("2026-12-08", True, "in 14 h"),  # over when today is
        ("2026-12-08T09:00:00Z", True, "closed"),
        ("2026-12-08T09:00:00Z", False, "ended"),  # past, but the poll stays open: votes still count
        ("", True, ""),
        ("next Friday", True, "next Friday"),  # unreadable: as sent
    ],
)
def test_say_end_date_says_a_poll_end_as_people_say_it(end_date: str, closes: bool, said: str) -> None:
    now = datetime(2026, 12, 8, 10, 0, tzinfo=timezone.utc)  # a Tuesday
    assert say_end_date(end_date, closes, now, timezone.utc) == said
