"""The read model of a poll (pollstui.api.poll_view) agrees with the write model (pollstui.api.models).

Two things must hold for any JSON a server sends: an item is readable as a view exactly when
the models read it, and a view shows what the model of the same JSON would show.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pollstui.api.listing import read_poll_listing
from pollstui.api.models import Poll
from pollstui.api.poll_view import PollView, readable
from tests.example import STARS_POLL

PROPERTY = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=6)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=6)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The right kind of value, or a JSON scalar (null, a wrong type: true for a number, 1 for true)."""
    return st.one_of(strategy, scalars)


option = st.fixed_dictionaries(
    {}, optional={"id": maybe(st.text(max_size=4)), "title": maybe(st.text(max_size=6)), "order": maybe(st.integers(-5, 5)),
                  "x-extra": values},
)  # fmt: skip
switches = ("allowSelectionOfMultipleOptions", "hideAbsoluteNumbers", "allowRevote", "saveParticipantNames",
            "closePollOnEndDate", "allowComment")  # fmt: skip
poll_settings = st.fixed_dictionaries(
    {}, optional={**{key: maybe(st.booleans()) for key in switches}, "endDate": maybe(st.text(max_size=8)),
                  "resultsVisibility": maybe(st.sampled_from(["alwaysPublic", "afterVote", "odd"])), "end_date": values},
)  # fmt: skip
results = values | st.dictionaries(st.sampled_from(["1", "2", "a"]), st.integers(0, 9)) | st.fixed_dictionaries(
    {"options": st.lists(st.fixed_dictionaries({"optionId": st.sampled_from(["1", "2", "3"]), "votes": st.integers(0, 9)}),
                         max_size=3)}, optional={"totalVoters": maybe(st.integers(0, 9))},
)  # fmt: skip
polls = st.fixed_dictionaries(
    {}, optional={"id": maybe(st.text(max_size=4)), "title": maybe(st.text(max_size=8)), "description": maybe(st.text(max_size=8)),
                  "options": maybe(st.lists(maybe(option), max_size=3)), "settings": maybe(poll_settings),
                  "results": results, "model_config": values, "title_": values},
)  # fmt: skip
items = st.one_of(polls, polls, polls, values)


def model_reads(item: Any) -> bool:
    try:
        Poll.from_api(item)
    except ValidationError:
        return False
    return True


def shown(poll: Any) -> dict[str, Any]:
    """Everything the poll list and the detail pane read of a poll."""
    view = poll.results_view
    return {
        "id": poll.id, "title": poll.title, "description": poll.description, "extra": poll.extra_fields,
        "options": [(o.id, o.title, o.order, o.extra_fields) for o in poll.ordered_options()],
        "settings": {name: getattr(poll.settings, name) for name in (
            "allow_selection_of_multiple_options", "results_visibility", "end_date", "hide_absolute_numbers",
            "allow_revote", "save_participant_names", "close_poll_on_end_date", "allow_comment")},
        "settings_extra": poll.settings.extra_fields, "results": poll.results, "total": poll.total_votes,
        "view": None if view is None else (view.total_votes, view.total_voters,
                                           [view.votes_for(o.id) for o in poll.options]),
    }  # fmt: skip


@PROPERTY
@given(items)
@example({"options": [{"id": "1", "order": True}]})
@example({"options": [{"id": "1", "order": 1.0}]})
@example({"settings": {"allowRevote": 1}})
@example({"settings": {"endDate": None, "resultsVisibility": None}, "options": None, "title": None})
@example({"options": [{"id": "1", "order": None}]})
@example({"options": ["1"]})
def test_an_item_is_read_as_a_view_exactly_when_the_models_read_it(item):
    if readable(item):
        assert model_reads(item), item
    listing = read_poll_listing([item])
    assert bool(listing.polls) == model_reads(item)


@PROPERTY
@given(polls)
def test_a_view_shows_what_the_model_shows(item):
    if not readable(item):
        return
    view = PollView(item)
    assert shown(view) == shown(Poll.from_api(item))
    assert view.model().to_api() == Poll.from_api(item).to_api()  # what is sent back is the model's


@PROPERTY
@given(st.lists(items, max_size=4))
def test_the_list_reads_as_the_models_read_it_one_bad_poll_hiding_nothing(data):
    listing = read_poll_listing(data)
    good = [index for index, item in enumerate(data) if model_reads(item)]
    assert [shown(p) for p in listing.polls] == [shown(Poll.from_api(data[index])) for index in good]
    assert [u.index for u in listing.unreadable] == [index for index in range(len(data)) if index not in good]
    assert all(u.raw is data[u.index] and u.reason for u in listing.unreadable)


def test_reading_a_list_imports_no_pydantic_while_every_poll_is_readable():
    code = (
        "import sys\n"
        "from pollstui.api.listing import read_poll_listing\n"
        f"listing = read_poll_listing([{STARS_POLL!r}])\n"
        "listing.polls[0].results_view, listing.polls[0].ordered_options()\n"
        "print('pydantic' in sys.modules, len(listing.polls))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "1"]
