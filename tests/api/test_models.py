"""Poll models: faithful round trips, strict types, results views, option operations, templates."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from pydantic import ValidationError

from pollstui.api.errors import InvalidInputError
from pollstui.api.listing import read_poll_listing
from pollstui.api.models import (
    DEFAULT_SETTINGS,
    Poll,
    PollOption,
    PollResults,
    PollSettings,
    move_option,
    new_option_id,
    renumber,
)
from pollstui.api.results import format_percent, percent
from pollstui.api.templates import DEFAULT_TEMPLATE, TEMPLATES, get_template
from pollstui.server.app import validate_poll
from tests.example import STARS_POLL as DOCS_POLL  # written out there, not taken from the seed


def wire(value: Any) -> str:
    """Canonical JSON text: equal text means equal keys, values and types (1 vs 1.0 differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def poll_with_unknown_fields() -> dict[str, Any]:
    """Unknown fields at every level, of every JSON type."""
    return {
        "id": "0b4e7c1a-1111-4a4a-9b9b-222233334444",
        "title": "Naïve café ☕ — 日本語 👩‍👩‍👧",
        "description": "",
        "x-origin": {"importedFrom": "polls-v0", "revision": 7, "tags": ["a", {"b": [1, 2.5, None]}]},
        "ratio": 0.1,
        "one": 1.0,
        "big": 12345678901234567890,
        "tiny": -1.5e-300,
        "nothing": None,
        "flag": True,
        "emptyList": [],
        "emptyObject": {},
        "ünïcødé-këy": "välue ✓",
        "options": [
            {"id": "pg", "title": "PostgreSQL 🐘", "order": 0, "color": "#336791", "weight": 2.0},
            {"id": "ch", "title": "ClickHouse", "order": 1, "meta": {"benchmark": "2.3x", "tags": [], "n": None}},
            {"id": "10", "title": "", "order": 2, "disabled": False},
        ],
        "settings": {
            **DEFAULT_SETTINGS,
            "resultsVisibility": "onlyAdmins",  # a value we do not know: kept as it is
            "anonymousMode": "strict",
            "reminder": {"every": "P1D", "enabled": False, "at": [9, 17.5]},
            "quorum": None,
        },
    }


# --- round trips ---------------------------------------------------------------------------


def test_docs_example_round_trips_exactly() -> None:
    assert wire(Poll.from_api(copy.deepcopy(DOCS_POLL)).to_api()) == wire(DOCS_POLL)


def test_unknown_fields_at_every_level_round_trip_exactly() -> None:
    sent = poll_with_unknown_fields()
    poll = Poll.from_api(copy.deepcopy(sent))
    assert wire(poll.to_api()) == wire(sent)
    assert poll.settings.results_visibility == "onlyAdmins"
    assert poll.extra_fields["x-origin"] == sent["x-origin"]
    assert poll.options[1].extra_fields == {"meta": {"benchmark": "2.3x", "tags": [], "n": None}}
    assert poll.settings.extra_fields["quorum"] is None


def test_from_api_and_edits_do_not_change_the_input() -> None:
    sent = poll_with_unknown_fields()
    kept = copy.deepcopy(sent)
    poll = Poll.from_api(sent)
    poll.title = "changed"
    poll.settings.allow_comment = True
    move_option(poll.options, 0, 2)
    assert wire(sent) == wire(kept)


def test_editing_the_title_changes_only_the_title() -> None:
    sent = poll_with_unknown_fields()
    poll = Poll.from_api(copy.deepcopy(sent))
    poll.title = "New title"
    assert wire(poll.to_api()) == wire({**sent, "title": "New title"})


def test_missing_fields_are_not_invented() -> None:
    sent = {
        "id": "p1",
        "title": "Only some fields",
        "options": [{"id": "1"}, {"id": "2", "title": "Two"}],
        "settings": {"allowRevote": True},
    }
    poll = Poll.from_api(copy.deepcopy(sent))
    assert poll.to_api() == sent
    # ... while Python still sees the defaults.
    assert poll.description == ""
    assert poll.options[0].title == "" and poll.options[0].order == 0
    assert poll.settings.results_visibility == "alwaysPublic"


def test_a_bare_poll_stays_bare() -> None:
    assert Poll.from_api({"id": "p1"}).to_api() == {"id": "p1"}
    assert Poll.from_api({}).to_api() == {}


def test_settings_changed_in_place_on_a_poll_that_came_without_settings_are_sent() -> None:
    poll = Poll.from_api({"id": "p1", "title": "t"})
    poll.settings.allow_revote = True
    assert poll.to_api() == {"id": "p1", "title": "t", "settings": {**DEFAULT_SETTINGS, "allowRevote": True}}


def test_options_added_in_place_on_a_poll_that_came_without_options_are_sent() -> None:
    poll = Poll.from_api({"id": "p1", "title": "t"})
    poll.options.append(PollOption(id="1", title="Yes", order=0))
    assert poll.to_api() == {"id": "p1", "title": "t", "options": [{"id": "1", "title": "Yes", "order": 0}]}


def test_results_are_kept_raw_but_left_out_of_request_bodies() -> None:
    results = {"histogram": [[1, 2], [3, 4]], "note": "not our shape", "ratio": 0.5}
    sent = {**DOCS_POLL, "results": results}
    poll = Poll.from_api(copy.deepcopy(sent))
    assert poll.results == results
    assert "results" not in poll.to_api()
    assert wire(poll.to_api(include_results=True)) == wire(sent)


def test_new_poll_has_every_documented_field_and_no_id() -> None:
    poll = Poll.new("Lunch", "Where?", [{"id": "1", "title": "Pizza", "order": 0}], {"allowRevote": True})
    assert poll.to_api() == {
        "title": "Lunch",
        "description": "Where?",
        "options": [{"id": "1", "title": "Pizza", "order": 0}],
        "settings": {**DEFAULT_SETTINGS, "allowRevote": True},
    }
    assert poll.id is None
    assert validate_poll(poll.to_api()) is None


def test_snake_case_names_in_python_camel_case_on_the_wire() -> None:
    settings = PollSettings.defaults()
    settings.hide_absolute_numbers = True
    settings.end_date = "2031-06-30"
    dumped = settings.to_api()
    assert dumped["hideAbsoluteNumbers"] is True and dumped["endDate"] == "2031-06-30"
    assert set(dumped) == set(DEFAULT_SETTINGS)


# --- strict types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("options", 0, "order"), "2"),
        (("options", 0, "order"), 1.0),
        (("options", 0, "order"), True),
        (("options", 0, "id"), 1),
        (("title",), 5),
        (("id",), 42),
        (("settings", "allowRevote"), "false"),
        (("settings", "allowRevote"), 0),
        (("settings", "resultsVisibility"), 1),
        (("options",), {"id": "1"}),
        (("settings",), []),
    ],
)
def test_wrong_types_are_rejected_not_converted(path: tuple, value: Any) -> None:
    data = copy.deepcopy(DOCS_POLL)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError) as info:
        Poll.from_api(data)
    assert tuple(info.value.errors()[0]["loc"][: len(path)]) == path


