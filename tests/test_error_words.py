"""Each front end words the API's errors in its own table: the CLI's exit codes (README, "Exit
codes"), the TUI's headings and status-line words. A class without a line of its own takes its
nearest parent's."""

from __future__ import annotations

import pytest

from pollstui.api.errors import (
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
    UnexpectedResponseError,
)
from pollstui.cli.errors import (
    DeclinedError,
    ImportIncompleteError,
    MissingExtraError,
    ReadOnlyError,
    ServeError,
    UncertainCreateError,
    UsageError,
    exit_code,
)
from pollstui.profiles import ProfileFileError, ProfileWriteError
from pollstui.tui import errors as tui_errors


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInputError("x"), 2),
        (UsageError("x"), 2),
        (ProfileWriteError("x"), 2),
        (MissingExtraError("x"), 2),
        (NotPermittedError("x", 401), 3),
        (ReadOnlyError("x"), 3),
        (PollNotFoundError("x", 404), 4),
        (PollNotFoundError("x", 200), 4),
        (BadRequestError("x", 413), 5),
        (NetworkError("x"), 6),
        (RequestTimeoutError("x"), 6),
        (APIError("x", 418), 6),
        (RateLimitedError("x", 429), 6),
        (ServerError("x", 424), 6),
        (UnexpectedResponseError("x"), 6),
        (ServeError("x"), 6),
        (PollsError("x"), 6),
        (UncertainCreateError("x"), 7),
        (DeclinedError("x"), 8),
        (ImportIncompleteError("x", PollNotFoundError("y", 404)), 4),  # the code of what stopped it
        (ImportIncompleteError("x", ServerError("y", 500)), 6),
    ],
)
def test_cli_exit_codes(error: PollsError, code: int) -> None:
    assert exit_code(error) == code


def test_a_new_subclass_takes_its_parents_code() -> None:
    class BodyTooLarge(BadRequestError):
        pass

    class Profiles(ProfileFileError):
        pass

    assert (exit_code(BodyTooLarge("x", 413)), exit_code(Profiles("x"))) == (5, 2)


@pytest.mark.parametrize(
    ("error", "title", "short"),
    [
        (NetworkError("x"), "Cannot reach the server", "cannot reach the server"),
        (RequestTimeoutError("x"), "Cannot reach the server", "the server did not answer in time"),
        (NotPermittedError("x", 403), "Token refused", "the token was refused"),
        (PollNotFoundError("x", 404), "The server said no", "not found (404)"),
        (PollNotFoundError("x", 200), "The server said no", "no such poll"),  # an empty array
        (RateLimitedError("x", 429), "Too many requests", "too many requests (429)"),
        (ServerError("x", 424), "The server said no", "the server took too long to answer"),
        (ServerError("x", 502), "The server said no", "the server answered 502"),
        (BadRequestError("x", 400), "The server said no", "the server answered 400"),
        (UnexpectedResponseError("x"), "Unexpected answer", "unexpected answer from the server"),
        (InvalidInputError("x"), "Not usable", "not usable as given"),
        (ProfileFileError("x"), "Error", "something went wrong"),
    ],
)
def test_tui_titles_and_status_words(error: PollsError, title: str, short: str) -> None:
    assert (tui_errors.words_for(error).title, tui_errors.short(error)) == (title, short)


def test_tui_words_for_what_is_not_a_polls_error() -> None:
    assert tui_errors.short(KeyError("x")) == "something went wrong"


# --- facts below, words above -------------------------------------------------------------------


def test_api_errors_carry_no_front_ends_words() -> None:
    """No exit code, heading or status-line form on the API's errors: the front ends' tables have them."""
    errors = [InvalidInputError("x"), NetworkError("x"), RequestTimeoutError("x"), UnexpectedResponseError("x")]
    errors += [cls("x", 500) for cls in (APIError, BadRequestError, NotPermittedError, PollNotFoundError, RateLimitedError, ServerError)]
    for error in errors:
        assert not [name for name in ("exit_code", "title", "short", "_short") if hasattr(error, name)], error


def test_the_api_and_session_sources_name_no_exit_code_and_no_key() -> None:
    """A guard beside the behaviour tests (tests/session/test_changes.py): the lower layers'
    sources hold no exit code and no message naming a key."""
    from pathlib import Path

    from tests.session.test_changes import NAMES_A_KEY

    package = Path(__file__).parents[1] / "pollstui"
    sources = {path: path.read_text(encoding="utf-8") for layer in ("api", "session") for path in (package / layer).glob("*.py")}
    assert len(sources) > 15
    assert [path.name for path, text in sources.items() if "exit_code" in text] == []
    assert [(path.name, line) for path, text in sources.items() for line in text.splitlines() if NAMES_A_KEY.search(line)] == []


