"""Saving from the editor at the session layer: updates, conflicts, votes, deleted meanwhile, creates,
lost answers (uncertain creates), failures, read-only."""

from __future__ import annotations

from pollstui.api.errors import RequestTimeoutError, ServerError
from pollstui.api.models import Poll
from pollstui.session.ask import ArrivedChoice, ConflictChoice
from pollstui.session.journal import Journal
from pollstui.session.saving import EditBaseline, SaveStatus, normalized
from tests.conftest import TOKEN
from tests.session.conftest import AUDIT, AUDIT_TITLE, Answers, fail_reads_after_the_first, loaded, stored, stored_polls


def change_on_server(store, poll: Poll) -> dict:
    theirs = poll.to_api()
    theirs["title"] = "Renamed by someone else"
    theirs["options"][2]["title"] = "Aurora"
    store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, theirs)
    return stored(store, AUDIT, poll.id)


def new_poll(title: str = "Lunch?") -> Poll:
    return Poll.new(title, options=[{"id": "1", "title": "Yes", "order": 0}, {"id": "2", "title": "No", "order": 1}])


# -- updates ---------------------------------------------------------------------------------------


async def test_an_update_keeps_unknown_fields_and_is_journalled(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    before = stored(store, AUDIT, original.id)
    edited = original.clone()
    edited.title = "Audit log database"
    outcome = await session.save(AUDIT, edited, original, Answers())
    assert outcome.status is SaveStatus.SAVED and outcome.poll.title == "Audit log database"
    after = stored(store, AUDIT, original.id)
    assert after == {**before, "title": "Audit log database"}  # labels, x-origin, colours: untouched
    entry = Journal.default().last()
    assert entry.action == "update" and entry.before == before and entry.after == after


async def test_a_conflict_asks_and_overwrite_saves_mine(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    change_on_server(store, original)
    edited = original.clone()
    edited.description = "Mine"
    answers = Answers(ConflictChoice.OVERWRITE)
    outcome = await session.save(AUDIT, edited, original, answers)
    assert outcome.saved
    assert answers.asked[0][1].title == "Renamed by someone else"  # what the dialog shows as theirs
    now = stored(store, AUDIT, original.id)
    assert now["title"] == AUDIT_TITLE and now["description"] == "Mine" and now["options"][2]["title"] == "DynamoDB"


async def test_a_conflict_reload_hands_back_theirs_after_one_more_question(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    theirs = change_on_server(store, original)
    edited = original.clone()
    edited.description = "Mine"
    refused = await session.save(AUDIT, edited, original, Answers(ConflictChoice.RELOAD, False))
    assert refused.status is SaveStatus.KEPT and "changed on the server" in refused.message
    outcome = await session.save(AUDIT, edited, original, Answers(ConflictChoice.RELOAD, True))
    assert outcome.status is SaveStatus.RELOADED and outcome.poll.title == "Renamed by someone else"
    assert outcome.notice and stored(store, AUDIT, original.id) == theirs
    # the reloaded version is the new original: saving from it is no conflict
    mine = outcome.poll.clone()
    mine.title = "Theirs, then mine"
    assert (await session.save(AUDIT, mine, outcome.poll, Answers())).saved


async def test_a_conflict_keep_sends_nothing(session, store, faults):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    theirs = change_on_server(store, original)
    outcome = await session.save(AUDIT, original.clone(), original, Answers(ConflictChoice.KEEP))
    assert outcome.status is SaveStatus.KEPT and "PUT" not in faults.sent
    assert stored(store, AUDIT, original.id) == theirs


async def test_removing_an_option_with_votes_asks_first(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    edited = original.clone()
    edited.options = [o for o in edited.options if o.id != "ch"]
    answers = Answers(False)
    outcome = await session.save(AUDIT, edited, original, answers)
    assert outcome.status is SaveStatus.KEPT and "votes" in outcome.message
    question = answers.questions[0]
    assert "ClickHouse" in question.message and "removed" in question.message
    assert len(stored(store, AUDIT, original.id)["options"]) == 3
    assert (await session.save(AUDIT, edited, original, Answers(True))).saved
    assert [o["id"] for o in stored(store, AUDIT, original.id)["options"]] == ["pg", "dy"]


async def test_a_poll_deleted_meanwhile_can_be_created_again(session, store):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    store.delete_poll("jira", "PLAT", AUDIT.content, "", original.id)
    kept = await session.save(AUDIT, original.clone(), original, Answers(False))
    assert kept.status is SaveStatus.GONE and "no longer exists" in kept.message
    answers = Answers(True)
    outcome = await session.save(AUDIT, original.clone(), original, answers)
    assert "deleted on the server" in answers.questions[0].title
    assert outcome.saved and outcome.poll.id != original.id
    assert stored(store, AUDIT, outcome.poll.id)["labels"] == ["audit", "q3"]
    assert Journal.default().last().action == "create"


async def test_a_failed_update_is_an_outcome_and_changes_nothing(session, store, faults):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["PUT"] = 500
    edited = original.clone()
    edited.title = "Not saved"
    outcome = await session.save(AUDIT, edited, original, Answers())
    assert outcome.status is SaveStatus.FAILED and isinstance(outcome.error, ServerError)
    assert "500" in outcome.message and TOKEN not in outcome.message
    assert stored(store, AUDIT, original.id)["title"] == AUDIT_TITLE
    assert Journal.default().last() is None


# -- a PUT that failed after it went out (424, 5xx, a lost answer): read back, never "not saved" blindly


async def test_an_update_answered_424_after_the_server_saved_it_is_saved(session, store, faults):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["PUT"] = "acted-424"  # Forge's 55 s cap: the function had finished
    edited = original.clone()
    edited.title = "Saved after all"
    outcome = await session.save(AUDIT, edited, original, Answers())
    assert outcome.saved and outcome.poll.title == "Saved after all"
    assert stored(store, AUDIT, original.id)["title"] == "Saved after all"
    entry = Journal.default().last()
    assert entry.action == "update" and entry.before["title"] == AUDIT_TITLE  # u can undo it


async def test_an_update_answered_500_that_saved_nothing_says_not_saved(session, store, faults):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["PUT"] = 500  # answered without acting: the poll on the server is unchanged
    edited = original.clone()
    edited.title = "Lost"
    outcome = await session.save(AUDIT, edited, original, Answers())
    assert outcome.status is SaveStatus.FAILED and "It was not saved" in outcome.message
    assert not outcome.error.maybe_done and "may or may not" not in str(outcome.error)


async def test_an_update_whose_answer_and_read_back_fail_may_have_saved(session, store, faults, monkeypatch):
    original = loaded(store, AUDIT, AUDIT_TITLE)
    faults.fail["PUT"] = "acted-500"
    fail_reads_after_the_first(monkeypatch, faults, session.client, "get_poll")
    edited = original.clone()
    edited.title = "Maybe"
    outcome = await session.save(AUDIT, edited, original, Answers())
    assert outcome.status is SaveStatus.UNCERTAIN and outcome.error.maybe_done
    assert "may have been saved" in outcome.message and "check" in outcome.message
    assert stored(store, AUDIT, original.id)["title"] == "Maybe"  # it was, in fact


async def test_a_create_answered_424_after_the_server_created_it_is_found_on_the_next_save(session, store, faults):
    faults.fail["POST"] = "acted-424"
    first = await session.save(AUDIT, new_poll("Forge"), None, Answers())
    del faults.fail["POST"]
    assert first.status is SaveStatus.UNCERTAIN and Journal.default().last().uncertain
    answers = Answers(ArrivedChoice.OPEN)
    outcome = await session.save(AUDIT, new_poll("Forge"), None, answers)
    [arrived] = [p for p in stored_polls(store, AUDIT) if p["title"] == "Forge"]
    assert outcome.saved and outcome.poll.id == arrived["id"]


# -- a server that hands polls back its own way (adds fields, drops empty ones, reorders) ---------


def normalising(poll):
    """What a real server may do to a poll on its way out: none of it is someone else's change."""
    if isinstance(poll, list):
        return [normalising(p) for p in poll]
    poll = {**poll, "updatedAt": "2030-01-01T00:00:00Z", "options": list(reversed(poll["options"]))}
    if poll.get("description") == "":
        del poll["description"]
    return dict(reversed(list(poll.items())))


async def test_a_normalising_server_is_no_conflict(session, store, faults):
    original = loaded(store, AUDIT, AUDIT_TITLE)  # as the editor opened it
    faults.reshape["GET"] = normalising  # the poll read before the PUT comes back the server's way
    edited = original.clone()
    edited.title = "Mine"
    outcome = await session.save(AUDIT, edited, original, Answers())  # no conflict question
    assert outcome.saved and stored(store, AUDIT, original.id)["title"] == "Mine"


async def test_a_real_change_on_a_normalising_server_is_still_a_conflict(session, store, faults):
    faults.reshape["GET"] = normalising
    original = loaded(store, AUDIT, AUDIT_TITLE)
    change_on_server(store, original)
    edited = original.clone()
    edited.description = "Mine"
    outcome = await session.save(AUDIT, edited, original, Answers(ConflictChoice.KEEP))
    assert outcome.status is SaveStatus.KEPT


async def test_a_field_filled_in_on_a_server_that_leaves_empty_ones_out_is_a_conflict(session, store, faults):
    """The poll was opened without a description (the server leaves empty fields out); someone
    writes one meanwhile. A save replaces the whole poll: it must ask, not wipe theirs."""
    poll = loaded(store, AUDIT, AUDIT_TITLE)
    store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, {**poll.to_api(), "description": ""})
    faults.reshape["GET"] = normalising
    original = await session.client.get_poll(AUDIT, poll.id, results=True)  # as the list gave it: no description
    store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, {**stored(store, AUDIT, poll.id), "description": "Theirs"})
    edited = original.clone()
    edited.title = "Mine"
    answers = Answers(ConflictChoice.KEEP)
    outcome = await session.save(AUDIT, edited, original, answers)
    assert [kind for kind, _ in answers.asked] == ["conflict"] and outcome.status is SaveStatus.KEPT
    assert stored(store, AUDIT, poll.id)["description"] == "Theirs"


async def test_read_only_saves_nothing(make_session, store, faults):
    session = make_session(read_only=True)
    outcome = await session.save(AUDIT, new_poll(), None, Answers())
    assert outcome.status is SaveStatus.READ_ONLY and "Read-only" in outcome.message and faults.sent == []


def test_normalized_ignores_order_values_but_not_order():
    poll = new_poll()
    shuffled = poll.clone()
    shuffled.options[0].order, shuffled.options[1].order = 5, 9
    assert normalized(shuffled) == normalized(poll)
    swapped = poll.clone()
    swapped.options.reverse()
    swapped.options[0].order, swapped.options[1].order = 0, 1
    assert normalized(swapped) != normalized(poll)


def test_an_edit_baseline_answers_as_comparing_normalized_polls_does():
    """The editor's cheap question (asked after every key) has the answer of the full comparison."""
    poll = new_poll()
    poll.results = {"options": [{"optionId": "1", "votes": 3}]}
    baseline = EditBaseline(poll)

    def edits():  # noqa: ANN202
        yield poll.model_copy()  # the editor's copy: the very same options
        same = poll.clone()
        yield same  # options equal, not the same list
        renamed = poll.clone()
        renamed.options[1].title = "Changed"
        yield renamed
        renumbered = poll.clone()
        renumbered.options[0].order, renumbered.options[1].order = 5, 9
        yield renumbered
        swapped = poll.clone()
        swapped.options.reverse()
        yield swapped  # the same display order: the orders say it
        swapped = poll.clone()
        swapped.options[0].order, swapped.options[1].order = 1, 0
        yield swapped
        fewer = poll.clone()
        fewer.options.pop()
        yield fewer
        retitled = poll.model_copy()
        retitled.title = "Another"
        yield retitled
        voted = poll.model_copy(update={"results": {"options": []}})  # results are never sent
        yield voted

    answers = [baseline.changed_in(edit) for edit in edits()]
    assert answers == [normalized(edit) != normalized(poll) for edit in edits()]
    assert answers == [False, False, True, False, False, True, True, True, False]


# -- creates and lost answers ----------------------------------------------------------------------


async def test_a_create_is_journalled(session, store):
    outcome = await session.save(AUDIT, new_poll(), None, Answers())
    assert outcome.saved and stored(store, AUDIT, outcome.poll.id)["title"] == "Lunch?"
    entry = Journal.default().last()
    assert entry.action == "create" and entry.poll_id == outcome.poll.id and not entry.uncertain


async def lost_create(session, faults, title: str = "Lunch?"):
    """A create whose POST reached the server and whose answer was lost."""
    faults.fail["POST"] = "lost"
    outcome = await session.save(AUDIT, new_poll(title), None, Answers())
    del faults.fail["POST"]
    return outcome


async def test_a_lost_create_is_journalled_as_uncertain(session, store, faults):
    before = {p["id"] for p in stored_polls(store, AUDIT)}
    outcome = await lost_create(session, faults)
    assert outcome.status is SaveStatus.UNCERTAIN and isinstance(outcome.error, RequestTimeoutError)
    assert "may have been created" in outcome.message and "looks for it first" in outcome.message
    entry = Journal.default().last()
    assert entry.uncertain and entry.title == "Lunch?" and set(entry.known_ids) == before


async def test_after_a_lost_create_the_next_save_offers_the_poll_that_arrived(session, store, faults):
    await lost_create(session, faults)
    arrived = [p for p in stored_polls(store, AUDIT) if p["title"] == "Lunch?"]
    assert len(arrived) == 1
    answers = Answers(ArrivedChoice.OPEN)
    outcome = await session.save(AUDIT, new_poll(), None, answers)
    assert answers.asked[0][1].id == arrived[0]["id"]
    assert outcome.saved and outcome.poll.id == arrived[0]["id"] and outcome.notice
    assert len([p for p in stored_polls(store, AUDIT) if p["title"] == "Lunch?"]) == 1  # none created
    entry = Journal.default().last()
    assert entry.poll_id == arrived[0]["id"] and not entry.uncertain  # u can undo it as any create


async def test_after_a_lost_create_the_user_may_create_another_or_keep_editing(session, store, faults):
    await lost_create(session, faults)
    kept = await session.save(AUDIT, new_poll(), None, Answers(ArrivedChoice.KEEP))
    assert kept.status is SaveStatus.KEPT and Journal.default().last().uncertain
    outcome = await session.save(AUDIT, new_poll(), None, Answers(ArrivedChoice.CREATE))
    assert outcome.saved
    assert len([p for p in stored_polls(store, AUDIT) if p["title"] == "Lunch?"]) == 2
    assert [e.uncertain for e in Journal.default().entries()] == [False, False]


async def test_a_lost_create_that_never_arrived_asks_nothing(session, store, faults):
    faults.fail["POST"] = "dropped"
    await session.save(AUDIT, new_poll(), None, Answers())
    del faults.fail["POST"]
    assert Journal.default().last().uncertain
    outcome = await session.save(AUDIT, new_poll(), None, Answers())  # nothing to ask
    assert outcome.saved and [e.uncertain for e in Journal.default().entries()] == [False]


async def test_an_older_poll_with_the_same_title_is_not_taken_for_the_lost_one(session, store, faults):
    await session.save(AUDIT, new_poll(), None, Answers())  # an earlier "Lunch?", known to the session
    faults.fail["POST"] = "dropped"
    await session.save(AUDIT, new_poll(), None, Answers())
    del faults.fail["POST"]
    outcome = await session.save(AUDIT, new_poll(), None, Answers())  # the old one is not offered
    assert outcome.saved


async def test_a_create_refused_before_it_was_sent_is_not_uncertain(session, faults):
    faults.fail["POST"] = "refused"
    outcome = await session.save(AUDIT, new_poll(), None, Answers())
    assert outcome.error is not None and Journal.default().last() is None


async def test_drafted_names_the_polls_that_have_a_draft(tmp_path):
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.session.drafts import DraftStore
    from pollstui.session.session import Session

    ref = ContentRef.create("jira", "PLAT", "PLAT-1")
    drafts = DraftStore(tmp_path / "drafts")
    session = Session(None, drafts=drafts)
    poll = Poll.from_api({"id": "a", "title": "A", "options": []})
    drafts.save(ref, "a", poll, poll)
    drafts.save(ref, None, poll)  # a new poll's draft names no listed poll
    assert await session.drafted(ref, {"a", "b"}) == {"a"}
    await session.discard_draft(ref, "a")
    assert await session.drafted(ref, {"a", "b"}) == set()


async def test_a_create_goes_ahead_when_the_list_before_it_cannot_be_had(session, store, faults):
    # A real server may rate-limit the list, or scope a token that may create but not list.
    faults.fail["GET"] = 429
    outcome = await session.save(AUDIT, new_poll("Made without a list"), None, Answers())
    del faults.fail["GET"]
    assert outcome.saved and stored(store, AUDIT, outcome.poll.id)["title"] == "Made without a list"


async def test_a_change_not_to_be_journalled_is_saved_and_says_no_undo(session, store):
    """``journal=False`` (the CLI's update): saved as any other, nothing recorded, not undoable."""
    original = loaded(store, AUDIT, AUDIT_TITLE)
    edited = original.clone()
    edited.title = "From a script"
    outcome = await session.save(AUDIT, edited, original, Answers(), journal=False)
    assert outcome.saved and stored(store, AUDIT, original.id)["title"] == "From a script"
    assert Journal.default().last() is None and not outcome.undoable
