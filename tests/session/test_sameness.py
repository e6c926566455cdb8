"""same_as_left: what a server does on its own is no change; what someone else does is."""

from __future__ import annotations

import pytest

from pollstui.session.sameness import same_as_left
from tests.example import STARS_POLL


def stars(**changes) -> dict:
    return {**STARS_POLL, **changes}


@pytest.mark.parametrize(
    "server",
    [
        stars(updatedAt="2030-01-01T00:00:00Z"),  # a field added
        stars(options=list(reversed(STARS_POLL["options"]))),  # options in its own order, same ids and orders
        stars(settings={k: v for k, v in STARS_POLL["settings"].items() if v not in ("", False)}),  # empty ones dropped
        stars(settings={**STARS_POLL["settings"], "endDate": None}),  # "" as null
        stars(results={"1": 4}),
        dict(reversed(list(stars().items()))),  # keys reordered
    ],
    ids=["added", "options-order", "dropped-defaults", "null-for-empty", "results", "key-order"],
)
def test_the_servers_own_ways_are_no_change(server):
    assert same_as_left(server, STARS_POLL)


@pytest.mark.parametrize(
    "server",
    [
        stars(title="Theirs"),
        stars(description=""),  # cleared by someone
        stars(options=STARS_POLL["options"][:4]),  # an option removed
        stars(options=[*STARS_POLL["options"], {"id": "6", "title": "6", "order": 5}]),  # added
        stars(options=[{**STARS_POLL["options"][0], "order": 4}, *STARS_POLL["options"][1:4], {**STARS_POLL["options"][4], "order": 0}]),
        stars(settings={**STARS_POLL["settings"], "allowRevote": True}),
        stars(settings={**STARS_POLL["settings"], "endDate": "2030-12-31"}),
        stars(options=[{**STARS_POLL["options"][0], "order": "0"}, *STARS_POLL["options"][1:]]),  # "0" is not 0
    ],
    ids=["title", "cleared", "removed", "added-option", "moved", "setting", "end-date", "type"],
)
def test_a_real_change_is_caught(server):
    assert not same_as_left(server, STARS_POLL)


def test_an_empty_field_the_server_left_out_is_no_change():
    left = stars(description="")
    assert same_as_left({k: v for k, v in left.items() if k != "description"}, left)


def test_a_poll_that_is_gone_is_not_the_same():
    assert not same_as_left(None, STARS_POLL) and same_as_left(None, None)


def without(data: dict, *keys: str) -> dict:
    return {k: v for k, v in data.items() if k not in keys}


@pytest.mark.parametrize(
    ("left", "server"),
    [
        (without(STARS_POLL, "description"), stars(description="Someone wrote this")),
        (stars(settings=without(STARS_POLL["settings"], "allowRevote")), stars(settings={**STARS_POLL["settings"], "allowRevote": True})),
        (without(STARS_POLL, "settings"), stars(settings={**STARS_POLL["settings"], "resultsVisibility": "afterVote"})),
    ],
    ids=["description", "setting", "settings-left-out"],
)
def test_an_api_field_left_out_and_filled_in_by_someone_is_a_change(left, server):
    """A server that leaves out empty fields: the poll opened had no description (or no allowRevote),
    someone writes one; a save replaces the whole poll, so it would wipe theirs unasked."""
    assert not same_as_left(server, left)


def test_an_api_field_left_out_that_the_server_sends_as_its_default_is_no_change():
    left = stars(description="", settings=without(STARS_POLL["settings"], "resultsVisibility", "allowRevote"))
    assert same_as_left(stars(description="", settings={**STARS_POLL["settings"], "resultsVisibility": "alwaysPublic"}), left)
    assert same_as_left(without(STARS_POLL, "description"), without(STARS_POLL, "description"))