@pytest.mark.parametrize(
    "path",
    [
        ("title",),
        ("description",),
        ("options",),
        ("settings",),
        ("options", 0, "title"),
        ("settings", "endDate"),
        ("settings", "resultsVisibility"),
    ],
)
def test_null_from_a_real_server_is_read_as_default_and_sent_back_as_null(path: tuple) -> None:
    data = copy.deepcopy(DOCS_POLL)
    data["someUnknownField"] = {"nested": [1, None]}
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = None
    poll = Poll.from_api(copy.deepcopy(data))
    assert wire(poll.to_api()) == wire(data)
    assert wire(poll.clone().to_api()) == wire(data)
    # The UI sees a usable value, never None.
    assert isinstance(poll.title, str) and isinstance(poll.description, str)
    assert isinstance(poll.settings.end_date, str) and isinstance(poll.options, list)
    assert all(isinstance(option.title, str) for option in poll.options)


def test_a_list_with_null_fields_is_readable() -> None:
    listing = read_poll_listing([{"id": "a", "description": None, "settings": None, "options": None}, DOCS_POLL])
    assert [p.id for p in listing.polls] == ["a", DOCS_POLL["id"]] and listing.unreadable == []
    for poll in (listing.polls[0], listing.polls[0].model()):
        assert poll.description == "" and poll.options == []


