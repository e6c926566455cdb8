"""One reader for endDate (pollstui/dates.py), and every place that shows one uses it (issue 8)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from pollstui.dates import (
    describe_end_date,
    end_date_problem,
    end_date_warnings,
    parse_end_date,
    read_end_date,
    short_end_date,
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


def test_problems_are_for_unreadable_text_only() -> None:
    for good in ("", "2030-12-31", "20301231", "2030-12-31T17:00", "2030-12-31 UTC"):
        assert end_date_problem(good) is None, good
    assert "Not an ISO 8601 date" in end_date_problem("next Friday")


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
    assert "2030-12-31" in format_poll_table([poll], ref, results=False, width=100)
    assert "not a date pollstui can read" not in format_poll(poll, ref, results=False)


@pytest.mark.parametrize("value", DISAGREED)
def test_tui_readers_use_the_same_reader(value: str) -> None:
    from pollstui.api.models import Poll
    from pollstui.tui.screens.present import end_moment
    from pollstui.tui.widgets.poll_detail import settings_lines
    from pollstui.tui.widgets.poll_table import end_date_cell
    from pollstui.tui.widgets.settings_form import check_end_date

    poll = Poll.from_api({"id": "p", "title": "T", "settings": {"endDate": value}})
    assert dict(settings_lines(poll))["End date"] == describe_end_date(value)
    assert end_date_cell(value) == "2030-12-31"
    assert end_moment(value) == parse_end_date(value)
    assert check_end_date(value) is None


async def test_the_editor_shows_the_warnings_under_the_end_date(ref_server) -> None:
    from textual.widgets import Label

    from pollstui.dates import END_DATE_HELP
    from tests.tui.test_editor import AUDIT, AUDIT_TITLE, field, loaded_poll, make_app, open_editor

    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, loaded_poll(ref_server, AUDIT, AUDIT_TITLE))
        help_label = screen.query_one("#end-date-help", Label)
        field(screen, "#end-date").value = "2020-01-01T10:00"
        await pilot.pause()
        assert str(help_label.content) == "This end date is in the past. No time zone given: read as UTC (add Z to say so)."
        field(screen, "#end-date").value = "2040-01-01T10:00Z"
        await pilot.pause()
        assert str(help_label.content) == END_DATE_HELP


async def test_a_zone_less_end_date_goes_back_exactly_as_it_came(ref_server, monkeypatch) -> None:
    from textual.widgets import Label

    from tests.tui.test_editor import AUDIT, AUDIT_TITLE, field, loaded_poll, make_app, open_editor, save_and_wait, server_poll

    monkeypatch.setenv("TZ", "Europe/Paris")  # shown in local time; never rewritten to it
    time.tzset()
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    body = {**server_poll(ref_server, AUDIT, poll.id)}
    body["settings"] = {**body["settings"], "endDate": "2040-12-31 17:00"}
    ref_server.store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, body)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, loaded_poll(ref_server, AUDIT, AUDIT_TITLE))
        assert field(screen, "#end-date").value == "2040-12-31 17:00"
        help_text = str(screen.query_one("#end-date-help", Label).content)
        assert help_text == "No time zone given: read as UTC, 18:00 local time (CET, UTC+01:00). Add Z to say so."
        field(screen, "#title").value = "Renamed"
        await save_and_wait(pilot, screen, results)
    saved = server_poll(ref_server, AUDIT, poll.id)
    assert saved["title"] == "Renamed" and saved["settings"]["endDate"] == "2040-12-31 17:00"
