"""DraftStore: the editor's autosaved state, one 0600 file per (content item, poll)."""

from __future__ import annotations

import json
import stat
from datetime import datetime

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.api.models import Poll
from pollstui.session.drafts import Draft, DraftStore

JIRA = ContentRef.create("jira", "PLAT", "PLAT-1")
OTHER = ContentRef.create("jira", "PLAT", "PLAT-2")
CONFLUENCE = ContentRef.create("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")

ORIGINAL = {
    "id": "p1",
    "title": "Lunch?",
    "description": "",
    "labels": ["x"],
    "options": [{"id": "a", "title": "Pizza", "order": 0, "color": "#f00"}],
    "settings": {"allowRevote": False, "mystery": {"deep": [1, 2]}},
    "results": {"totalVotes": 3, "options": [{"optionId": "a", "votes": 3}]},
}


def edited() -> Poll:
    poll = Poll.from_api(ORIGINAL)
    poll.title = "Lunch on Friday?"
    return poll


def test_default_lives_in_the_drafts_dir():
    assert DraftStore.default().dir == paths.drafts_dir()


def test_save_load_round_trip_keeps_everything():
    store = DraftStore.default()
    store.save(JIRA, "p1", edited(), Poll.from_api(ORIGINAL))
    draft = store.load(JIRA, "p1")
    assert draft is not None
    assert draft.ref == JIRA and draft.poll_id == "p1" and not draft.is_new
    assert draft.poll["title"] == "Lunch on Friday?"
    # unknown fields at every level, in the edited poll and in the original
    assert draft.poll["labels"] == ["x"]
    assert draft.poll["options"][0]["color"] == "#f00"
    assert draft.poll["settings"]["mystery"] == {"deep": [1, 2]}
    assert "results" not in draft.poll
    # the original keeps its results (vote warnings after a restore need them)
    assert draft.original == ORIGINAL
    assert draft.poll_model().to_api() == edited().to_api()
    assert draft.original_model().results_view.votes_for("a") == 3
    assert draft.saved_at


def test_file_is_private_and_atomic():
    store = DraftStore.default()
    store.save(JIRA, None, Poll.new("x"))
    path = store.path_for(JIRA, None)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_drafts_are_keyed_by_content_and_poll():
    store = DraftStore.default()
    store.save(JIRA, None, Poll.new("new on 1"))
    store.save(JIRA, "p1", Poll.new("edit p1"))
    store.save(OTHER, None, Poll.new("new on 2"))
    store.save(CONFLUENCE, None, Poll.new("confluence"))
    assert store.load(JIRA, None).title == "new on 1"
    assert store.load(JIRA, None).is_new
    assert store.load(JIRA, "p1").title == "edit p1"
    assert store.load(OTHER, None).title == "new on 2"
    assert store.load(CONFLUENCE, None).ref == CONFLUENCE
    assert store.load(OTHER, "p1") is None
    assert len(store.all()) == 4


def test_exists_and_discard():
    store = DraftStore.default()
    assert not store.exists(JIRA, "p1")
    assert store.discard(JIRA, "p1") is False
    store.save(JIRA, "p1", edited())
    assert store.exists(JIRA, "p1")
    assert store.discard(JIRA, "p1") is True
    assert not store.exists(JIRA, "p1")
    assert store.load(JIRA, "p1") is None


def test_save_replaces_the_previous_draft():
    store = DraftStore.default()
    store.save(JIRA, "p1", Poll.new("first"))
    store.save(JIRA, "p1", Poll.new("second"))
    assert store.load(JIRA, "p1").title == "second"
    assert len(list(store.dir.glob("*.json"))) == 1


def test_a_damaged_draft_is_no_draft_and_is_set_aside():
    store = DraftStore.default()
    store.save(JIRA, "p1", edited())
    path = store.path_for(JIRA, "p1")
    path.write_text("{not json")
    assert store.load(JIRA, "p1") is None
    assert not path.exists()
    assert path.with_suffix(".broken").exists()


