"""Property tests (hypothesis): round trips and option-list invariants hold for any input.

- Any JSON poll, with arbitrary extra fields at any level, parses and dumps back equal
  (``Poll.from_api`` → ``to_api``), also after an edit and inside a list.
- Adding, removing and moving options keeps option ids unique and stable, and ``order`` = 0…n−1.
- A pasted URL built by ``build_url`` parses back to the same endpoint, token and content item.

Examples are kept moderate (the file runs in a few seconds) and no example database is written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pollstui.api.address import ContentRef, build_url, parse_pasted_url
from pollstui.api.listing import read_poll_listing
from pollstui.api.models import Poll, PollOption, PollSettings, move_option, new_option_id, renumber

PROPERTY = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def wire(value: Any) -> str:
    """Canonical JSON text: equal text means equal keys, values and types (1, 1.0 and true differ)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


# --- JSON polls with unknown fields ---------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def names_of(model: type) -> set[str]:
    """Every name pydantic would take for a known field of ``model``: the Python name and the alias."""
    return {n for name, info in model.model_fields.items() for n in (name, info.alias) if n}


def extras(model: type) -> st.SearchStrategy[dict[str, Any]]:
    """Fields ``model`` does not know, with any JSON values. Only the wire (camelCase) names are
    known: a key spelled like a Python name (``allow_revote``, ``end_date``) is an unknown field."""
    known = {info.alias or name for name, info in model.model_fields.items()}
    snake = sorted(n for n in names_of(model) if n not in known)
    if snake:  # make sure the Python spellings come up, not only by chance
        return st.dictionaries(st.sampled_from(snake) | st.text(min_size=1, max_size=12).filter(lambda k: k not in known), json_values, max_size=3)
    return st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda k: k not in known), json_values, max_size=3)


