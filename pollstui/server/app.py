"""The HTTP side of the reference server: the Polls REST API as a Starlette app.

One endpoint per product, ``/x1/jira`` and ``/x1/confluence``; each takes GET,
POST, PUT and DELETE (anything else is 405) with everything else in the query
string, as in the Polls REST API docs. Checks run in this order, first failure wins:

1. ``403 forbidden``          ``token`` missing or wrong (constant-time compare).
2. ``400 missing_parameter``  ``type``, ``workspace``, ``content`` missing or empty;
                              ``container`` too on Confluence (ignored on Jira).
   ``400 invalid_parameter``  ``type`` is not exactly ``polls``.
3. ``400 missing_parameter``  PUT or DELETE without ``pollId``.
4. ``404 not_found``          GET/PUT/DELETE of a ``pollId`` this content item does not hold.
5. ``413 too_large``          POST/PUT body over 1 MiB (:data:`MAX_BODY`), refused by its
                              ``Content-Length`` or, without one, as soon as the count passes it.
6. ``400 invalid_body``       POST/PUT body that is not UTF-8 JSON, is nested more than 64 levels
                              (:data:`MAX_DEPTH`), holds a lone surrogate (``"\\ud800"``: not
                              Unicode text), is not an object, or not a valid poll (a number
                              where a string belongs, …). Bad input is never a 500.

Successful responses:

- GET     200, JSON array of the content item's polls in creation order. ``pollId``
          filters it: an array holding that one poll (the docs give ``Poll[]`` for GET
          and ``pollId`` as a filter on it); 404 when no poll has that id.
- POST    200, the created poll, ``id`` set to a new uuid4 (any body ``id`` is replaced).
- PUT     200, the stored poll. The body replaces the whole poll; its ``id`` must
          equal ``pollId`` or be absent (then it is set to ``pollId``).
- DELETE  200, ``{"id": "<pollId>", "deleted": true}``.

Results (our choice; the API docs leave the shape open). With ``expand=results``
each poll returned by GET carries::

    "results": {
      "totalVotes": 12,
      "totalVoters": 9,
      "options": [{"optionId": "1", "votes": 5}, {"optionId": "2", "votes": 7}]
    }

one entry per option of the poll in display order (by ``order``), ``votes`` 0
when none; ``totalVotes`` is the sum of the option votes and ``totalVoters`` the
number of distinct voters (they differ on multiple-choice polls). ``results`` is
computed, never stored: a ``results`` key in a POST/PUT body is dropped.

Error bodies are ``{"error": "<short code>", "message": "<plain sentence>"}``
and never contain the token. Unknown fields, at any level of a poll, are stored
and returned exactly: the API is a beta and clients must cope with that.
"""

from __future__ import annotations

import hmac
import json
import math
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pollstui.server.store import PollStore

__all__ = ["PRODUCTS", "create_app", "validate_poll"]

PRODUCTS = ("jira", "confluence")
"""The products, one endpoint each: ``/x1/<product>``."""

_BOOLEAN_SETTINGS = (
    "allowSelectionOfMultipleOptions",
    "hideAbsoluteNumbers",
    "allowRevote",
    "saveParticipantNames",
    "closePollOnEndDate",
    "allowComment",
)
_STRING_SETTINGS = ("resultsVisibility", "endDate")

#: The largest POST/PUT body accepted (1 MiB); larger ones are answered 413.
MAX_BODY = 1024 * 1024
#: How deep a body may nest (objects and arrays); deeper ones are answered 400.
MAX_DEPTH = 64
#: The most options a poll may have; more is answered 400. The API names no limit; a poll with
#: more options than this is not one people vote on (clients must still cope with any number).
MAX_OPTIONS = 200


