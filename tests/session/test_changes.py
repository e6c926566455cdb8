"""Delete, undo and duplicate at the session layer, against the reference server (ASGI)."""

from __future__ import annotations

import re
from typing import Any

from pollstui.api.models import Poll
from pollstui.session.ask import ArrivedChoice
from pollstui.session.listing import Source
from pollstui.session.journal import Journal
from tests.session.conftest import AUDIT, AUDIT_TITLE, OTHER, Answers, fail_reads_after_the_first, loaded, poll_body, stored, stored_polls


# -- delete ----------------------------------------------------------------------------------------


async def test_delete_asks_naming_the_poll_and_its_votes(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    answers = Answers(False)
    outcome = await session.delete(AUDIT, poll, answers)
    question = answers.questions[0]
    assert AUDIT_TITLE in question.title and f"Its {poll.total_votes} votes will be lost" in question.message
    assert question.destructive
    assert not outcome.done and outcome.message == "" and stored(store, AUDIT, poll.id) is not None
    assert Journal.default().last() is None


async def test_delete_then_undo_brings_it_back_with_a_new_id(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    before = stored(store, AUDIT, poll.id)
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert outcome.done and outcome.ref == AUDIT and outcome.undoable and outcome.message == f"Deleted “{AUDIT_TITLE}”."
    assert stored(store, AUDIT, poll.id) is None
    entry = Journal.default().last()
    assert entry.action == "delete" and entry.before == before

    undone = await session.undo(Answers())  # undoing a delete asks nothing: it only re-creates
    assert undone.done and "new id" in undone.message and undone.ref == AUDIT
    assert {**stored(store, AUDIT, undone.poll.id), "id": poll.id} == before  # unknown fields too
    assert Journal.default().last() is None


async def test_a_delete_not_to_be_journalled_says_it_cannot_be_undone(session, store, faults):
    """``journal=False`` (the CLI's delete): the question does not promise u, nothing is recorded,
    and the poll is not fetched again for a journal entry."""
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    answers = Answers(True)
    outcome = await session.delete(AUDIT, poll, answers, journal=False)
    assert "cannot be undone" in answers.questions[0].message and "u" not in answers.questions[0].message.split()
    assert outcome.done and "undo" not in outcome.message and stored(store, AUDIT, poll.id) is None
    assert Journal.default().last() is None and faults.sent == ["DELETE"]


async def test_deleting_a_poll_already_gone_says_so(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    store.delete_poll("jira", "PLAT", AUDIT.content, "", poll.id)
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert outcome.done and "already deleted" in outcome.message and outcome.severity == "warning"


async def test_a_failed_delete_is_an_error_outcome_and_not_journalled(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["DELETE"] = 500
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert not outcome.done and outcome.severity == "error" and outcome.title == "Not deleted"
    assert "500" in outcome.message
    assert stored(store, AUDIT, poll.id) is not None and Journal.default().last() is None


async def test_a_delete_answered_424_after_the_server_deleted_it_is_deleted(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["DELETE"] = "acted-424"
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert outcome.done and outcome.title == "Deleted" and stored(store, AUDIT, poll.id) is None
    entry = Journal.default().last()
    assert entry.action == "delete" and not entry.uncertain


async def test_a_delete_answered_500_with_the_poll_still_there_is_not_deleted(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["DELETE"] = 500  # answered without acting
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert not outcome.done and outcome.title == "Not deleted" and "still on" in outcome.message
    assert Journal.default().last() is None


async def test_a_delete_whose_outcome_cannot_be_told_is_maybe_and_u_checks(session, store, faults, monkeypatch):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["DELETE"] = "acted-500"
    fail_reads_after_the_first(monkeypatch, faults, session.client, "get_poll_json")
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert not outcome.done and outcome.title == "Maybe deleted" and outcome.severity == "warning"
    assert "may have been deleted" in outcome.message and outcome.undoable
    assert Journal.default().last().uncertain
    faults.fail.clear()
    monkeypatch.undo()
    undone = await session.undo(Answers())  # it was gone: undo brings it back
    assert undone.done and "new id" in undone.message
    assert stored(store, AUDIT, undone.poll.id)["title"] == AUDIT_TITLE


async def test_undo_of_an_uncertain_delete_of_a_poll_still_there_does_nothing(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    Journal.default().record("delete", AUDIT, session.endpoint, poll.id, stored(store, AUDIT, poll.id), None, uncertain=True)
    outcome = await session.undo(Answers())
    assert "never deleted" in outcome.message and Journal.default().last() is None
    assert len([p for p in stored_polls(store, AUDIT) if p["title"] == AUDIT_TITLE]) == 1  # no copy made


async def test_an_uncertain_delete_is_not_taken_for_a_lost_create(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    Journal.default().record("delete", AUDIT, session.endpoint, poll.id, stored(store, AUDIT, poll.id), None, uncertain=True)
    outcome = await session.save(AUDIT, Poll.from_api(poll_body("New")), None, Answers())  # asks nothing
    assert outcome.saved
    assert [(e.action, e.uncertain) for e in Journal.default().entries()] == [("delete", True), ("create", False)]


async def test_an_unreadable_poll_can_be_deleted_and_its_json_is_journalled(session, store):
    bad = store.create_poll("jira", "PLAT", AUDIT.content, "", {"title": "Broken", "options": "not a list"})
    listing = await session.load(AUDIT)
    item = listing.unreadable[0]
    answers = Answers(True)
    outcome = await session.delete(AUDIT, item, answers)
    assert "Broken" in answers.questions[0].title and "Its votes (if any)" in answers.questions[0].message
    assert outcome.done and stored(store, AUDIT, bad["id"]) is None
    assert Journal.default().last().before == bad  # as the server sent it, to send back on undo


# -- undo ------------------------------------------------------------------------------------------


async def test_nothing_to_undo(session):
    outcome = await session.undo(Answers())
    assert not outcome.done and "Nothing to undo" in outcome.message


async def test_undo_of_an_update_asks_then_puts_the_previous_version_back(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    before = stored(store, AUDIT, original.id)
    edited = original.clone()
    edited.title = "Edited"
    await session.save(AUDIT, edited, original, Answers())
    refused = await session.undo(Answers(False))
    assert not refused.done and stored(store, AUDIT, original.id)["title"] == "Edited"
    answers = Answers(True)
    outcome = await session.undo(answers)
    assert "before your change" in answers.questions[0].message
    assert outcome.done and "previous version is back" in outcome.message
    assert stored(store, AUDIT, original.id) == before and Journal.default().last() is None


async def test_undo_of_an_update_answered_500_is_read_back_as_a_save_is(session, store, faults):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    edited = original.clone()
    edited.title = "Edited"
    await session.save(AUDIT, edited, original, Answers())
    faults.fail["PUT"] = 500  # answered without acting: the poll is as the edit left it
    outcome = await session.undo(Answers(True))
    assert not outcome.done and outcome.title == "Not undone" and "not saved" in outcome.message
    assert stored(store, AUDIT, original.id)["title"] == "Edited" and Journal.default().last() is not None
    faults.fail["PUT"] = "acted-500"  # done, its answer a 500: the undo happened
    outcome = await session.undo(Answers(True))
    assert outcome.done and "previous version is back" in outcome.message
    assert stored(store, AUDIT, original.id)["title"] == AUDIT_TITLE and Journal.default().last() is None


async def test_undo_asks_again_when_the_poll_changed_since(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    edited = original.clone()
    edited.title = "Mine"
    saved = (await session.save(AUDIT, edited, original, Answers())).poll
    store.replace_poll("jira", "PLAT", AUDIT.content, "", original.id, {**saved.to_api(), "title": "Theirs"})
    answers = Answers(True, False)
    outcome = await session.undo(answers)
    assert answers.questions[1].title == "Undo anyway?" and "changed on the server" in answers.questions[1].message
    assert not outcome.done and stored(store, AUDIT, original.id)["title"] == "Theirs"
    assert (await session.undo(Answers(True, True))).done
    assert stored(store, AUDIT, original.id)["title"] == AUDIT_TITLE


async def test_undo_on_a_server_that_normalises_polls_is_not_changed_since(session, store, faults):
    def normalising(poll):  # fields added, empty ones dropped, keys and options in its own order
        if isinstance(poll, list):
            return [normalising(p) for p in poll]
        poll = {**poll, "updatedAt": "2030-01-01T00:00:00Z", "options": list(reversed(poll["options"]))}
        poll["settings"] = {k: v for k, v in reversed(poll["settings"].items()) if v not in ("", False)}
        return dict(reversed(list(poll.items())))

    faults.reshape["GET"] = normalising
    original = loaded(store, AUDIT, AUDIT_TITLE)
    edited = original.clone()
    edited.title = "Mine"
    assert (await session.save(AUDIT, edited, original, Answers())).saved
    outcome = await session.undo(Answers(True))  # one question (undo?), no "changed since"
    assert outcome.done and stored(store, AUDIT, original.id)["title"] == AUDIT_TITLE
    # A real change by someone else is still caught.
    assert (await session.save(AUDIT, edited, loaded(store, AUDIT, AUDIT_TITLE), Answers())).saved
    saved = stored(store, AUDIT, original.id)
    store.replace_poll("jira", "PLAT", AUDIT.content, "", original.id, {**saved, "title": "Theirs"})
    answers = Answers(True, False)
    assert not (await session.undo(answers)).done
    assert answers.questions[1].title == "Undo anyway?"


async def test_undo_of_a_create_with_votes_asks_again(session, store):
    created = (await session.save(AUDIT, Poll.from_api(poll_body("New")), None, Answers())).poll
    store.add_vote(created.id, ["1"], "ana")
    answers = Answers(True, True)
    outcome = await session.undo(answers)
    assert "1 vote" in answers.questions[1].message
    assert outcome.done and stored(store, AUDIT, created.id) is None


async def test_undo_of_a_create_already_gone_and_of_an_update_of_a_poll_gone(session, store):
    created = (await session.save(AUDIT, Poll.from_api(poll_body("New")), None, Answers())).poll
    store.delete_poll("jira", "PLAT", AUDIT.content, "", created.id)
    outcome = await session.undo(Answers(True))
    assert outcome.done and "already deleted" in outcome.message

    original = loaded(store, AUDIT, AUDIT_TITLE)
    edited = original.clone()
    edited.title = "x"
    await session.save(AUDIT, edited, original, Answers())
    store.delete_poll("jira", "PLAT", AUDIT.content, "", original.id)
    outcome = await session.undo(Answers(True))
    assert not outcome.done and "no longer exists" in outcome.message
    assert Journal.default().last() is None


async def test_undo_walks_back_through_delete_update_create_on_the_new_id(session, store):
    created = (await session.save(AUDIT, Poll.from_api(poll_body("v1")), None, Answers())).poll
    v2 = created.clone()
    v2.title = "v2"
    await session.save(AUDIT, v2, created, Answers())
    await session.delete(AUDIT, (await session.load(AUDIT)).polls[-1], Answers(True))
    restored = await session.undo(Answers())  # delete → re-created as v2, with a new id
    assert restored.done and stored(store, AUDIT, restored.poll.id)["title"] == "v2"
    assert (await session.undo(Answers(True))).done  # update → back to v1, on the new id
    assert stored(store, AUDIT, restored.poll.id)["title"] == "v1"
    assert (await session.undo(Answers(True))).done  # create → deleted
    assert stored(store, AUDIT, restored.poll.id) is None and Journal.default().entries() == []


async def test_a_failed_undo_keeps_the_entry(session, store, faults):
    created = (await session.save(AUDIT, Poll.from_api(poll_body("Keep me")), None, Answers())).poll
    faults.fail["DELETE"] = 403
    outcome = await session.undo(Answers(True))
    assert not outcome.done and outcome.title == "Not undone" and outcome.error is not None
    assert Journal.default().last().poll_id == created.id
    faults.fail["DELETE"] = 500  # answered without acting: looked at, it is still there
    outcome = await session.undo(Answers(True))
    assert outcome.title == "Not undone" and "still on" in outcome.message and "Try again" in outcome.message
    assert Journal.default().last().poll_id == created.id
    faults.fail["DELETE"] = "acted-500"  # carried out, its answer a 500: looked at, it is gone
    assert (await session.undo(Answers(True))).done and Journal.default().last() is None


async def test_an_undo_whose_outcome_cannot_be_told_is_maybe_and_keeps_the_entry(session, store, faults, monkeypatch):
    created = (await session.save(AUDIT, Poll.from_api(poll_body("Keep me")), None, Answers())).poll
    faults.fail["DELETE"] = "acted-500"
    fail_reads_after_the_first(monkeypatch, faults, session.client, "get_poll_json")  # the look after the DELETE fails
    outcome = await session.undo(Answers(True))
    assert outcome.title == "Maybe undone" and "looking failed too" in outcome.message
    assert outcome.check_before == "undoing again"  # each front end words the check
    assert Journal.default().last().poll_id == created.id


async def test_undo_of_a_lost_create_finds_the_poll_that_arrived_and_deletes_it(session, store, faults):
    faults.fail["POST"] = "lost"
    await session.save(AUDIT, Poll.from_api(poll_body("Lost")), None, Answers())
    del faults.fail["POST"]
    assert Journal.default().last().uncertain
    arrived = [p for p in stored_polls(store, AUDIT) if p["title"] == "Lost"]
    answers = Answers(True)
    outcome = await session.undo(answers)
    assert "Lost" in answers.questions[0].message
    assert outcome.done and stored(store, AUDIT, arrived[0]["id"]) is None


async def test_undo_of_a_lost_create_that_never_arrived_only_drops_it(session, store, faults):
    faults.fail["POST"] = "dropped"
    await session.save(AUDIT, Poll.from_api(poll_body("Lost")), None, Answers())
    del faults.fail["POST"]
    outcome = await session.undo(Answers())
    assert "never arrived" in outcome.message and Journal.default().last() is None


async def test_read_only_changes_nothing(make_session, store, faults):
    session = make_session(read_only=True)
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    for outcome in (
        await session.delete(AUDIT, poll, Answers()),
        await session.undo(Answers()),
        await session.duplicate(AUDIT, poll, AUDIT),
    ):
        # The session says it refuses, not how to leave read-only mode: the flag or the profile
        # may have set it, and each front end words the way out (the CLI's flag is not the TUI's).
        assert not outcome.done and "Read-only" in outcome.message and "--read-only" not in outcome.message
    assert faults.sent == []


# -- duplicate -------------------------------------------------------------------------------------


async def test_duplicate_here_and_to_another_content_item(session, store):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    source = stored(store, AUDIT, poll.id)
    here = await session.duplicate(AUDIT, poll, AUDIT)
    assert here.done and here.ref == AUDIT and here.poll.title == AUDIT_TITLE + " (copy)"
    assert stored(store, AUDIT, here.poll.id) == {**source, "id": here.poll.id, "title": AUDIT_TITLE + " (copy)"}
    there = await session.duplicate(AUDIT, poll, OTHER)
    assert there.done and there.ref == OTHER and there.poll.title == AUDIT_TITLE
    assert "on PLAT-254611" in there.message
    entries = Journal.default().entries()
    assert [(e.action, e.ref, e.poll_id) for e in entries] == [("create", AUDIT, here.poll.id), ("create", OTHER, there.poll.id)]
    assert (await session.load(OTHER)).source is Source.FRESH


async def test_a_duplicate_answered_424_after_the_server_made_it_is_found_not_made_twice(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["POST"] = "acted-424"
    outcome = await session.duplicate(AUDIT, poll, AUDIT)
    copies = [p for p in stored_polls(store, AUDIT) if p["title"] == AUDIT_TITLE + " (copy)"]
    assert outcome.done and outcome.title == "Duplicated" and [outcome.poll.id] == [p["id"] for p in copies]
    assert Journal.default().last().poll_id == outcome.poll.id  # undo undoes it


async def test_a_duplicate_answered_500_before_the_server_made_it_says_maybe(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["POST"] = 500  # answered without acting: nothing arrives
    outcome = await session.duplicate(AUDIT, poll, AUDIT)
    assert not outcome.done and outcome.title == "Maybe duplicated" and "has not arrived" in outcome.message
    assert outcome.undoable
    entry = Journal.default().last()
    assert entry.action == "create" and entry.uncertain  # journalled as an editor's lost create is
    del faults.fail["POST"]
    outcome = await session.undo(Answers())
    assert "never arrived" in outcome.message and Journal.default().last() is None


async def _a_lost_copy_that_arrives_later(session, store, faults) -> tuple[Poll, dict]:  # noqa: ANN001
    """A duplicate answered 500 without the server making it (so "Maybe duplicated", journalled
    uncertain); then the copy arrives on the server all the same: the poll and the copy."""
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["POST"] = 500
    await session.duplicate(AUDIT, poll, AUDIT)
    del faults.fail["POST"]
    copy = {**stored(store, AUDIT, poll.id), "title": AUDIT_TITLE + " (copy)"}
    return poll, store.create_poll(AUDIT.product, AUDIT.workspace, AUDIT.content, AUDIT.container, copy)


async def test_a_maybe_duplicated_copy_that_arrives_later_is_found_by_undo(session, store, faults):
    _, late = await _a_lost_copy_that_arrives_later(session, store, faults)
    answers = Answers(True)
    outcome = await session.undo(answers)
    assert "(copy)" in answers.questions[0].message
    assert outcome.done and stored(store, AUDIT, late["id"]) is None and Journal.default().last() is None


async def test_duplicating_again_takes_the_maybe_duplicated_copy_that_arrived_since(session, store, faults):
    poll, late = await _a_lost_copy_that_arrives_later(session, store, faults)
    outcome = await session.duplicate(AUDIT, poll, AUDIT)  # the user tries again
    assert outcome.done and outcome.poll.id == late["id"] and "no second one" in outcome.message
    assert [p["title"] for p in stored_polls(store, AUDIT)].count(AUDIT_TITLE + " (copy)") == 1
    assert [(e.action, e.poll_id, e.uncertain) for e in Journal.default().entries()] == [("create", late["id"], False)]


async def test_duplicating_again_after_a_copy_that_never_arrived_makes_one(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["POST"] = 500
    await session.duplicate(AUDIT, poll, AUDIT)
    del faults.fail["POST"]
    outcome = await session.duplicate(AUDIT, poll, AUDIT)
    assert outcome.done and "Duplicated as" in outcome.message
    assert [(e.action, e.poll_id, e.uncertain) for e in Journal.default().entries()] == [("create", outcome.poll.id, False)]


async def test_after_a_maybe_duplicated_copy_arrives_the_next_new_poll_there_offers_it(session, store, faults):
    _, late = await _a_lost_copy_that_arrives_later(session, store, faults)
    answers = Answers(ArrivedChoice.OPEN)
    outcome = await session.save(AUDIT, Poll.from_api(poll_body("Another")), None, answers)
    assert answers.asked[0][1].id == late["id"] and outcome.saved and outcome.poll.id == late["id"]


async def test_a_duplicate_whose_look_fails_too_does_not_say_the_copy_has_not_arrived(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    await session.load(AUDIT)  # the ids before the POST are known; the look after it is refused
    faults.fail["POST"] = "acted-500"  # the copy is made, its answer is a 500
    faults.fail["GET"] = 503
    outcome = await session.duplicate(AUDIT, poll, AUDIT)
    assert outcome.title == "Maybe duplicated" and outcome.check_before == "duplicating it again"
    assert "has not arrived" not in outcome.message and "looking for it failed too" in outcome.message
    assert outcome.undoable and Journal.default().last().uncertain
    faults.fail.clear()
    undone = await session.undo(Answers(True))  # it was there all along: undo finds it and removes it
    assert undone.done and AUDIT_TITLE + " (copy)" not in [p["title"] for p in stored_polls(store, AUDIT)]


async def test_a_restore_that_has_not_arrived_says_so_once_with_one_check(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    await session.delete(AUDIT, poll, Answers(True))
    faults.fail["POST"] = 500  # answered without acting: nothing arrives
    outcome = await session.undo(Answers())
    assert outcome.title == "Maybe undone" and "has not arrived" in outcome.message
    assert "refresh" not in outcome.message.lower() and outcome.check_before == "undoing again"
    assert "looks for it" in outcome.message
    del faults.fail["POST"]
    outcome = await session.undo(Answers())  # it never arrived: restored now
    assert outcome.done and [p["title"] for p in stored_polls(store, AUDIT)].count(AUDIT_TITLE) == 1
    assert Journal.default().last() is None


async def test_undo_again_after_a_restore_made_unseen_takes_it_and_restores_nothing_more(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    await session.delete(AUDIT, poll, Answers(True))
    await session.load(AUDIT)  # the ids before the restore are known; the look after it is refused
    faults.fail["POST"] = "acted-500"  # restored, its answer a 500
    faults.fail["GET"] = 503
    outcome = await session.undo(Answers())
    assert outcome.title == "Maybe undone" and "looking for it failed too" in outcome.message
    faults.fail.clear()
    outcome = await session.undo(Answers())  # the user presses u again
    assert outcome.done and "Restored" in outcome.message
    assert [p["title"] for p in stored_polls(store, AUDIT)].count(AUDIT_TITLE) == 1  # not restored twice
    assert Journal.default().last() is None


async def test_undoing_a_delete_whose_restore_was_answered_500_restores_it_once(session, store, faults):
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    await session.delete(AUDIT, poll, Answers(True))
    faults.fail["POST"] = "acted-500"
    outcome = await session.undo(Answers())
    assert outcome.done and "new id" in outcome.message
    assert [p["title"] for p in stored_polls(store, AUDIT)].count(AUDIT_TITLE) == 1
    assert Journal.default().last() is None  # nothing left to restore a second time


# -- facts, not keys: the front ends word undo with their own keys (the CLI has none) ------------

#: A key as a message would name it ("u", "U", "ctrl+z", "^z", "f5"), and how it would: "press u",
#: "u to undo", "u brings it back", "undo with u".
KEY = r"(?:\w|ctrl\+\w+|\^\w|f\d\d?)(?!\w)"
NAMES_A_KEY = re.compile(rf"(?i)\bpress(?:ing)? {KEY}|(?<!\w){KEY} (?:to undo|brings it back|removes it)|\bundo with {KEY}")


def words_of(*told: Any) -> list[str]:
    """Every text an outcome or a question holds for the user."""
    texts = []
    for item in told:
        texts += [getattr(item, name, "") for name in ("message", "notice", "warning", "title", "check_before", "ask_again")]
    return [text for text in texts if text]


async def test_no_outcome_or_question_names_a_key(session, store, faults):
    """Delete, undo, duplicate (made, and maybe made), save: facts (``undoable``), never a key."""
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    answers = Answers(True, True, True)
    told = [await session.delete(AUDIT, poll, answers)]
    told.append(await session.undo(answers))
    told.append(await session.duplicate(AUDIT, poll, AUDIT))
    faults.fail["POST"] = 500
    told.append(await session.duplicate(AUDIT, poll, OTHER))
    faults.fail.clear()
    edited = loaded(store, AUDIT, AUDIT_TITLE)
    edited.title = "Renamed"
    told.append(await session.save(AUDIT, edited, loaded(store, AUDIT, AUDIT_TITLE), answers))
    assert [t.undoable for t in told] == [True, False, True, True, True]
    texts = words_of(*told, *answers.questions)
    assert len(texts) >= 8 and not [text for text in texts if NAMES_A_KEY.search(text)], texts


async def test_a_change_the_journal_cannot_hold_is_not_undoable_and_says_so(session, store, monkeypatch):
    poll = loaded(store, AUDIT, AUDIT_TITLE)

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(session.journal, "record", full_disk)
    outcome = await session.delete(AUDIT, poll, Answers(True))
    assert outcome.done and not outcome.undoable and outcome.severity == "warning"
    assert "No space left on device" in outcome.message and "cannot be undone" in outcome.message