def some_of(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict holding any subset of ``fields``."""
    return st.fixed_dictionaries({}, optional=fields)


option_dicts = st.builds(
    lambda known, extra: {**extra, **known},
    st.fixed_dictionaries({"id": st.text(max_size=6)}, optional={"title": st.text(max_size=12) | st.none(), "order": st.integers(-5, 50)}),
    extras(PollOption),
)

settings_dicts = st.builds(
    lambda known, extra: {**extra, **known},
    some_of(
        {
            "allowSelectionOfMultipleOptions": st.booleans(),
            "resultsVisibility": st.sampled_from(["alwaysPublic", "afterVote", "afterClose"]) | st.text(max_size=10) | st.none(),
            "endDate": st.sampled_from(["", "2030-12-31", "2030-12-31T17:00:00Z"]) | st.text(max_size=10) | st.none(),
            "hideAbsoluteNumbers": st.booleans(),
            "allowRevote": st.booleans(),
            "saveParticipantNames": st.booleans(),
            "closePollOnEndDate": st.booleans(),
            "allowComment": st.booleans(),
        }
    ),
    extras(PollSettings),
)

poll_dicts = st.builds(
    lambda known, extra: {**extra, **known},
    some_of(
        {
            "id": st.uuids().map(str) | st.text(max_size=10),
            "title": st.text(max_size=30) | st.none(),  # null: what a real server may send
            "description": st.text(max_size=30) | st.none(),
            "options": st.lists(option_dicts, max_size=5) | st.none(),
            "settings": settings_dicts | st.none(),
            "results": json_values,
        }
    ),
    extras(Poll),
)


@PROPERTY
@given(poll_dicts)
def test_any_poll_parses_and_dumps_back_equal(data: dict[str, Any]) -> None:
    sent = json.loads(json.dumps(data))  # what a server would send, through JSON text
    poll = Poll.from_api(sent)
    assert wire(poll.to_api(include_results=True)) == wire(data)
    assert wire(Poll.from_api(poll.to_api(include_results=True)).to_api(include_results=True)) == wire(data)
    without_results = {k: v for k, v in data.items() if k != "results"}
    assert wire(poll.to_api()) == wire(without_results)  # what a PUT sends: the server computes results


@PROPERTY
@given(poll_dicts, st.text(max_size=20))
def test_an_edit_changes_that_field_and_nothing_else(data: dict[str, Any], title: str) -> None:
    poll = Poll.from_api(json.loads(json.dumps(data))).clone()
    poll.title = title
    if poll.options:
        poll.options[0].title = "renamed"
    expected = {**data, "title": title}
    if data.get("options"):
        expected["options"] = [{**data["options"][0], "title": "renamed"}, *data["options"][1:]]
    assert wire(poll.to_api(include_results=True)) == wire(expected)


@settings(PROPERTY, max_examples=60)
@given(st.lists(poll_dicts, max_size=4))
def test_any_list_of_polls_round_trips(data: list[dict[str, Any]]) -> None:
    listing = read_poll_listing(json.loads(json.dumps(data)))
    assert listing.unreadable == []
    assert wire([p.model().to_api(include_results=True) for p in listing.polls]) == wire(data)


# --- adding, removing and moving options ----------------------------------------------------------

option_ids = st.text(alphabet="0123456789abc", min_size=1, max_size=3)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.text(max_size=8)),
        st.tuples(st.just("remove"), st.integers(0, 30)),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(-4, 4)),
    ),
    max_size=25,
)


@PROPERTY
@given(st.lists(option_ids, unique=True, max_size=8), operations)
def test_option_edits_keep_ids_unique_and_stable_and_order_dense(start: list[str], steps: list[tuple]) -> None:
    options = renumber([PollOption(id=i, title=f"t{i}", order=99) for i in start])
    titles = {o.id: o.title for o in options}  # every id ever used, with its title
    for step in steps:
        ids_before = [o.id for o in options]
        if step[0] == "add":
            new_id = new_option_id([o.id for o in options] + list(titles))  # never reuse an id, even a removed one
            assert new_id not in titles
            assert new_id.isascii() and new_id.isdigit()
            options.append(PollOption(id=new_id, title=step[1]))
            renumber(options)
            titles[new_id] = step[1]
            assert [o.id for o in options] == [*ids_before, new_id]
        elif step[0] == "remove" and options:
            index = step[1] % len(options)
            removed = options.pop(index)
            renumber(options)
            assert [o.id for o in options] == ids_before[:index] + ids_before[index + 1 :]
            assert removed.id not in [o.id for o in options]
        elif step[0] == "move" and options:
            index, delta = step[1] % len(options), step[2]
            moved = options[index].id
            target = move_option(options, index, delta)
            assert target == max(0, min(len(options) - 1, index + delta))
            assert options[target].id == moved
            assert sorted(o.id for o in options) == sorted(ids_before)
            rest = [i for i in ids_before if i != moved]
            assert [o.id for o in options if o.id != moved] == rest  # the others keep their relative order
        ids = [o.id for o in options]
        assert len(set(ids)) == len(ids)
        assert [o.order for o in options] == list(range(len(options)))
        assert all(titles[o.id] == o.title for o in options)  # an id keeps its option (votes follow ids)


@PROPERTY
@given(st.sets(st.text(max_size=4) | st.integers(0, 10**6).map(str), max_size=12))
def test_new_option_id_is_never_taken(existing: set[str]) -> None:
    new_id = new_option_id(existing)
    assert new_id not in existing
    assert new_id.isascii() and new_id.isdigit() and not new_id.startswith("0")


# --- pasted URLs ----------------------------------------------------------------------------------

hosts = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?){0,2}\.[a-z]{2,6}\Z")
endpoints = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
    st.sampled_from(["https", "http"]),
    hosts | st.sampled_from(["127.0.0.1", "localhost", "[::1]"]),
    st.sampled_from(["", ":8443", ":1"]),
    st.lists(st.from_regex(r"\A[A-Za-z0-9_.~-]{1,12}\Z"), min_size=1, max_size=3).map("/".join),
)
no_space = st.text(min_size=1, max_size=20).filter(lambda s: not any(c.isspace() for c in s))
tokens = st.text(min_size=1, max_size=40).map(str.strip).filter(bool) | st.uuids().map(str)
jira_refs = st.builds(
    lambda project, number: ContentRef.create("jira", project, f"{project}-{number}"),
    st.from_regex(r"\A[A-Z][A-Z0-9_]{0,9}\Z"),
    st.integers(1, 10**7),
)
confluence_refs = st.builds(lambda space, page, macro: ContentRef.create("confluence", space, page, macro), no_space, no_space, no_space)


@PROPERTY
@given(endpoints, tokens, jira_refs | confluence_refs, st.sampled_from(["{}", " {} ", "'{}'", '"{}"', "<{}>", "\n{}\t"]))
def test_pasted_url_round_trips(endpoint: str, token: str, ref: ContentRef, pasted: str) -> None:
    url = build_url(endpoint, token, ref)
    parsed = parse_pasted_url(pasted.format(url))
    assert (parsed.endpoint, parsed.token) == (endpoint, token)
    assert (parsed.workspace, parsed.content, parsed.container) == (ref.workspace, ref.content, ref.container)
    assert parsed.product == ref.product
    assert parsed.content_ref() == ref
    assert repr(parsed) == (  # the token never shows
        f"PastedURL(endpoint={endpoint!r}, token='***', workspace={ref.workspace!r}, "
        f"content={ref.content!r}, container={ref.container!r})"
    )


def test_an_unknown_field_spelled_like_a_python_field_name_survives() -> None:
    data = {"title": "t", "settings": {"allow_revote": True, "end_date": None, "allowRevote": False}}
    poll = Poll.from_api(data)
    assert poll.settings.allow_revote is False  # the camelCase key, not the look-alike
    assert poll.settings.extra_fields == {"allow_revote": True, "end_date": None}
    assert wire(poll.to_api()) == wire(data)