class ApiError(Exception):
    """A request the API refuses; turned into a JSON error response."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def response(self) -> JSONResponse:
        return _error(self.status, self.error, self.message)


def _error(
    status: int, error: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse({"error": error, "message": message}, status_code=status, headers=headers)


# -- poll validation --------------------------------------------------------


def validate_poll(body: Any) -> str | None:
    """Why ``body`` is not a valid poll, as a plain sentence; None when it is.

    Only the fields the API documents are checked; anything else is the
    client's business and is kept as sent.
    """
    if not isinstance(body, dict):
        return "The body must be a JSON object."
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        return "title must be a non-empty string."
    if "description" in body and not isinstance(body["description"], str):
        return "description must be a string."
    options = body.get("options")
    if not isinstance(options, list):
        return "options must be a list."
    if len(options) > MAX_OPTIONS:
        return f"A poll has at most {MAX_OPTIONS} options; this one has {len(options):,}. Remove some, or split the poll."
    seen: set[str] = set()
    for i, option in enumerate(options):
        if not isinstance(option, dict):
            return f"options[{i}] must be an object."
        option_id = option.get("id")
        if not isinstance(option_id, str) or not option_id:
            return f"options[{i}].id must be a non-empty string."
        if option_id in seen:
            return f"Option id {option_id!r} is used more than once."
        seen.add(option_id)
        if not isinstance(option.get("title"), str):
            return f"options[{i}].title must be a string."
        order = option.get("order")
        if not isinstance(order, int) or isinstance(order, bool):
            return f"options[{i}].order must be an integer."
    if "settings" in body:
        settings = body["settings"]
        if not isinstance(settings, dict):
            return "settings must be an object."
        for key in _BOOLEAN_SETTINGS:
            if key in settings and not isinstance(settings[key], bool):
                return f"settings.{key} must be true or false."
        for key in _STRING_SETTINGS:
            if key in settings and not isinstance(settings[key], str):
                return f"settings.{key} must be a string."
    return None


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def _read_body(request: Request) -> bytes:
    """The request body, refused with 413 past :data:`MAX_BODY` bytes before it is read whole:
    by its ``Content-Length`` when it gives one, else by counting while it streams in."""
    too_large = ApiError(413, "too_large", f"The body is larger than {MAX_BODY // 1024} KiB; this server refuses it.")
    length = request.headers.get("content-length", "")
    if length.strip().isdigit() and int(length) > MAX_BODY:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _check_text(value: Any, where: str = "the body", depth: int = 0) -> str | None:
    """Why ``value`` cannot be stored: nested past :data:`MAX_DEPTH`, or a lone surrogate in a
    string or key (not Unicode text: it cannot be encoded to UTF-8). None when it can."""
    if depth > MAX_DEPTH:
        return f"The body is nested more than {MAX_DEPTH} levels deep."
    if isinstance(value, str):
        bad = next((ch for ch in value if "\ud800" <= ch <= "\udfff"), None)
        if bad is not None:
            return f"{where} holds a lone surrogate (\\u{ord(bad):04x}), which is not Unicode text."
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _check_text(key, f"a key in {where}", depth) or _check_text(item, f"{where}.{key}" if where != "the body" else key, depth + 1)
            if problem:
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            problem = _check_text(item, f"{where}[{index}]", depth + 1)
            if problem:
                return problem
    return None


async def _read_poll(request: Request) -> dict[str, Any]:
    """The request body as a poll without ``results``, or ApiError (400, 413)."""
    raw = await _read_body(request)
    try:
        body = json.loads(
            raw.decode("utf-8"), parse_float=_finite_float, parse_constant=_reject_constant
        )
    except RecursionError:
        raise ApiError(400, "invalid_body", f"The body is nested more than {MAX_DEPTH} levels deep.") from None
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_body", "The body is not valid JSON.") from None
    problem = _check_text(body) or validate_poll(body)
    if problem:
        raise ApiError(400, "invalid_body", problem)
    body.pop("results", None)
    return body


# -- the endpoint -----------------------------------------------------------


class _Query:
    """The checked query string of one request (steps 1–3 of the module docstring)."""

    def __init__(self, request: Request, product: str, token: str) -> None:
        params = request.query_params
        given = params.get("token", "")
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(403, "forbidden", "The token is missing or not valid.")
        required = ["type", "workspace", "content"]
        if product == "confluence":
            required.append("container")
        for name in required:
            if not params.get(name):
                raise ApiError(400, "missing_parameter", f"The query parameter {name!r} is required.")
        if params["type"] != "polls":
            raise ApiError(400, "invalid_parameter", "The query parameter 'type' must be 'polls'.")
        self.scope = (
            product,
            params["workspace"],
            params["content"],
            params["container"] if product == "confluence" else "",
        )
        self.poll_id = params.get("pollId", "")
        if request.method in ("PUT", "DELETE") and not self.poll_id:
            message = f"The query parameter 'pollId' is required for {request.method}."
            raise ApiError(400, "missing_parameter", message)
        self.expand = {part.strip() for part in params.get("expand", "").split(",")}


class _Endpoint:
    """``/x1/<product>``: check the query, then one handler per method."""

    def __init__(self, store: PollStore, product: str, token: str) -> None:
        self.store, self.product, self.token = store, product, token

    async def handle(self, request: Request) -> Response:
        try:
            query = _Query(request, self.product, self.token)
            handler = {
                "GET": self.get,
                "HEAD": self.get,
                "POST": self.post,
                "PUT": self.put,
                "DELETE": self.delete,
            }[request.method]
            return JSONResponse(await handler(request, query))
        except ApiError as exc:
            return exc.response()

    def _existing(self, query: _Query) -> dict[str, Any]:
        poll = self.store.get_poll(*query.scope, query.poll_id)
        if poll is None:
            raise ApiError(404, "not_found", f"No poll with id {query.poll_id!r} on this content item.")
        return poll

    def _expand(self, poll: dict[str, Any], query: _Query) -> dict[str, Any]:
        if "results" in query.expand:
            return {**poll, "results": self.store.results(poll["id"])}
        return poll

    async def get(self, request: Request, query: _Query) -> Any:
        if query.poll_id:  # pollId filters the GET: still an array, as the docs read (Poll[])
            return [self._expand(self._existing(query), query)]
        return [self._expand(poll, query) for poll in self.store.list_polls(*query.scope)]

    async def post(self, request: Request, query: _Query) -> Any:
        return self.store.create_poll(*query.scope, await _read_poll(request))

    async def put(self, request: Request, query: _Query) -> Any:
        self._existing(query)
        body = await _read_poll(request)
        if "id" in body and body["id"] != query.poll_id:
            raise ApiError(400, "invalid_body", "The poll's id does not match pollId.")
        poll = self.store.replace_poll(*query.scope, query.poll_id, body)
        return poll if poll is not None else self._existing(query)  # raises: deleted meanwhile

    async def delete(self, request: Request, query: _Query) -> Any:
        if not self.store.delete_poll(*query.scope, query.poll_id):
            self._existing(query)  # raises 404
        return {"id": query.poll_id, "deleted": True}


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown path, 405) in our JSON error format."""
    assert isinstance(exc, HTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    message = {404: "There is no endpoint at this path.", 405: "This method is not allowed here."}
    return _error(
        exc.status_code,
        codes.get(exc.status_code, "http_error"),
        message.get(exc.status_code, exc.detail),
        headers=dict(exc.headers) if exc.headers else None,
    )


def create_app(store: PollStore, token: str, *, pages: bool = False) -> Starlette:
    """The Polls REST API over ``store``, accepting only ``token``; with ``pages``, also a small
    web page per content item (:mod:`pollstui.server.pages`: the demo's site).

    The app does not own the store: whoever created it closes it.
    """
    if not token:
        raise ValueError("the server needs a non-empty token")
    methods = ["GET", "POST", "PUT", "DELETE"]
    routes = [
        Route(f"/x1/{product}", _Endpoint(store, product, token).handle, methods=methods)
        for product in PRODUCTS
    ]
    if pages:
        from pollstui.server.pages import page_routes

        routes += page_routes(store)
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