def test_a_draft_with_a_poll_of_the_wrong_shape_is_no_draft():
    store = DraftStore.default()
    store.save(JIRA, "p1", edited())
    path = store.path_for(JIRA, "p1")
    data = json.loads(path.read_text())
    data["poll"]["options"] = "not a list"
    path.write_text(json.dumps(data))
    assert store.load(JIRA, "p1") is None


def test_draft_dict_round_trip():
    draft = Draft(JIRA, None, {"title": "t"}, None, "2025-01-31T09:00:00+00:00")
    assert Draft.from_dict(draft.to_dict()) == draft
    # Local time: whatever the machine's zone, exactly that instant (the old check accepted any January day).
    local = datetime.fromisoformat("2025-01-31T09:00:00+00:00").astimezone().strftime("%Y-%m-%d %H:%M")
    assert draft.saved_at_local == local


def test_a_draft_is_offered_only_on_the_endpoint_it_was_made_on():
    """Two installations may both have a PLAT-1: a draft typed against one is not the other's."""
    from pollstui.session.session import Session
    from pollstui.settings import Connection

    demo, production = (
        Session(Connection(endpoint, "t", "jira", ref=JIRA))
        for endpoint in ("http://127.0.0.1:8765/x1/jira", "https://polls.example.com/x1/jira")
    )
    demo.drafts.save(JIRA, None, Poll.new("Typed on the demo"))
    demo.drafts.save(JIRA, "p1", edited(), Poll.from_api(ORIGINAL))
    assert production.drafts.load(JIRA, None) is None and not production.drafts.exists(JIRA, "p1")
    assert production.drafts.existing(JIRA, {"p1"}) == set() and demo.drafts.existing(JIRA, {"p1"}) == {"p1"}
    assert demo.drafts.load(JIRA, None).poll["title"] == "Typed on the demo"
    assert not production.drafts.discard(JIRA, "p1") and demo.drafts.exists(JIRA, "p1")


def test_a_draft_kept_before_endpoints_counted_is_still_offered_until_discarded():
    """Drafts written by an older pollstui name no endpoint: they are offered, not lost."""
    DraftStore.default().save(JIRA, "p1", edited(), Poll.from_api(ORIGINAL))  # as an older version kept it
    scoped = DraftStore.default(scope="https://polls.example.com/x1/jira")
    assert scoped.exists(JIRA, "p1") and scoped.existing(JIRA, {"p1", "p2"}) == {"p1"}
    assert scoped.load(JIRA, "p1").poll["title"] == "Lunch on Friday?"
    scoped.save(JIRA, "p1", Poll.new("Typed again"))  # the next autosave is this endpoint's
    assert scoped.load(JIRA, "p1").poll["title"] == "Typed again"
    assert scoped.discard(JIRA, "p1") and not scoped.exists(JIRA, "p1") and not DraftStore.default().exists(JIRA, "p1")


async def test_after_switching_connection_the_drafts_are_the_new_endpoints():
    """The first-run setup connects a session that had none: the drafts it keeps from then on are
    that endpoint's, and a switch to another endpoint offers none of the old one's."""
    from pollstui.session.session import Session
    from pollstui.settings import Connection

    demo, production = (Connection(endpoint, "t", "jira", ref=JIRA)
                        for endpoint in ("http://127.0.0.1:8765/x1/jira", "https://polls.example.com/x1/jira"))  # fmt: skip
    session = Session(None)
    assert not session.drafts.exists(JIRA, None)  # looked at before there was a connection
    await session.use_connection(demo)
    session.drafts.save(JIRA, None, Poll.new("Typed on the demo"))
    assert Session(demo).drafts.exists(JIRA, None) and not Session(production).drafts.exists(JIRA, None)
    await session.use_connection(production)
    assert not session.drafts.exists(JIRA, None)
