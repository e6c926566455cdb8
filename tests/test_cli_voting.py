"""`pollstui close`, `pollstui reopen` and `--end-date`, end to end against the reference server (issue 21)."""

from __future__ import annotations

import re
import shlex
import time
from datetime import datetime, timedelta, timezone

import pytest

from pollstui.dates import parse_end_date
from tests.example import STARS_ID
from tests.test_cli import ISSUE, conn, one_error_line, run

UNKNOWN = {
    "title": "Lunch?",
    "description": "d",
    "options": [{"id": "1", "title": "Pizza", "order": 0, "colour": "red"}],
    "settings": {
        "allowSelectionOfMultipleOptions": False, "resultsVisibility": "onFullMoon", "endDate": "",
        "hideAbsoluteNumbers": False, "allowRevote": True, "saveParticipantNames": False,
        "closePollOnEndDate": False, "allowComment": False, "futureSwitch": {"a": [1, None]},
    },
    "labels": ["x", "y"],
}  # fmt: skip


@pytest.fixture(autouse=True)
def paris(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


def stored(server, poll_id: str, content: str = "PLAT-77") -> dict:
    return server.store.get_poll("jira", "PLAT", content, "", poll_id)


def restore_command(out: str) -> list[str]:
    """The printed command, as a shell would split it, without the leading ``pollstui``."""
    line = out.strip().splitlines()[-1]
    found = re.search(r"To go back(?: \(with the token in POLLS_TOKEN\))?: pollstui (.*?)(?: \(and `|$)", line)
    assert found, out
    return shlex.split(found[1])


def test_close_then_the_printed_reopen_gives_every_field_back(capsys, ref_server, monkeypatch):
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", UNKNOWN)["id"]
    before = stored(ref_server, poll_id)
    code, out, err = run(capsys, "close", poll_id, *conn(ref_server, "PLAT-77"))
    assert code == 0, err
    after = stored(ref_server, poll_id)
    assert after["settings"]["closePollOnEndDate"] is True
    ended = parse_end_date(after["settings"]["endDate"])
    assert abs(ended - datetime.now(timezone.utc)) < timedelta(seconds=30)
    assert after["settings"]["endDate"].endswith("+01:00")  # the user's zone, with its offset
    assert after == {**before, "settings": {**before["settings"], "endDate": after["settings"]["endDate"], "closePollOnEndDate": True}}
    assert list(after) == list(before) and list(after["settings"]) == list(before["settings"])
    assert f"Closed voting on poll {poll_id}: Lunch?" in out and "It had no end date." in out

    monkeypatch.setenv("POLLS_TOKEN", ref_server.token)  # as the printed command asks
    code, out, err = run(capsys, *restore_command(out))
    assert code == 0, err
    assert stored(ref_server, poll_id) == before  # exactly as it came
    assert "Reopened voting on" in out


def test_reopen_until_in_5m_and_back_to_an_end_date_with_a_zone(capsys, ref_server, monkeypatch):
    body = {**UNKNOWN, "settings": {**UNKNOWN["settings"], "endDate": "2031-01-02T17:00Z", "closePollOnEndDate": True}}
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", body)["id"]
    code, out, err = run(capsys, "reopen", poll_id, "--until", "in 5m", *conn(ref_server, "PLAT-77"))
    assert code == 0, err
    settings = stored(ref_server, poll_id)["settings"]
    assert settings["closePollOnEndDate"] is True
    left = parse_end_date(settings["endDate"]) - datetime.now(timezone.utc)
    assert timedelta(minutes=4) < left <= timedelta(minutes=5)
    assert "It ended 2031-01-02 17:00 UTC, closing then." in out
    monkeypatch.setenv("POLLS_TOKEN", ref_server.token)
    code, _, err = run(capsys, *restore_command(out))
    assert code == 0, err
    settings = stored(ref_server, poll_id)["settings"]
    assert parse_end_date(settings["endDate"]) == datetime(2031, 1, 2, 17, tzinfo=timezone.utc)
    assert settings["closePollOnEndDate"] is True


def test_reopen_alone_clears_the_end_date_and_stops_closing(capsys, ref_server):
    body = {**UNKNOWN, "settings": {**UNKNOWN["settings"], "endDate": "2020-01-01", "closePollOnEndDate": True}}
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", body)["id"]
    code, out, _ = run(capsys, "reopen", poll_id, *conn(ref_server, "PLAT-77"))
    assert code == 0
    assert stored(ref_server, poll_id)["settings"] == {**body["settings"], "endDate": "", "closePollOnEndDate": False}
    assert "It ended 2020-01-01 (UTC) (passed), closing then." in out  # an old bare date: moment given back
    assert restore_command(out)[-2:] == ["--until", "2020-01-02T00:00:00+00:00"]


def test_the_printed_command_names_the_profile_and_item_used(capsys, ref_server):
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", UNKNOWN)["id"]
    before = stored(ref_server, poll_id)
    code, _, err = run(capsys, "profile", "add", "work", "--endpoint", ref_server.jira_endpoint,
                       "--token", ref_server.token, "--insecure-storage")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "close", poll_id, "-p", "work", "--content", "plat-77")
    assert code == 0, err
    line = out.strip().splitlines()[-1]
    assert line.endswith(f"To go back: pollstui reopen {poll_id} --profile work --content PLAT-77"), line
    assert ref_server.token not in out + err and "POLLS_TOKEN" not in line
    run(capsys, "list", "-p", "work", "--content", "PLAT-1")  # the profile's recent item moves on
    code, _, err = run(capsys, *restore_command(out))
    assert code == 0, err
    assert stored(ref_server, poll_id) == before


