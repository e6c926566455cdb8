"""The reference server's HTTP behaviour, spoken to over ASGI as a client would."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from pollstui.server import PollStore, create_app

TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"

JIRA = {"path": "/x1/jira", "product": "jira", "item": {"workspace": "PLAT", "content": "PLAT-254604"}}
CONFLUENCE = {
    "path": "/x1/confluence",
    "product": "confluence",
    "item": {"workspace": "98306", "content": "557057", "container": "a1b2c3d4-macro"},
}
PRODUCTS = pytest.mark.parametrize("product", [JIRA, CONFLUENCE], ids=["jira", "confluence"])
METHODS = ("GET", "POST", "PUT", "DELETE")


def spread(cases: Any, *choices: Any) -> list[tuple[Any, ...]]:
    """Each case once, with the next combination of ``choices`` in turn (every one used at least once
    when there are enough cases): checks that do not depend on the product or the method (the token,
    the query, the body) run once per case, not once per case per product per method."""
    combos = list(itertools.product(*choices))
    return [(case, *combos[i % len(combos)]) for i, case in enumerate(cases)]


def _ids(value: Any) -> str:
    return value["product"] if isinstance(value, dict) else str(value)

FORBIDDEN = {"error": "forbidden", "message": "The token is missing or not valid."}


def poll_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Lunch 🍕",
        "description": "Where do we eat?",
        "options": [
            {"id": "1", "title": "Pizza", "order": 0},
            {"id": "2", "title": "Sushi", "order": 1},
        ],
        "settings": {
            "allowSelectionOfMultipleOptions": False,
            "resultsVisibility": "alwaysPublic",
            "endDate": "",
            "hideAbsoluteNumbers": False,
            "allowRevote": False,
            "saveParticipantNames": False,
            "closePollOnEndDate": False,
            "allowComment": False,
        },
    }
    body.update(changes)
    return body


def params(product: dict[str, Any], **extra: str) -> dict[str, str]:
    return {"token": TOKEN, "type": "polls", **product["item"], **extra}


@pytest.fixture
def store(tmp_path: Any) -> Iterator[PollStore]:
    with PollStore(tmp_path / "polls.db") as s:
        yield s


@pytest.fixture
async def client(store: PollStore) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(store, TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def create(client: httpx.AsyncClient, product: dict[str, Any], body: Any = None) -> dict[str, Any]:
    r = await client.post(product["path"], params=params(product), json=poll_body() if body is None else body)
    assert r.status_code == 200, r.text
    return r.json()


# -- 403 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "product", "method"),
    spread([None, "", "wrong-token", TOKEN + "x", "töken"], [JIRA, CONFLUENCE], METHODS),
    ids=_ids,
)
async def test_missing_or_wrong_token_is_403(client, product, method, token) -> None:
    query = params(product, pollId="some-id")
    if token is None:
        del query["token"]
    else:
        query["token"] = token
    r = await client.request(method, product["path"], params=query, json=poll_body())
    assert r.status_code == 403
    assert r.json() == FORBIDDEN
    assert r.headers["content-type"] == "application/json"


@PRODUCTS
async def test_token_is_checked_before_parameters(client, product) -> None:
    r = await client.get(product["path"], params={"token": "nope"})
    assert r.status_code == 403
    assert r.json() == FORBIDDEN


# -- 400: query parameters -----------------------------------------------------


@pytest.mark.parametrize(
    ("case", "method"),
    spread(
        [(JIRA, name, how) for name in ("type", "workspace", "content") for how in ("missing", "empty")]
        + [(CONFLUENCE, name, how) for name in ("type", "workspace", "content", "container") for how in ("missing", "empty")],
        METHODS,
    ),
    ids=lambda v: "-".join(_ids(x) for x in v) if isinstance(v, tuple) else v,
)
async def test_missing_required_parameter_is_400(client, case, method) -> None:
    product, name, how = case
    query = params(product, pollId="some-id")
    if how == "missing":
        del query[name]
    else:
        query[name] = ""
    r = await client.request(method, product["path"], params=query, json=poll_body())
    assert r.status_code == 400
    assert r.json() == {"error": "missing_parameter", "message": f"The query parameter {name!r} is required."}


@PRODUCTS
@pytest.mark.parametrize("value", ["poll", "POLLS", "votes", " polls"])
async def test_type_other_than_polls_is_400(client, product, value) -> None:
    r = await client.get(product["path"], params=params(product, type=value))
    assert r.status_code == 400
    assert r.json() == {
        "error": "invalid_parameter",
        "message": "The query parameter 'type' must be 'polls'.",
    }


async def test_jira_ignores_container(client) -> None:
    poll = await create(client, JIRA)
    r = await client.get(JIRA["path"], params=params(JIRA, container="whatever"))
    assert r.status_code == 200
    assert [p["id"] for p in r.json()] == [poll["id"]]


@PRODUCTS
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_put_and_delete_need_poll_id(client, product, method) -> None:
    await create(client, product)
    r = await client.request(method, product["path"], params=params(product), json=poll_body())
    assert r.status_code == 400
    assert r.json() == {
        "error": "missing_parameter",
        "message": f"The query parameter 'pollId' is required for {method}.",
    }


# -- 404 ---------------------------------------------------------------------


@PRODUCTS
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_unknown_poll_id_is_404(client, product, method) -> None:
    await create(client, product)
    r = await client.request(method, product["path"], params=params(product, pollId="nope"), json=poll_body())
    assert r.status_code == 404
    assert r.json() == {"error": "not_found", "message": "No poll with id 'nope' on this content item."}


@pytest.mark.parametrize(
    ("product", "other"),
    [
        (JIRA, {"content": "PLAT-1"}),
        (JIRA, {"workspace": "MOBI"}),
        (CONFLUENCE, {"content": "999"}),
        (CONFLUENCE, {"container": "other-macro"}),
    ],
    ids=["jira-issue", "jira-project", "confluence-page", "confluence-macro"],
)
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_poll_of_another_content_item_is_404(client, product, other, method) -> None:
    poll = await create(client, product)
    r = await client.request(
        method, product["path"], params=params(product, pollId=poll["id"], **other), json=poll_body()
    )
    assert r.status_code == 404
    assert r.json()["error"] == "not_found"
    # ...and nothing changed where the poll really lives.
    r = await client.get(product["path"], params=params(product))
    assert r.json() == [poll]


async def test_poll_of_the_other_product_is_404(client) -> None:
    poll = await create(client, JIRA)
    r = await client.get(
        CONFLUENCE["path"],
        params={"token": TOKEN, "type": "polls", **JIRA["item"], "container": "x", "pollId": poll["id"]},
    )
    assert r.status_code == 404


async def test_unknown_path_is_json_404(client) -> None:
    r = await client.get("/x1/trello", params=params(JIRA))
    assert r.status_code == 404
    assert r.json() == {"error": "not_found", "message": "There is no endpoint at this path."}


async def test_parameter_checks_come_before_404(client) -> None:
    query = {"token": TOKEN, "type": "polls", "workspace": "PLAT", "pollId": "x"}  # no content
    r = await client.get(JIRA["path"], params=query)
    assert r.status_code == 400


async def test_put_of_unknown_id_is_404_even_with_a_bad_body(client) -> None:
    r = await client.put(JIRA["path"], params=params(JIRA, pollId="nope"), content=b"{not json")
    assert r.status_code == 404


# -- 400: bodies -----------------------------------------------------------


def _without(key: str) -> dict[str, Any]:
    body = poll_body()
    del body[key]
    return body


def _option(index: int, **changes: Any) -> dict[str, Any]:
    body = poll_body()
    body["options"][index].update(changes)
    return body


def _setting(**changes: Any) -> dict[str, Any]:
    body = poll_body()
    body["settings"].update(changes)
    return body


BAD_BODIES = {
    "array": (json.dumps([poll_body()]), "The body must be a JSON object."),
    "string": ('"poll"', "The body must be a JSON object."),
    "null": ("null", "The body must be a JSON object."),
    "missing title": (json.dumps(_without("title")), "title must be a non-empty string."),
    "empty title": (json.dumps(poll_body(title="  ")), "title must be a non-empty string."),
    "title not a string": (json.dumps(poll_body(title=5)), "title must be a non-empty string."),
    "description not a string": (json.dumps(poll_body(description=None)), "description must be a string."),
    "missing options": (json.dumps(_without("options")), "options must be a list."),
    "options an object": (json.dumps(poll_body(options={"1": "Pizza"})), "options must be a list."),
    "option not an object": (json.dumps(poll_body(options=["Pizza"])), "options[0] must be an object."),
    "option id missing": (
        json.dumps(poll_body(options=[{"title": "Pizza", "order": 0}])),
        "options[0].id must be a non-empty string.",
    ),
    "option id a number": (json.dumps(_option(1, id=2)), "options[1].id must be a non-empty string."),
    "option id empty": (json.dumps(_option(0, id="")), "options[0].id must be a non-empty string."),
    "option title missing": (
        json.dumps(poll_body(options=[{"id": "1", "order": 0}])),
        "options[0].title must be a string.",
    ),
    "option order a string": (json.dumps(_option(1, order="1")), "options[1].order must be an integer."),
    "option order a bool": (json.dumps(_option(0, order=False)), "options[0].order must be an integer."),
    "option order a float": (json.dumps(_option(0, order=0.5)), "options[0].order must be an integer."),
    "duplicate option ids": (json.dumps(_option(1, id="1")), "Option id '1' is used more than once."),
    "settings not an object": (json.dumps(poll_body(settings=[])), "settings must be an object."),
    "boolean setting a string": (
        json.dumps(_setting(allowRevote="true")),
        "settings.allowRevote must be true or false.",
    ),
    "boolean setting a number": (
        json.dumps(_setting(hideAbsoluteNumbers=0)),
        "settings.hideAbsoluteNumbers must be true or false.",
    ),
    "resultsVisibility not a string": (
        json.dumps(_setting(resultsVisibility=None)),
        "settings.resultsVisibility must be a string.",
    ),
    "endDate not a string": (json.dumps(_setting(endDate=0)), "settings.endDate must be a string."),
    "not JSON": ("{title: 'x'}", "The body is not valid JSON."),
    "empty": ("", "The body is not valid JSON."),
    "NaN": (json.dumps(poll_body(score=float("nan"))), "The body is not valid JSON."),
    "huge float": ('{"title": "x", "options": [], "n": 1e999}', "The body is not valid JSON."),
}


@pytest.mark.parametrize(("case", "product", "method"), spread(BAD_BODIES, [JIRA, CONFLUENCE], ["POST", "PUT"]), ids=_ids)
async def test_invalid_body_is_400(client, store, product, method, case) -> None:
    raw, message = BAD_BODIES[case]
    poll = await create(client, product)
    r = await client.request(
        method,
        product["path"],
        params=params(product, pollId=poll["id"]),
        content=raw.encode(),
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.json() == {"error": "invalid_body", "message": message}
    r = await client.get(product["path"], params=params(product))
    assert r.json() == [poll]  # nothing created, nothing changed


async def test_body_that_is_not_utf8_is_400(client) -> None:
    r = await client.post(JIRA["path"], params=params(JIRA), content=b'{"title": "\xff"}')
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_body"


@PRODUCTS
async def test_minimal_poll_is_valid(client, product) -> None:
    poll = await create(client, product, {"title": "Yes or no?", "options": []})
    assert poll == {"id": poll["id"], "title": "Yes or no?", "options": []}


# -- round trip ------------------------------------------------------------


@PRODUCTS
async def test_create_get_put_delete_round_trip(client, product) -> None:
    r = await client.get(product["path"], params=params(product))
    assert (r.status_code, r.json()) == (200, [])

    created = await create(client, product)
    poll_id = created["id"]
    assert created == {"id": poll_id, **poll_body()}
    assert len(poll_id) == 36 and poll_id.count("-") == 4

    r = await client.get(product["path"], params=params(product, pollId=poll_id))
    assert (r.status_code, r.json()) == (200, [created])  # pollId filters the GET: still an array
    r = await client.get(product["path"], params=params(product))
    assert (r.status_code, r.json()) == (200, [created])

    edited = copy.deepcopy(created)
    edited["title"] = "Dinner 🍝"
    edited["options"].append({"id": "3", "title": "Tacos", "order": 2})
    edited["settings"]["allowRevote"] = True
    r = await client.put(product["path"], params=params(product, pollId=poll_id), json=edited)
    assert (r.status_code, r.json()) == (200, edited)
    r = await client.get(product["path"], params=params(product, pollId=poll_id))
    assert r.json() == [edited]

    r = await client.delete(product["path"], params=params(product, pollId=poll_id))
    assert (r.status_code, r.json()) == (200, {"id": poll_id, "deleted": True})
    r = await client.get(product["path"], params=params(product, pollId=poll_id))
    assert r.status_code == 404
    r = await client.get(product["path"], params=params(product))
    assert r.json() == []
    r = await client.delete(product["path"], params=params(product, pollId=poll_id))
    assert r.status_code == 404


async def test_post_replaces_any_id_and_drops_results(client) -> None:
    body = poll_body(id="my-own-id", results={"totalVotes": 99})
    poll = await create(client, JIRA, body)
    assert poll["id"] != "my-own-id"
    assert "results" not in poll
    assert list(poll) == ["id", "title", "description", "options", "settings"]


async def test_post_ignores_poll_id_parameter(client) -> None:
    r = await client.post(JIRA["path"], params=params(JIRA, pollId="chosen"), json=poll_body())
    assert r.status_code == 200
    assert r.json()["id"] != "chosen"


async def test_put_with_another_id_in_the_body_is_400(client) -> None:
    poll = await create(client, JIRA)
    r = await client.put(JIRA["path"], params=params(JIRA, pollId=poll["id"]), json=poll_body(id="other"))
    assert r.status_code == 400
    assert r.json() == {"error": "invalid_body", "message": "The poll's id does not match pollId."}


async def test_put_without_id_takes_poll_id_and_replaces_everything(client) -> None:
    poll = await create(client, JIRA, poll_body(extra="goes away"))
    replacement = {"title": "Only this", "options": [], "results": {"totalVotes": 1}}
    r = await client.put(JIRA["path"], params=params(JIRA, pollId=poll["id"]), json=replacement)
    assert r.json() == {"id": poll["id"], "title": "Only this", "options": []}
    r = await client.get(JIRA["path"], params=params(JIRA, pollId=poll["id"]))
    assert r.json() == [{"id": poll["id"], "title": "Only this", "options": []}]


async def test_list_keeps_creation_order_after_edits(client) -> None:
    ids = [(await create(client, JIRA, poll_body(title=f"Poll {i}")))["id"] for i in range(3)]
    [first] = (await client.get(JIRA["path"], params=params(JIRA, pollId=ids[0]))).json()
    await client.put(JIRA["path"], params=params(JIRA, pollId=ids[0]), json={**first, "title": "Edited"})
    r = await client.get(JIRA["path"], params=params(JIRA))
    assert [p["id"] for p in r.json()] == ids
    assert [p["title"] for p in r.json()] == ["Edited", "Poll 1", "Poll 2"]


async def test_content_items_are_separate(client) -> None:
    a = await create(client, JIRA)
    other = {**JIRA, "item": {"workspace": "PLAT", "content": "PLAT-2"}}
    b = await create(client, other)
    assert (await client.get(JIRA["path"], params=params(JIRA))).json() == [a]
    assert (await client.get(JIRA["path"], params=params(other))).json() == [b]


# -- unknown fields --------------------------------------------------------


def body_with_unknown_fields() -> dict[str, Any]:
    body = poll_body(labels=["q3", {"deep": [1, 2.5, None, True]}])
    body["x-origin"] = {"rev": 7, "emoji": "🦄"}
    body["options"][0]["color"] = "#336791"
    body["options"][1]["meta"] = {"tags": [], "weight": -3}
    body["settings"]["anonymousMode"] = "strict"
    body["settings"]["reminder"] = {"every": "P1D", "enabled": False}
    body["settings"]["resultsVisibility"] = "afterTheHeatDeathOfTheUniverse"
    return body


@PRODUCTS
async def test_unknown_fields_survive_post_and_put_exactly(client, product) -> None:
    body = body_with_unknown_fields()
    created = await create(client, product, body)
    assert created == {"id": created["id"], **body}
    r = await client.get(product["path"], params=params(product, pollId=created["id"]))
    assert r.json() == [created]

    edited = copy.deepcopy(created)
    edited["title"] = "Edited"
    edited["options"].reverse()
    edited["settings"]["reminder"]["enabled"] = True
    edited["brandNew"] = {"nested": {"list": ["a", "ü"]}}
    r = await client.put(product["path"], params=params(product, pollId=created["id"]), json=edited)
    assert r.json() == edited
    r = await client.get(product["path"], params=params(product))
    assert r.json() == [edited]
    assert list(r.json()[0]) == list(edited)  # key order too


# -- results ---------------------------------------------------------------


@PRODUCTS
async def test_results_shape_with_votes(client, store, product) -> None:
    body = poll_body(
        options=[
            {"id": "b", "title": "Second", "order": 1},
            {"id": "c", "title": "Never chosen", "order": 2},
            {"id": "a", "title": "First", "order": 0},
        ],
        settings={"allowSelectionOfMultipleOptions": True},
    )
    poll = await create(client, product, body)
    store.add_vote(poll["id"], ["a", "b"], "ana")
    store.add_vote(poll["id"], ["a"], "ben")
    store.add_vote(poll["id"], ["b"], "chen")
    store.add_vote(poll["id"], ["a"], "dana")
    expected = {
        "totalVotes": 5,
        "totalVoters": 4,
        "options": [
            {"optionId": "a", "votes": 3},
            {"optionId": "b", "votes": 2},
            {"optionId": "c", "votes": 0},
        ],
    }
    r = await client.get(product["path"], params=params(product, pollId=poll["id"], expand="results"))
    assert r.json() == [{**poll, "results": expected}]
    r = await client.get(product["path"], params=params(product, expand="results"))
    assert r.json() == [{**poll, "results": expected}]
    r = await client.get(product["path"], params=params(product))
    assert r.json() == [poll]  # no results unless asked


async def test_results_of_a_poll_without_votes(client) -> None:
    poll = await create(client, JIRA)
    r = await client.get(JIRA["path"], params=params(JIRA, pollId=poll["id"], expand="results"))
    assert r.json()[0]["results"] == {
        "totalVotes": 0,
        "totalVoters": 0,
        "options": [{"optionId": "1", "votes": 0}, {"optionId": "2", "votes": 0}],
    }


async def test_results_key_in_put_body_is_not_stored(client, store) -> None:
    poll = await create(client, JIRA)
    store.add_vote(poll["id"], ["2"], "ana")
    fake = {"totalVotes": 1000, "totalVoters": 1000, "options": []}
    r = await client.put(JIRA["path"], params=params(JIRA, pollId=poll["id"]), json={**poll, "results": fake})
    assert r.json() == poll
    r = await client.get(JIRA["path"], params=params(JIRA, pollId=poll["id"], expand="results"))
    assert r.json()[0]["results"]["totalVotes"] == 1


# -- protocol details --------------------------------------------------------


@PRODUCTS
@pytest.mark.parametrize("method", ["PATCH", "OPTIONS"])
async def test_other_methods_are_405(client, product, method) -> None:
    r = await client.request(method, product["path"], params=params(product))
    assert r.status_code == 405
    assert r.json() == {"error": "method_not_allowed", "message": "This method is not allowed here."}
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "POST", "PUT", "DELETE"}


async def test_emoji_travel_as_utf8(client) -> None:
    await create(client, JIRA, poll_body(title="Stars ⭐"))
    r = await client.get(JIRA["path"], params=params(JIRA))
    assert r.headers["content-type"] == "application/json"
    assert "Stars ⭐".encode() in r.content
    assert b"\\u" not in r.content


async def test_token_never_appears_in_any_response(client, store) -> None:
    """Every kind of response, success and error, is free of the token."""
    seen: list[httpx.Response] = []
    poll = await create(client, JIRA, poll_body(title="t"))
    store.add_vote(poll["id"], ["1"], "ana")
    calls = [
        ("GET", JIRA, {}, None),
        ("GET", JIRA, {"pollId": poll["id"], "expand": "results"}, None),
        ("GET", JIRA, {"pollId": "missing"}, None),
        ("GET", JIRA, {"type": "nope"}, None),
        ("GET", JIRA, {"workspace": ""}, None),
        ("GET", CONFLUENCE, {"container": ""}, None),
        ("GET", JIRA, {"token": TOKEN[:-1]}, None),
        ("POST", JIRA, {}, poll_body()),
        ("POST", JIRA, {}, {"title": ""}),
        ("PUT", JIRA, {"pollId": poll["id"]}, {**poll, "id": "x"}),
        ("PUT", JIRA, {}, poll),
        ("PUT", JIRA, {"pollId": poll["id"]}, poll),
        ("DELETE", JIRA, {"pollId": "missing"}, None),
        ("PATCH", JIRA, {}, None),
        ("DELETE", JIRA, {"pollId": poll["id"]}, None),
    ]
    for method, product, extra, body in calls:
        seen.append(await client.request(method, product["path"], params=params(product, **extra), json=body))
    assert sorted({r.status_code for r in seen}) == [200, 400, 403, 404, 405]
    for r in seen:
        assert TOKEN not in r.text
        assert TOKEN[:8] not in r.text
