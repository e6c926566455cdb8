"""The error tree, and the redaction that keeps the token out of every text."""

from __future__ import annotations

import copy
import pickle

import pytest

from pollstui.api import errors
from pollstui.api.errors import (
    MASK,
    APIError,
    BadRequestError,
    InvalidInputError,
    NetworkError,
    NotPermittedError,
    PollNotFoundError,
    PollsError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    mask_token,
    redact,
    register_secret,
)


@pytest.fixture(autouse=True)
def clean_secrets(monkeypatch):
    """Each test starts with no registered secrets (the set is process-wide)."""
    monkeypatch.setattr(errors, "_SECRETS", set())


@pytest.mark.parametrize(
    ("cls", "parents"),
    [
        (InvalidInputError, (PollsError, ValueError)),
        (TransportError, (PollsError,)),
        (NetworkError, (TransportError, PollsError)),
        (RequestTimeoutError, (TransportError, PollsError)),
        (APIError, (PollsError,)),
        (BadRequestError, (APIError, PollsError)),
        (NotPermittedError, (APIError, PollsError)),
        (PollNotFoundError, (APIError, PollsError)),
        (RateLimitedError, (APIError, PollsError)),
        (ServerError, (APIError, PollsError)),
        (UnexpectedResponseError, (PollsError,)),
    ],
)
def test_tree(cls: type, parents: tuple[type, ...]) -> None:
    for parent in parents:
        assert issubclass(cls, parent)


def test_transport_api_and_unexpected_branches_are_separate() -> None:
    assert not issubclass(NetworkError, APIError)
    assert not issubclass(ServerError, TransportError)
    assert not issubclass(UnexpectedResponseError, (APIError, TransportError))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET https://h/x1?token=abc-123&type=polls", "GET https://h/x1?token=***&type=polls"),
        ("https://h/x1?type=polls&token=abc-123", "https://h/x1?type=polls&token=***"),
        ("https://h/x1?TOKEN=abc-123 failed", "https://h/x1?TOKEN=*** failed"),
        ("'https://h/x1?token=abc%2F12'", "'https://h/x1?token=***'"),
        ("<https://h/x1?token=abc>", "<https://h/x1?token=***>"),
        ('"https://h/x1?token=abc"', '"https://h/x1?token=***"'),
        ("a?token=&b=1", "a?token=***&b=1"),
        ("no url here", "no url here"),
    ],
)
def test_redact_token_query_values(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_registered_secrets_anywhere() -> None:
    register_secret("s3cr3t-value")
    assert redact("the token s3cr3t-value, again s3cr3t-value.") == f"the token {MASK}, again {MASK}."


def test_a_secret_inside_another_never_leaves_the_rest_of_the_longer_one() -> None:
    register_secret("secret")  # registered first or last, the longer token is masked whole
    register_secret("env-secret-0001")
    register_secret("flag-secret-0002")
    assert redact("env-secret-0001 flag-secret-0002 secret") == f"{MASK} {MASK} {MASK}"


def test_short_or_empty_secrets_are_not_registered() -> None:
    register_secret("abc")
    register_secret("")
    register_secret(None)
    assert errors._SECRETS == set()
    assert redact("abc and a") == "abc and a"


@pytest.mark.parametrize(
    ("token", "shown"),
    [(None, "(none)"), ("", "(none)"), ("short", MASK), ("12345678", MASK), ("f991ebe3-2d93-4fd9", "f991…d9")],
)
def test_mask_token(token: str | None, shown: str) -> None:
    assert mask_token(token) == shown


def test_mask_token_never_shows_most_of_it() -> None:
    token = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
    assert mask_token(token) == "f991…37"


@pytest.mark.parametrize("cls", [PollsError, InvalidInputError, NetworkError, RequestTimeoutError, UnexpectedResponseError])
def test_messages_are_redacted_in_every_view(cls: type[PollsError]) -> None:
    register_secret("tok-SECRET-1")
    error = cls("Loading https://h/x1?token=tok-SECRET-1&type=polls failed; tok-SECRET-1 refused.")
    expected = "Loading https://h/x1?token=***&type=polls failed; *** refused."
    assert str(error) == expected
    assert error.message == expected
    assert error.args == (expected,)
    assert repr(error) == f"{cls.__name__}({expected!r})"


@pytest.mark.parametrize("cls", [APIError, BadRequestError, NotPermittedError, PollNotFoundError, RateLimitedError, ServerError])
def test_api_errors_redact_the_server_message_too(cls: type[APIError]) -> None:
    register_secret("tok-SECRET-1")
    error = cls("Saving failed (400): tok-SECRET-1", 400, "echo: token=tok-SECRET-1")
    assert str(error) == "Saving failed (400): ***"
    assert error.server_message == "echo: token=***"
    assert error.status_code == 400
    assert "tok-SECRET-1" not in repr(error) + repr(error.args) + repr(vars(error))


def test_api_error_without_a_server_message() -> None:
    error = ServerError("boom", 500)
    assert (error.status_code, error.server_message) == (500, None)
    assert ServerError("boom", 500, "").server_message is None


def test_errors_survive_pickling_for_workers() -> None:
    error = NetworkError("could not reach host")
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is NetworkError and str(clone) == "could not reach host"


def test_api_errors_survive_pickling_and_copying() -> None:
    error = RateLimitedError("slow down", 429, "too many")
    error.retry_after = 2.0  # type: ignore[attr-defined]
    for clone in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
        assert type(clone) is RateLimitedError
        assert (str(clone), clone.status_code, clone.server_message) == ("slow down", 429, "too many")
        assert clone.retry_after == 2.0  # type: ignore[attr-defined]