def test_a_null_field_that_was_edited_is_sent_with_its_new_value() -> None:
    poll = Poll.from_api({"id": "a", "description": None, "settings": None})
    poll.description = "now set"
    poll.settings.allow_revote = True
    sent = poll.to_api()
    assert sent["description"] == "now set"
    assert sent["settings"]["allowRevote"] is True


def test_assignment_is_validated_too() -> None:
    poll = Poll.from_api(copy.deepcopy(DOCS_POLL))
    with pytest.raises(ValidationError):
        poll.options[0].order = "1"  # type: ignore[assignment]
    assert poll.options[0].order == 0


@pytest.mark.parametrize("data", [[], "poll", None, 3])
def test_a_poll_must_be_an_object(data: Any) -> None:
    with pytest.raises(ValidationError):
        Poll.from_api(data)


# --- results --------------------------------------------------------------------------------


OUR_RESULTS = {
    "totalVotes": 12,
    "totalVoters": 9,
    "options": [{"optionId": "1", "votes": 5}, {"optionId": "2", "votes": 7}],
}


def test_results_view_parses_our_shape() -> None:
    poll = Poll.from_api({**DOCS_POLL, "results": copy.deepcopy(OUR_RESULTS)})
    view = poll.results_view
    assert isinstance(view, PollResults)
    assert (view.total_votes, view.total_voters) == (12, 9)
    assert view.counts == (("1", 5), ("2", 7))
    assert view.votes_for("2") == 7
    assert view.votes_for("5") == 0
    assert percent(view.votes_for("1"), view.total_votes) == pytest.approx(100 * 5 / 12)
    assert percent(view.votes_for("5"), view.total_votes) == 0.0
    assert poll.total_votes == 12
    assert poll.results == OUR_RESULTS


def test_results_view_tolerates_extra_keys_and_a_missing_voter_count() -> None:
    results = {"totalVotes": 3, "options": [{"optionId": "1", "votes": 3, "share": 1.0}], "computedAt": "now"}
    poll = Poll.from_api({"id": "p", "results": results})
    assert poll.results_view == PollResults((("1", 3),), total_voters=None)
    assert poll.results == results


@pytest.mark.parametrize(
    ("results", "votes", "voters"),
    [
        # a list of per-option entries, as results itself or under a usual key, usual names
        ([{"optionId": "1", "votes": 5}, {"optionId": "2", "votes": 7}], [("1", 5), ("2", 7)], None),
        ([{"id": "1", "count": 5}, {"id": 2, "count": 7.0}], [("1", 5), ("2", 7)], None),
        ({"entries": [{"option": "1", "voteCount": 3}], "voters": 2}, [("1", 3)], 2),
        ({"totalVotes": 99, "options": [{"optionId": "1", "votes": 5}]}, [("1", 5)], None),  # the sum counts
        ({"results": [], "totalVoters": 0}, [], 0),
        # a mapping from option id to count, at the top or under one key, with a voter total
        ({"1": 5, "2": 7}, [("1", 5), ("2", 7)], None),
        ({"1": 5, "2": 7, "participants": 9, "total": 12}, [("1", 5), ("2", 7)], 9),
        ({"tally": {"1": 5, "2": 0}, "voters": 4}, [("1", 5), ("2", 0)], 4),
        ({"counts": {"b": 1}}, [("b", 1)], None),
        ({"votes": {"a": 2}, "voterCount": 2}, [("a", 2)], 2),
    ],
)
def test_results_of_the_common_families_are_read(results: Any, votes: list, voters: int | None) -> None:
    poll = Poll.from_api({**DOCS_POLL, "results": copy.deepcopy(results)})
    view = poll.results_view
    assert view is not None
    assert list(view.counts) == votes
    assert (view.total_votes, view.total_voters) == (sum(n for _, n in votes), voters)
    assert poll.total_votes == view.total_votes
    if votes:
        first, count = votes[0]
        assert percent(view.votes_for(first), view.total_votes) == pytest.approx(100 * count / max(1, sum(n for _, n in votes)))
    assert wire(poll.to_api(include_results=True)["results"]) == wire(results)  # still sent back as it came


