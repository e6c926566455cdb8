"""The undo journal's file (undo itself: test_changes.py)."""

from __future__ import annotations

import json
import stat

import pytest

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.api.models import Poll
from pollstui.session.journal import Journal, JournalEntry
from tests.session.conftest import poll_body

REF = ContentRef.create("jira", "PLAT", "PLAT-254630")
ENDPOINT = "https://example.invalid/x1/abc"


# -- the file ------------------------------------------------------------------------------------


def test_default_path_and_private_file():
    journal = Journal.default()
    assert journal.path == paths.journal_file()
    journal.record("create", REF, ENDPOINT, "p1", None, {"id": "p1", **poll_body()})
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    line = json.loads(journal.path.read_text().splitlines()[0])
    assert set(line) == {"time", "action", "ref", "endpoint", "poll_id", "before", "after"}
    assert line["ref"] == REF.to_dict()
    assert line["before"] is None and line["after"]["topLevelExtra"] == {"a": [1]}


def test_record_last_remove_by_endpoint():
    journal = Journal.default()
    assert journal.last() is None
    journal.record("create", REF, ENDPOINT, "p1", None, poll_body())
    journal.record("update", REF, "https://other.invalid/x", "p2", poll_body("a"), poll_body("b"))
    journal.record("delete", REF, ENDPOINT, "p3", poll_body("gone"), None)
    assert journal.last().poll_id == "p3"
    assert journal.last("https://other.invalid/x").poll_id == "p2"
    assert journal.remove(journal.last(ENDPOINT))
    assert [e.poll_id for e in journal.entries()] == ["p1", "p2"]
    first = journal.last(ENDPOINT)
    assert first.poll_id == "p1" and journal.remove(first)
    assert journal.last(ENDPOINT) is None and not journal.remove(first)
    assert len(journal) == 1
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_results_are_never_journalled_and_polls_are_dumped_as_sent():
    journal = Journal.default()
    poll = Poll.from_api({**poll_body(), "id": "p1", "results": {"totalVotes": 1, "options": []}})
    entry = journal.record("update", REF, ENDPOINT, "p1", poll, poll)
    assert "results" not in entry.before and "results" not in entry.after
    assert entry.before["settings"]["unknownSetting"] == "kept"


def test_damaged_lines_are_skipped(tmp_path):
    journal = Journal(tmp_path / "j.jsonl")
    journal.record("create", REF, ENDPOINT, "p1", None, poll_body())
    with journal.path.open("a") as fh:
        fh.write('{"action": "create", "ref": {"produ')  # a crash mid-append
    assert [e.poll_id for e in journal.entries()] == ["p1"]
    journal.record("create", REF, ENDPOINT, "p2", None, poll_body())
    assert [e.poll_id for e in journal.entries()] == ["p1"]  # appended to the broken line…
    journal.remove(journal.last())
    assert journal.entries() == []


def test_unknown_action_is_refused():
    with pytest.raises(ValueError):
        Journal.default().record("rename", REF, ENDPOINT, "p1", None, None)  # type: ignore[arg-type]


def test_remap_poll_id():
    journal = Journal.default()
    journal.record("update", REF, ENDPOINT, "old", {"id": "old", **poll_body()}, {"id": "old", **poll_body("b")})
    journal.record("update", REF, ENDPOINT, "keep", {"id": "keep"}, {"id": "keep"})
    assert journal.remap_poll_id(ENDPOINT, REF, "old", "new") == 1
    first = journal.entries()[0]
    assert first.poll_id == "new" and first.before["id"] == "new" and first.after["id"] == "new"


def test_entry_round_trip():
    entry = JournalEntry("delete", REF, ENDPOINT, "p1", poll_body(), None, "2025-01-01T00:00:00+00:00")
    assert JournalEntry.from_dict(entry.to_dict()) == entry
    assert entry.title == "Lunch?"


def test_an_uncertain_create_round_trips_and_settles_into_a_plain_one():
    journal = Journal.default()
    journal.record("create", REF, ENDPOINT, "", None, poll_body("Lost"), uncertain=True, known_ids={"b", "a"})
    entry = journal.uncertain(ENDPOINT, REF)
    assert entry is not None and entry.poll_id == "" and entry.known_ids == ["a", "b"]
    assert entry.title == "Lost" and journal.uncertain("https://other.invalid/x", REF) is None
    assert journal.settle(entry, "p9", {"id": "p9", **poll_body("Lost")})
    settled = journal.last()
    assert settled.poll_id == "p9" and not settled.uncertain and settled.after["id"] == "p9"
    assert journal.uncertain(ENDPOINT, REF) is None