def test_a_url_given_becomes_its_endpoint_and_product_never_the_token(capsys, ref_server, monkeypatch):
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", UNKNOWN)["id"]
    before = stored(ref_server, poll_id)
    url = f"{ref_server.jira_endpoint}?token={ref_server.token}&workspace=PLAT&content=PLAT-77"
    code, out, err = run(capsys, "close", poll_id, "--url", url)
    assert code == 0, err
    line = out.strip().splitlines()[-1]
    assert ref_server.token not in out + err and "?" not in line and "--url" not in line
    assert "To go back (with the token in POLLS_TOKEN): pollstui reopen" in line
    assert restore_command(out)[2:] == ["--endpoint", ref_server.jira_endpoint, "--product", "jira", "--content", "PLAT-77"]
    monkeypatch.setenv("POLLS_TOKEN", ref_server.token)
    code, _, err = run(capsys, *restore_command(out))
    assert code == 0, err
    assert stored(ref_server, poll_id) == before


def test_closing_a_closed_poll_sends_nothing(capsys, ref_server):
    body = {**UNKNOWN, "settings": {**UNKNOWN["settings"], "endDate": "2020-01-01T00:00Z", "closePollOnEndDate": True}}
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", body)["id"]
    before = stored(ref_server, poll_id)
    code, out, _ = run(capsys, "close", poll_id, *conn(ref_server, "PLAT-77"))
    assert code == 0
    assert out.strip() == f"Nothing to change: poll {poll_id} (Lunch?) already ends 2020-01-01 00:00 UTC (passed), closing then."
    assert stored(ref_server, poll_id) == before  # its end date stays when it closed


def test_close_json_keeps_stdout_for_the_poll(capsys, ref_server):
    code, out, err = run(capsys, "close", STARS_ID, "--json", *conn(ref_server))
    assert code == 0
    import json

    assert json.loads(out)["settings"]["closePollOnEndDate"] is True
    assert "pollstui: note: It had no end date" in err


@pytest.mark.parametrize("argv", [["close", STARS_ID], ["reopen", STARS_ID, "--until", "in 5m"]])
def test_read_only_refuses(capsys, ref_server, argv):
    before = stored(ref_server, STARS_ID, ISSUE)
    code, _, err = run(capsys, *argv, "--read-only", *conn(ref_server))
    assert code == 3 and "read-only" in one_error_line(err)
    assert stored(ref_server, STARS_ID, ISSUE) == before


def test_a_missing_poll_is_exit_4(capsys, ref_server):
    code, _, err = run(capsys, "close", "00000000-0000-4000-8000-000000000000", *conn(ref_server))
    assert code == 4
    one_error_line(err)


@pytest.mark.parametrize("argv", [["reopen", STARS_ID, "--until", "next friday"], ["update", STARS_ID, "--end-date", "soon"]])
def test_a_date_pollstui_cannot_read_is_exit_2_and_says_what_to_type(capsys, ref_server, argv):
    before = stored(ref_server, STARS_ID, ISSUE)
    code, _, err = run(capsys, *argv, *conn(ref_server))
    assert code == 2 and "fri 17:00" in one_error_line(err)
    assert stored(ref_server, STARS_ID, ISSUE) == before


def test_update_end_date_keeps_everything_else(capsys, ref_server):
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", UNKNOWN)["id"]
    before = stored(ref_server, poll_id)
    code, _, err = run(capsys, "update", poll_id, "--end-date", "2031-12-24", *conn(ref_server, "PLAT-77"))
    assert code == 0, err
    after = stored(ref_server, poll_id)
    assert after == {**before, "settings": {**before["settings"], "endDate": "2031-12-24T23:59:59+01:00"}}


def test_create_with_an_end_date_and_a_past_one_is_warned(capsys, ref_server):
    code, out, err = run(capsys, "create", "--template", "yes-no", "--title", "Now?", "--end-date", "2020-01-01", *conn(ref_server, "PLAT-78"))
    assert code == 0
    assert "warning: --end-date '2020-01-01' is in the past" in err
    created = ref_server.store.list_polls("jira", "PLAT", "PLAT-78", "")[0]
    assert created["settings"]["endDate"] == "2020-01-01T23:59:59+01:00"