@pytest.mark.parametrize(
    "results",
    [
        None,
        "12 votes",
        12,
        {},
        {"totalVotes": 12},  # no counts at all
        {"totalVotes": "12", "options": []},  # a total that is not a count
        {"total": 12, "byOption": {"1": 5}},  # a key no family knows
        [{"optionId": "1"}],  # no count
        [{"optionId": "1", "votes": -1}],
        [{"optionId": "1", "votes": True}],
        [{"optionId": "1", "votes": "5"}],
        [{"id": "1", "votes": 1}, {"id": "1", "votes": 2}],  # an option twice
        {"tally": {"1": "5"}},
        {"tally": {"1": 5}, "counts": {"1": 5}},  # two candidates: which one?
        {"1": 5, "note": "x"},
        [1, 2],
    ],
)
def test_results_of_another_shape_stay_raw(results: Any) -> None:
    poll = Poll.from_api({**DOCS_POLL, "results": copy.deepcopy(results)})
    assert poll.results_view is None
    assert poll.total_votes is None
    assert poll.results == results
    if results is not None:
        assert wire(poll.to_api(include_results=True)["results"]) == wire(results)


@pytest.mark.parametrize(
    ("votes", "total", "expected"),
    [(1, 3, 100 / 3), (5, 12, 500 / 12), (2, 2, 100.0), (0, 7, 0.0), (0, 0, 0.0), (3, 0, 0.0), (1, -1, 0.0)],
)
def test_percent(votes: int, total: int, expected: float) -> None:
    assert percent(votes, total) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "text"), [(100 / 3, "33.3%"), (500 / 12, "41.7%"), (0.0, "0.0%"), (100.0, "100.0%"), (99.96, "100.0%")]
)
def test_format_percent(value: float, text: str) -> None:
    assert format_percent(value) == text


# --- option operations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ([], "1"),
        (["1", "2", "3"], "4"),
        (["1", "3"], "4"),
        (["2"], "3"),
        (["a", "b"], "1"),
        (["pg", "ch", "dy"], "1"),
        (["1", "x", "2"], "3"),
        (["10", "9"], "11"),
        (["01"], "2"),
        ({"1", "2"}, "3"),
        (["²"], "1"),
        (["1", "²", "١٢"], "2"),
        (["-1", "+2", " 3"], "1"),
    ],
)
def test_new_option_id(existing: list[str], expected: str) -> None:
    assert new_option_id(existing) == expected


def test_new_option_id_never_collides() -> None:
    rng = random.Random(7)
    alphabet = ["1", "2", "3", "9", "10", "11", "a", "b", "01", "007", "²", "x1", "1x", "", " ", "٣"]
    for _ in range(2000):
        existing = rng.sample(alphabet, rng.randint(0, len(alphabet)))
        new = new_option_id(existing)
        assert new not in existing
        assert new.isascii() and new.isdigit()


def options(*ids: str) -> list[PollOption]:
    return [PollOption(id=i, title=f"option {i}", order=n) for n, i in enumerate(ids)]


def state(items: list[PollOption]) -> list[tuple[str, int]]:
    return [(o.id, o.order) for o in items]


@pytest.mark.parametrize(
    ("index", "delta", "new_index", "ids"),
    [
        (0, 1, 1, ["b", "a", "c", "d"]),
        (3, -1, 2, ["a", "b", "d", "c"]),
        (1, -5, 0, ["b", "a", "c", "d"]),
        (1, 5, 3, ["a", "c", "d", "b"]),
        (0, -1, 0, ["a", "b", "c", "d"]),
        (3, 1, 3, ["a", "b", "c", "d"]),
        (2, 0, 2, ["a", "b", "c", "d"]),
    ],
)
def test_move_option_keeps_ids_and_renumbers(index: int, delta: int, new_index: int, ids: list[str]) -> None:
    items = options("a", "b", "c", "d")
    assert move_option(items, index, delta) == new_index
    assert state(items) == [(i, n) for n, i in enumerate(ids)]
    assert [o.title for o in items] == [f"option {i}" for i in ids]


