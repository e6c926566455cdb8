"""Servers we did not write (issue 8), the API layer: a GET with pollId answered as an array, a list
where one bad poll hides nothing, options without ids, and finding a poll an uncertain create made."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from pollstui.api.arrivals import existing_ids, find_arrived_polls, looks_like
from pollstui.api.errors import PollNotFoundError
from pollstui.api.listing import find_poll, read_poll_listing
from pollstui.api.models import Poll, with_option_ids
from tests.api.conftest import PLAT_254604
from tests.example import STARS_POLL

POLL_ID = STARS_POLL["id"]


# --- a GET with pollId, against the reference server ---------------------------------------------


async def test_the_reference_server_answers_a_get_with_poll_id_as_an_array(jira) -> None:
    response = await jira._send("GET", PLAT_254604, poll_id=POLL_ID)
    answer = json.loads(response.content)
    assert isinstance(answer, list) and answer[0]["id"] == POLL_ID
    poll = await jira.get_poll(PLAT_254604, POLL_ID)
    assert poll.to_api() == STARS_POLL
    assert await jira.get_poll_json(PLAT_254604, POLL_ID) == STARS_POLL


async def test_a_deleted_poll_is_not_found(jira) -> None:
    await jira.delete_poll(PLAT_254604, POLL_ID)
    with pytest.raises(PollNotFoundError):
        await jira.get_poll(PLAT_254604, POLL_ID)


@pytest.mark.parametrize(
    ("data", "found"),
    [
        ({"id": "x"}, {"id": "x"}),  # a bare object
        ([{"id": "x"}], {"id": "x"}),  # an array of one
        ([{"title": "t"}], {"title": "t"}),  # an array of one without an id (the id asked for is given it)
        ([{"id": "a"}, {"id": "x"}], {"id": "x"}),  # several: the one asked for
    ],
)
def test_find_poll(data: Any, found: Any) -> None:
    assert find_poll(data, "x") == found


def test_find_poll_refuses_what_is_not_one_poll() -> None:
    with pytest.raises(LookupError):
        find_poll([], "x")
    with pytest.raises(ValueError, match="2 items, 0 of them"):
        find_poll([{"id": "a"}, {"id": "b"}], "x")
    with pytest.raises(ValueError, match="got str"):
        find_poll("x", "x")
    # A server that ignored pollId and answered another poll: editing it would change the wrong one.
    with pytest.raises(ValueError, match="'y', not 'x'"):
        find_poll([{"id": "y"}], "x")
    with pytest.raises(ValueError, match="'y', not 'x'"):
        find_poll({"id": "y"}, "x")


# --- one bad poll hides nothing -------------------------------------------------------------------


def test_a_listing_keeps_the_readable_polls_and_names_the_others() -> None:
    bad_order = copy.deepcopy(STARS_POLL) | {"id": "bad"}
    bad_order["options"][1]["order"] = "1"
    second = {"id": "ok-2", "title": "Second"}
    listing = read_poll_listing([STARS_POLL, bad_order, 42, second, {"title": ["no"], "id": 7}])
    assert [p.id for p in listing.polls] == [POLL_ID, "ok-2"]
    assert [(u.index, u.id) for u in listing.unreadable] == [(1, "bad"), (2, None), (4, None)]
    assert listing.unreadable[0].reason == "options.1.order: input should be a valid integer"
    assert listing.unreadable[0].label == "poll 2 (id bad)"
    assert listing.unreadable[1].reason == "(top): not an object" and listing.unreadable[1].raw == 42
    assert "title" in listing.unreadable[2].reason and "id" in listing.unreadable[2].reason
    assert listing.ids == {POLL_ID, "ok-2", "bad"}


def test_a_listing_of_good_polls_has_nothing_unreadable() -> None:
    listing = read_poll_listing([STARS_POLL])
    assert [p.raw for p in listing.polls] == [STARS_POLL] and listing.unreadable == []
    assert [p.model().to_api() for p in listing.polls] == [STARS_POLL]


def test_a_listing_must_be_an_array() -> None:
    with pytest.raises(TypeError):
        read_poll_listing({"polls": []})


# --- options without ids ---------------------------------------------------------------------------


def test_options_without_ids_get_ids_and_orders_from_their_position() -> None:
    body = {"title": "T", "options": [{"title": "A"}, {"id": "2", "title": "B"}, {"title": "C", "x": 1}, "D", {"id": "", "title": "E", "order": 9}]}
    done = with_option_ids(body)
    assert done["options"] == [  # new ids go past the largest one given, so none collides
        {"title": "A", "id": "3", "order": 0},
        {"id": "2", "title": "B", "order": 1},
        {"title": "C", "x": 1, "id": "4", "order": 2},
        {"title": "D", "id": "5", "order": 3},
        {"id": "6", "title": "E", "order": 9},  # an order given is kept
    ]
    fresh = with_option_ids({"title": "T", "options": [{"title": "A"}, {"title": "B"}]})
    assert [(o["id"], o["order"]) for o in fresh["options"]] == [("1", 0), ("2", 1)]
    assert body["options"][0] == {"title": "A"}  # the input is not changed
    assert Poll.from_api(done).options[3].title == "D"


def test_options_with_ids_are_left_alone() -> None:
    body = {"title": "T", "options": [{"id": "b", "title": "B", "order": 0}], "extra": True}
    assert with_option_ids(body) == body
    assert with_option_ids({"title": "no options"}) == {"title": "no options"}


async def test_a_poll_whose_options_lacked_ids_is_created(jira, store) -> None:
    body = with_option_ids({"title": "File", "options": [{"title": "Yes"}, {"title": "No"}]})
    created = await jira.create_poll(PLAT_254604, body)
    stored = store.get_poll("jira", "PLAT", "PLAT-254604", "", created.id)
    assert [(o["id"], o["title"], o["order"]) for o in stored["options"]] == [("1", "Yes", 0), ("2", "No", 1)]


# --- after an uncertain create --------------------------------------------------------------------


def body(title: str = "Lunch?", *options: str) -> dict[str, Any]:
    return with_option_ids({"title": title, "options": [{"title": o} for o in (options or ("Pizza", "Sushi"))]})


async def test_find_arrived_polls_names_only_the_new_look_alike(jira, store) -> None:
    old_twin = await jira.create_poll(PLAT_254604, body())  # same title and options, there before
    before = await existing_ids(jira, PLAT_254604)
    assert old_twin.id in before and POLL_ID in before
    posted = body()
    arrived = store.create_poll("jira", "PLAT", "PLAT-254604", "", {**posted, "description": "filled by the server"})
    store.create_poll("jira", "PLAT", "PLAT-254604", "", body("Lunch?", "Pizza"))  # other options
    store.create_poll("jira", "PLAT", "PLAT-254604", "", body("Dinner?"))  # other title
    found = await find_arrived_polls(jira, PLAT_254604, posted, before)
    assert [p.id for p in found] == [arrived["id"]]


async def test_find_arrived_polls_finds_nothing_when_nothing_arrived(jira) -> None:
    before = await existing_ids(jira, PLAT_254604)
    assert await find_arrived_polls(jira, PLAT_254604, body(), before) == []


def test_looks_like_compares_titles_as_read_and_options_in_display_order() -> None:
    posted = {"title": " Lunch  ?", "options": [{"id": "1", "title": "B", "order": 1}, {"id": "2", "title": "A", "order": 0}]}
    poll = Poll.from_api({"id": "p", "title": "Lunch ?", "options": [{"id": "9", "title": "A", "order": 0}, {"id": "8", "title": "B", "order": 1}]})
    assert looks_like(poll, posted)
    assert looks_like(poll, Poll.from_api(posted))
    assert not looks_like(poll, {**posted, "options": posted["options"][:1]})