@pytest.mark.parametrize("status", [301, 400, 401, 403, 404, 405, 413, 418, 424, 429, 500, 502, 503])
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_the_api_says_what_happened_and_leaves_what_to_do_to_the_front_ends(status: int, method: str) -> None:
    import httpx

    from pollstui.api.answers import Request, status_error
    from pollstui.cli.errors import told as cli_told

    request = Request(method, f"{method} on PLAT-1", "polls.example.com", "project PLAT", None if method == "POST" else "7")
    error = status_error(request, httpx.Response(status, json={"message": "No."}))
    maybe_done = method != "GET" and (status == 424 or status >= 500)  # the server may have acted first
    assert (error.write, error.poll_id, error.maybe_done) == (method != "GET", request.poll_id, maybe_done)
    text = str(error).lower()
    assert not [w for w in ("check", "try again", "refresh", "pollstui", "wait a moment") if w in text], text
    for told in (cli_told, tui_errors.told):
        said = told(error)
        assert said.startswith(str(error)) and len(said) > len(str(error)) + 10  # the front end's advice follows


def test_each_front_end_words_what_to_do_from_the_facts() -> None:
    from pollstui.cli.errors import told as cli_told

    gone = PollNotFoundError("Loading poll 7 on PLAT-1: the server has no such poll here (404).", 404)
    gone.poll_id = "7"
    no_endpoint = PollNotFoundError("Loading polls on PLAT-1: the server has no such endpoint (404).", 404)
    assert cli_told(gone).endswith("`pollstui list` shows the polls there.")
    assert tui_errors.told(gone).endswith("It may have been deleted; refresh the list.")
    assert cli_told(no_endpoint).endswith("Check the endpoint URL in your profile.") == tui_errors.told(no_endpoint).endswith(
        "Check the endpoint URL in your profile."
    )
    lost = ServerError("Creating a poll on PLAT-1: the server failed (502).", 502)
    lost.write = lost.maybe_done = True
    assert "check with `pollstui list` before trying again" in cli_told(lost) and "administrators" not in cli_told(lost)
    assert "refresh the list to check before trying again" in tui_errors.told(lost)
    looked = lost.retold(f"{lost.first_sentence} It may have been created; looking failed too.", maybe_done=True)
    assert cli_told(looked) == tui_errors.told(looked) == str(looked)  # told anew: it says what to do itself
    refused = NotPermittedError("Loading polls on PLAT-1: the server refused the token (403).", 403)
    assert "pollstui profile show" in cli_told(refused) and "pollstui" not in tui_errors.told(refused)


def test_advice_both_front_ends_share_is_said_once_and_follows_the_facts() -> None:
    """pollstui.advice holds what the CLI and the TUI say alike; the facts pick the words."""
    from pollstui.api.errors import AnswerTooLargeError, CertificatesError, TLSError
    from pollstui.cli.errors import told as cli_told
    from pollstui.session.overview import OverviewDeadlineError

    too_large = AnswerTooLargeError("Creating a poll on PLAT-1: the server's answer is larger than 1 MiB.", 1 << 20)
    too_large.write = too_large.maybe_done = True
    for told in (cli_told, tui_errors.told):
        assert "SSL_CERT_FILE" in told(TLSError("Loading polls on PLAT-1: the secure connection failed (self-signed)."))
        assert "Set SSL_CERT_FILE to a file" in told(CertificatesError("Cannot load the certificates.", "SSL_CERT_FILE", "/x"))
        assert "Reinstall certifi" in told(CertificatesError("Cannot load the certificates.", "", "/certifi.pem"))
        said = told(too_large)  # looked at first, then how to read more
        assert said.index("before trying again") < said.index("POLLSTUI_MAX_BODY")
    late = OverviewDeadlineError("Loading polls on PLAT-1: no answer within the overview's 30 s deadline.")
    assert "--deadline" in cli_told(late) and "--deadline" not in tui_errors.told(late)
    assert (exit_code(late), exit_code(TLSError("x")), exit_code(CertificatesError("x", "", ""))) == (6, 6, 2)
