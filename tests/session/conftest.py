"""Fixtures for the session layer: a Session on the seeded reference server (ASGI), and scripted answers.

The session's questions are answered by :class:`Answers`, a plain object that implements the
:class:`~pollstui.session.ask.Ask` protocol from a script and remembers what was asked; a question
that was not scripted fails the test.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from pollstui.api.address import ContentRef
from pollstui.api.models import Poll
from pollstui.session.ask import ArrivedChoice, ConflictChoice, Question
from pollstui.session.session import Session
from pollstui.settings import Connection
from tests.api.conftest import JIRA_ENDPOINT, Recorder, asgi_transport, store  # noqa: F401 (fixtures)
from tests.conftest import TOKEN
from tests.transports import FaultTransport

AUDIT = ContentRef.create("jira", "PLAT", "PLAT-254630")  # the poll with unknown fields lives here
STARS = ContentRef.create("jira", "PLAT", "PLAT-254604")
OTHER = ContentRef.create("jira", "PLAT", "PLAT-254611")
AUDIT_TITLE = "Database for the new audit log 🗄️"


class Answers:
    """Answers the session's questions from a script, in order; records each question."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.asked: list[Any] = []

    def _next(self, question: Any) -> Any:
        self.asked.append(question)
        if not self.script:
            raise AssertionError(f"an unexpected question: {question!r}")
        return self.script.pop(0)

    async def confirm(self, question: Question) -> bool:
        answer = self._next(question)
        assert isinstance(answer, bool), (question, answer)
        return answer

    async def conflict(self, original: Poll, theirs: Poll) -> ConflictChoice:
        answer = self._next(("conflict", theirs))
        assert isinstance(answer, ConflictChoice)
        return answer

    async def arrived(self, ref: ContentRef, found: Poll) -> ArrivedChoice:
        answer = self._next(("arrived", found))
        assert isinstance(answer, ArrivedChoice)
        return answer

    @property
    def questions(self) -> list[Question]:
        return [q for q in self.asked if isinstance(q, Question)]


@pytest.fixture
def faults(asgi_transport) -> FaultTransport:  # noqa: F811
    """The seeded reference server over ASGI, with the faults a test sets (tests/transports.py)."""
    return FaultTransport(asgi_transport)


@pytest.fixture
def connection() -> Connection:
    return Connection(JIRA_ENDPOINT, TOKEN, "jira", allow_insecure=True, ref=AUDIT)


@pytest.fixture
async def make_session(faults, connection) -> AsyncIterator[Callable[..., Session]]:
    made: list[Session] = []

    def make(**kwargs: Any) -> Session:
        kwargs.setdefault("client_factory", lambda c: c.make_client(transport=faults, sleep=Recorder()))
        session = Session(kwargs.pop("connection", connection), **kwargs)
        made.append(session)
        return session

    yield make
    for session in made:
        await session.aclose()


@pytest.fixture
def session(make_session) -> Session:
    return make_session()


def poll_body(title: str = "Lunch?") -> dict:
    """A poll's wire body carrying fields pollstui does not know (kept through a save and an undo)."""
    return {
        "title": title,
        "description": "",
        "options": [{"id": "1", "title": "Yes", "order": 0, "x": 1}],
        "settings": {"allowRevote": True, "unknownSetting": "kept"},
        "topLevelExtra": {"a": [1]},
    }


def fail_reads_after_the_first(monkeypatch, faults: FaultTransport, client, method: str) -> None:  # noqa: ANN001
    """The first call of ``client.<method>`` passes; from the second on the server answers GETs 503.

    For a write whose answer is lost: the read before it passes, the look after it fails.
    """
    real = getattr(client, method)
    reads = []

    async def read(*args, **kwargs):  # noqa: ANN002, ANN003
        reads.append(args)
        if len(reads) > 1:
            faults.fail["GET"] = 503
        return await real(*args, **kwargs)

    monkeypatch.setattr(client, method, read)


def stored(store, ref: ContentRef, poll_id: str) -> dict | None:  # noqa: F811
    return store.get_poll(ref.product, ref.workspace, ref.content, ref.container, poll_id)


def stored_polls(store, ref: ContentRef) -> list[dict]:  # noqa: F811
    return store.list_polls(ref.product, ref.workspace, ref.content, ref.container)


def loaded(store, ref: ContentRef, title: str) -> Poll:  # noqa: F811
    """The poll as a screen would have it from GET ?expand=results."""
    for body in stored_polls(store, ref):
        if body["title"] == title:
            return Poll.from_api({**body, "results": store.results(body["id"])})
    raise LookupError(title)