def test_move_option_on_an_empty_list() -> None:
    items: list[PollOption] = []
    assert move_option(items, 0, 1) == 0
    assert items == []


def test_renumber_sets_every_order_from_the_list_position() -> None:
    items = [
        PollOption(id="7", title="x", order=4),
        PollOption(id="2", title="y", order=4),
        PollOption(id="x", title="z", order=-3),
    ]
    assert renumber(items) is items
    assert state(items) == [("7", 0), ("2", 1), ("x", 2)]


def test_renumbered_options_carry_their_order_on_the_wire() -> None:
    # An option created without an order (the editor's "add") must still send one.
    items = [PollOption(id="1", title="First"), PollOption(id="2", title="Second")]
    renumber(items)
    assert [o.to_api() for o in items] == [
        {"id": "1", "title": "First", "order": 0},
        {"id": "2", "title": "Second", "order": 1},
    ]
    poll = Poll.new("t", options=[o.to_api() for o in items])
    assert validate_poll(poll.to_api()) is None


def test_moving_options_of_a_loaded_poll_keeps_unknown_option_fields() -> None:
    sent = poll_with_unknown_fields()
    poll = Poll.from_api(copy.deepcopy(sent))
    move_option(poll.options, 2, -2)
    body = poll.to_api()
    assert [(o["id"], o["order"]) for o in body["options"]] == [("10", 0), ("pg", 1), ("ch", 2)]
    assert body["options"][1]["color"] == "#336791"
    assert body["options"][2]["meta"] == sent["options"][1]["meta"]


def test_ordered_options_sorts_by_order_then_position() -> None:
    poll = Poll.from_api(
        {
            "options": [
                {"id": "c", "order": 2},
                {"id": "a", "order": 0},
                {"id": "b1", "order": 1},
                {"id": "b2", "order": 1},
            ]
        }
    )
    assert [o.id for o in poll.ordered_options()] == ["a", "b1", "b2", "c"]
    assert [o.id for o in poll.options] == ["c", "a", "b1", "b2"]  # the list itself is untouched


# --- templates ------------------------------------------------------------------------------


def test_stars_template_gives_the_docs_example() -> None:
    body = get_template("stars").new_poll(DOCS_POLL["title"], DOCS_POLL["description"]).to_api()
    expected = {k: v for k, v in DOCS_POLL.items() if k != "id"}
    assert wire(body) == wire(expected)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_makes_a_valid_poll(name: str) -> None:
    template = TEMPLATES[name]
    body = template.new_poll("A title", "").to_api()
    assert validate_poll(body) is None
    assert "id" not in body
    assert body["title"] == "A title"
    assert [o["title"] for o in body["options"]] == list(template.option_titles)
    assert [o["id"] for o in body["options"]] == [str(n + 1) for n in range(len(template.option_titles))]
    assert [o["order"] for o in body["options"]] == list(range(len(template.option_titles)))
    assert body["settings"] == {**DEFAULT_SETTINGS, **template.settings}


def test_template_contents() -> None:
    assert DEFAULT_TEMPLATE in TEMPLATES
    assert TEMPLATES["yes-no"].option_titles == ("Yes", "No")
    assert TEMPLATES["nps"].option_titles == tuple(str(n) for n in range(11))
    assert TEMPLATES["blank"].new_poll("t").to_api()["options"] == []


def test_unknown_template_names_the_choices() -> None:
    with pytest.raises(InvalidInputError) as info:
        get_template("thumbs")
    assert str(info.value) == (
        "Unknown template 'thumbs': choose one of yes-no, stars, agree, nps, tshirt, blank."
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__
