"""Fixtures for the API layer's tests: the reference server over ASGI, and a token checker.

Most client tests talk to the real reference server app through ``httpx.ASGITransport``
(fast, no sockets); the end-to-end ones use the lead's ``ref_server`` (uvicorn on loopback).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.server import PollStore, create_app, seed_demo_data
from tests.conftest import TOKEN

#: The ASGI transport ignores the host; "testserver" is not loopback, hence allow_insecure.
JIRA_ENDPOINT = "http://testserver/x1/jira"
CONFLUENCE_ENDPOINT = "http://testserver/x1/confluence"

#: Content items the seed puts polls on (pollstui.server.seed).
PLAT_254604 = ContentRef.create("jira", "PLAT", "PLAT-254604")
PLAT_254630 = ContentRef.create("jira", "PLAT", "PLAT-254630")
OFFSITE = ContentRef.create("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")


class Recorder:
    """An injectable ``sleep`` that records the delays instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
def store(tmp_path) -> Iterator[PollStore]:
    """A seeded store of the reference server, in this test's tmp_path."""
    with PollStore(tmp_path / "api.sqlite3") as s:
        seed_demo_data(s)
        yield s


@pytest.fixture
def asgi_transport(store: PollStore) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app(store, TOKEN))


@pytest.fixture
async def make_client(asgi_transport) -> AsyncIterator[Callable[..., PollsClient]]:
    """Build PollsClients on the ASGI reference server (closed at the end of the test)."""
    made: list[PollsClient] = []

    def make(product: str = "jira", token: str = TOKEN, **kwargs: Any) -> PollsClient:
        endpoint = JIRA_ENDPOINT if product == "jira" else CONFLUENCE_ENDPOINT
        kwargs.setdefault("transport", asgi_transport)
        kwargs.setdefault("allow_insecure", True)
        kwargs.setdefault("sleep", Recorder())
        client = PollsClient(endpoint, token, **kwargs)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
def jira(make_client) -> PollsClient:
    return make_client("jira")


@pytest.fixture
def confluence(make_client) -> PollsClient:
    return make_client("confluence")


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything in its __cause__ / __context__ chain (no repeats)."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo.extend([item.__cause__, item.__context__])  # type: ignore[list-item]
    return seen


def texts_of(exc: BaseException) -> list[str]:
    """Every text an exception can show: str, repr, args, attributes, and the formatted traceback."""
    out: list[str] = []
    for item in _chain(exc):
        out += [str(item), repr(item), repr(item.args)]
        out += [repr(v) for v in vars(item).values()]
        out += [repr(n) for n in getattr(item, "__notes__", [])]
    out.append("".join(traceback.format_exception(exc)))
    return out


@pytest.fixture
def assert_no_token() -> Callable[[BaseException, str], None]:
    """Check that no text of an exception (or of its chain) contains ``token``."""

    def check(exc: BaseException, token: str = TOKEN) -> None:
        assert token, "checking for an empty token proves nothing"
        for text in texts_of(exc):
            assert token not in text, text
        # No httpx object anywhere in the chain: its request would carry the URL.
        for item in _chain(exc):
            assert not isinstance(item, httpx.HTTPError), repr(item)
            for value in vars(item).values():
                assert not isinstance(value, (httpx.Request, httpx.Response)), repr(value)

    return check


@pytest.fixture
def debug_logs(caplog) -> pytest.LogCaptureFixture:
    """caplog at DEBUG for httpx, httpcore and pollstui."""
    for name in ("httpx", "httpcore", "pollstui"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog
