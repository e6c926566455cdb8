"""Closing and reopening voting in the session (pollstui.session.voting): two settings change, every
other field goes back as it came, the change is journalled and undone, failures are outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from pollstui.api.models import Poll
from pollstui.dates import parse_end_date, parse_typed_end
from pollstui.session.journal import Journal
from pollstui.session.saving import SaveStatus
from pollstui.session.voting import change_voting, closed, reopened, voting_state
from tests.session.conftest import AUDIT, AUDIT_TITLE, Answers, loaded, stored

NOW = datetime(2030, 6, 1, 12, tzinfo=timezone.utc)


def test_closed_and_reopened_change_two_settings_and_nothing_else():
    poll = Poll.from_api({"id": "p", "title": "T", "x": [1], "settings": {"endDate": "", "futureSwitch": True}})
    shut = closed(poll, NOW, ZoneInfo("Europe/Paris"))
    assert shut.settings.end_date == "2030-06-01T14:00:00+02:00" and shut.settings.close_poll_on_end_date is True
    assert shut.to_api() == {**poll.to_api(), "settings": {**poll.to_api()["settings"], "endDate": shut.settings.end_date,
                                                           "closePollOnEndDate": True}}  # fmt: skip
    assert voting_state(shut).is_closed(NOW) and not voting_state(poll).is_closed(NOW)
    assert closed(shut, NOW + timedelta(hours=1)).settings.end_date == shut.settings.end_date  # closed stays closed
    until = reopened(shut, parse_typed_end("in 5m", NOW, timezone.utc))
    assert (until.settings.end_date, until.settings.close_poll_on_end_date) == ("2030-06-01T12:05:00+00:00", True)
    open_ = reopened(shut)
    assert (open_.settings.end_date, open_.settings.close_poll_on_end_date) == ("", False)
    assert open_.to_api()["x"] == [1] and open_.to_api()["settings"]["futureSwitch"] is True


async def test_change_voting_is_one_read_one_write_journalled_and_undone(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    before = stored(store, AUDIT, poll.id)
    result = await change_voting(session, AUDIT, poll.id, closed, Answers())
    assert result.outcome.status is SaveStatus.SAVED and not result.unchanged
    after = stored(store, AUDIT, poll.id)
    assert after == {**before, "settings": {**before["settings"], "endDate": after["settings"]["endDate"], "closePollOnEndDate": True}}
    assert abs(parse_end_date(after["settings"]["endDate"]) - datetime.now(timezone.utc)) < timedelta(seconds=30)
    assert Journal.default().last().before == before
    undone = await session.undo(Answers(True))
    assert undone.done and stored(store, AUDIT, poll.id) == before


async def test_nothing_to_change_sends_nothing(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    result = await change_voting(session, AUDIT, poll.id, reopened, Answers())  # no end date, not closing: as it is
    assert result.unchanged and faults.sent == ["GET"]


async def test_failures_are_outcomes(session, make_session, faults):
    gone = await change_voting(session, AUDIT, "00000000-0000-4000-8000-000000000000", closed, Answers())
    assert gone.outcome.status is SaveStatus.GONE and gone.before is None
    faults.fail["GET"] = 503
    failed = await change_voting(session, AUDIT, "any", closed, Answers())
    assert failed.outcome.status is SaveStatus.FAILED and failed.outcome.error is not None
    read_only = await change_voting(make_session(read_only=True), AUDIT, "any", closed, Answers())
    assert read_only.outcome.status is SaveStatus.READ_ONLY
