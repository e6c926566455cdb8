"""PollStore and the demo seed: scoping, votes, persistence, determinism."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pollstui.server import PollStore, seed_demo_data
from pollstui.server.seed import DEMO_CONTENT, LONG_TITLE, UNKNOWN_FIELDS_POLL
from pollstui.server.store import ContentItem, VoteError
from tests.example import STARS_POLL

ITEM = ("jira", "PLAT", "PLAT-1", "")
PAGE = ("confluence", "98306", "557057", "macro-1")


def body(title: str = "Lunch", multiple: bool = False, **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "options": [
            {"id": "1", "title": "Pizza", "order": 0},
            {"id": "2", "title": "Sushi", "order": 1},
            {"id": "3", "title": "Tacos", "order": 2},
        ],
        "settings": {"allowSelectionOfMultipleOptions": multiple},
        **extra,
    }


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "polls.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[PollStore]:
    with PollStore(db_path) as s:
        yield s


def test_create_assigns_uuid4_and_puts_id_first(store) -> None:
    poll = store.create_poll(*ITEM, body(id="ignored"))
    assert list(poll)[0] == "id"
    assert poll["id"] != "ignored"
    assert poll["id"][14] == "4"  # uuid version 4
    assert store.get_poll(*ITEM, poll["id"]) == poll


def test_polls_are_scoped_to_their_content_item(store) -> None:
    a = store.create_poll(*ITEM, body("a"))
    b = store.create_poll(*PAGE, body("b"))
    assert store.list_polls(*ITEM) == [a]
    assert store.list_polls(*PAGE) == [b]
    assert store.list_polls("confluence", "98306", "557057", "macro-2") == []
    assert store.get_poll(*PAGE, a["id"]) is None
    assert store.replace_poll(*PAGE, a["id"], body("hijack")) is None
    assert store.delete_poll(*PAGE, a["id"]) is False
    assert store.list_polls(*ITEM) == [a]


def test_replace_and_delete(store) -> None:
    poll = store.create_poll(*ITEM, body())
    replaced = store.replace_poll(*ITEM, poll["id"], {"title": "New", "options": []})
    assert replaced == {"id": poll["id"], "title": "New", "options": []}
    assert store.get_poll(*ITEM, poll["id"]) == replaced
    assert store.delete_poll(*ITEM, poll["id"]) is True
    assert store.get_poll(*ITEM, poll["id"]) is None
    assert store.delete_poll(*ITEM, poll["id"]) is False


def test_votes_results_and_revote(store) -> None:
    poll = store.create_poll(*ITEM, body(multiple=True))
    store.add_vote(poll["id"], ["1", "2"], "ana")
    store.add_vote(poll["id"], ["2"], "ben")
    store.add_vote(poll["id"], ["3"], "ben")  # ben changes his mind
    assert store.results(poll["id"]) == {
        "totalVotes": 3,
        "totalVoters": 2,
        "options": [
            {"optionId": "1", "votes": 1},
            {"optionId": "2", "votes": 1},
            {"optionId": "3", "votes": 1},
        ],
    }


def test_results_follow_option_ids_through_reorder_and_removal(store) -> None:
    poll = store.create_poll(*ITEM, body())
    store.add_vote(poll["id"], ["1"], "ana")
    store.add_vote(poll["id"], ["3"], "ben")
    store.add_vote(poll["id"], ["3"], "chen")
    edited = {
        **poll,
        "options": [
            {"id": "3", "title": "Tacos", "order": 0},
            {"id": "2", "title": "Sushi", "order": 1},
        ],
    }
    store.replace_poll(*ITEM, poll["id"], edited)
    assert store.results(poll["id"]) == {
        "totalVotes": 2,
        "totalVoters": 2,
        "options": [{"optionId": "3", "votes": 2}, {"optionId": "2", "votes": 0}],
    }


@pytest.mark.parametrize(
    ("choice", "match"),
    [([], "at least one"), (["9"], "no option '9'"), (["1", "2"], "one option per voter")],
)
def test_invalid_votes_are_refused(store, choice, match) -> None:
    poll = store.create_poll(*ITEM, body(multiple=False))
    with pytest.raises(VoteError, match=match):
        store.add_vote(poll["id"], choice, "ana")
    assert store.results(poll["id"])["totalVotes"] == 0


def test_vote_on_unknown_poll(store) -> None:
    with pytest.raises(KeyError):
        store.add_vote("nope", ["1"], "ana")
    assert store.results("nope") is None


def test_delete_removes_votes(store, db_path) -> None:
    poll = store.create_poll(*ITEM, body())
    store.add_vote(poll["id"], ["1"], "ana")
    store.delete_poll(*ITEM, poll["id"])
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
    raw.close()


def test_everything_persists_across_a_new_store(db_path) -> None:
    with PollStore(db_path) as first:
        poll = first.create_poll(*PAGE, body("Persist 💾", extra={"kept": [1, {"x": None}]}))
        first.add_vote(poll["id"], ["2"], "ana")
        first.replace_poll(*PAGE, poll["id"], {**poll, "title": "Persisted 💾"})
    with PollStore(db_path) as second:
        assert second.list_polls(*PAGE) == [{**poll, "title": "Persisted 💾"}]
        assert second.results(poll["id"])["options"][1] == {"optionId": "2", "votes": 1}


def test_wal_mode(store, db_path) -> None:
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_writes_from_many_threads(store) -> None:
    poll = store.create_poll(*ITEM, body(multiple=True))
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                store.create_poll(*PAGE, body(f"t{n}-{i}"))
                store.add_vote(poll["id"], ["1"], f"voter-{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.list_polls(*PAGE)) == 160
    assert store.results(poll["id"])["totalVoters"] == 160


def test_contents_with_polls(store) -> None:
    assert store.contents_with_polls() == []
    store.create_poll(*PAGE, body())
    store.create_poll(*ITEM, body())
    store.create_poll(*PAGE, body())
    assert store.contents_with_polls() == [ContentItem(*PAGE), ContentItem(*ITEM)]
    assert store.count_polls() == 3


# -- the demo seed -------------------------------------------------------------


def all_polls(store: PollStore) -> list[dict[str, Any]]:
    return [p for item in store.contents_with_polls() for p in store.list_polls(*item)]


def test_seed_content(store) -> None:
    assert seed_demo_data(store) == 14
    polls = all_polls(store)
    assert len(polls) == 14
    assert store.contents_with_polls() == list(DEMO_CONTENT)
    assert {item.product for item in store.contents_with_polls()} == {"jira", "confluence"}
    assert {item.workspace for item in DEMO_CONTENT if item.product == "jira"} == {"PLAT", "MOBI"}
    titles = [p["title"] for p in polls]
    assert LONG_TITLE in titles and len(LONG_TITLE) > 100
    assert sum(any(ord(ch) > 0x2000 for ch in t) for t in titles) >= 5  # emoji
    assert store.list_polls("jira", "PLAT", "PLAT-254604", "")[0] == STARS_POLL  # the docs' example
    [unknown] = [p for p in polls if p["title"] == UNKNOWN_FIELDS_POLL["title"]]
    assert unknown["x-origin"] == {"importedFrom": "polls-v0", "revision": 7}
    assert unknown["settings"]["anonymousMode"] == "strict"
    assert unknown["options"][0]["color"] == "#336791"
    settings = [p["settings"] for p in polls]
    for key in ("allowSelectionOfMultipleOptions", "hideAbsoluteNumbers", "allowRevote",
                "saveParticipantNames", "closePollOnEndDate", "allowComment"):  # fmt: skip
        assert any(s[key] for s in settings), key
    assert {s["resultsVisibility"] for s in settings} == {"alwaysPublic", "afterVote", "afterClose"}
    end_dates = {s["endDate"] for s in settings if s["closePollOnEndDate"]}
    assert any(d < "2025" for d in end_dates) and any(d > "2030" for d in end_dates)
    totals = [store.results(p["id"])["totalVotes"] for p in polls]
    assert sum(t > 0 for t in totals) >= 10 and 0 in totals


def test_seed_votes_respect_single_choice(store) -> None:
    seed_demo_data(store)
    for poll in all_polls(store):
        results = store.results(poll["id"])
        assert results["totalVotes"] == sum(o["votes"] for o in results["options"])
        if not poll["settings"]["allowSelectionOfMultipleOptions"]:
            assert results["totalVotes"] == results["totalVoters"]


def test_seed_is_idempotent(store) -> None:
    assert seed_demo_data(store) == 14
    before = all_polls(store)
    assert seed_demo_data(store) == 0
    assert all_polls(store) == before


def test_seed_leaves_a_store_with_user_polls_alone(store) -> None:
    store.create_poll(*ITEM, body())
    assert seed_demo_data(store) == 0
    assert store.count_polls() == 1


def test_seed_is_deterministic(tmp_path) -> None:
    snapshots = []
    for name in ("a.db", "b.db"):
        with PollStore(tmp_path / name) as s:
            seed_demo_data(s)
            snapshots.append([(p, s.results(p["id"])) for p in all_polls(s)])
    assert snapshots[0] == snapshots[1]
