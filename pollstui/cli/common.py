"""What every command shares: errors, messages on stderr, connecting, reading files and stdin."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pollstui.api.errors import PollsError, redact
from pollstui.cli.errors import EXIT_DECLINED, ReadOnlyError, UsageError  # noqa: F401 (the commands' names for them)
from pollstui.profiles import ProfileStore
from pollstui.settings import Connection, resolve_connection
from pollstui.text import JSON_ESCAPES, one_line, sanitize

PROG = "pollstui"

CONNECTION_OPTIONS = (
    "profile", "url", "endpoint", "token", "workspace", "content", "container", "product", "insecure", "read_only",
)  # fmt: skip


# Messages often quote the server or a file: each is redacted, then made inert for the terminal.


def error(message: str) -> None:
    print(f"{PROG}: error: {one_line(redact(message))}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"{PROG}: warning: {sanitize(redact(message))}", file=sys.stderr)


def note(message: str) -> None:
    print(f"{PROG}: note: {sanitize(redact(message))}", file=sys.stderr)


def log_requests() -> Callable[[], None]:
    """``--debug``: each HTTP request with its status, and each retry, on stderr; the token masked.

    httpx logs every request at INFO ("HTTP Request: GET <url> "HTTP/1.1 200 OK""); the client
    logs retries on ``pollstui.api``. The formatter redacts and makes text inert after formatting,
    so no argument of a record can carry the token or an escape sequence (a server's reason
    phrase) through. Returns what puts the loggers back as they were: a
    ``main()`` called in-process (a script, the tests) leaves no handler on a stream it no
    longer owns.
    """
    import logging

    from pollstui.logs import SafeFormatter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter(f"{PROG}: debug: %(message)s"))
    loggers = [logging.getLogger(name) for name in ("httpx", "pollstui.api")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def restore() -> None:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)

    return restore


def silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# --- the parser ------------------------------------------------------------------------------


# --- connecting ------------------------------------------------------------------------------


def connection_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {name: getattr(args, name) for name in CONNECTION_OPTIONS if hasattr(args, name)}


@contextmanager
def telling_warnings(store: ProfileStore) -> Iterator[ProfileStore]:
    """``store``, its warnings (a profile skipped, a file's mode) told on stderr when the block ends."""
    try:
        yield store
    finally:
        for warning in store.warnings:
            warn(warning)
        store.warnings.clear()


def connect(args: argparse.Namespace, *, need_ref: bool = True) -> tuple[Connection, ProfileStore]:
    with telling_warnings(ProfileStore()) as store:
        connection = resolve_connection(**connection_kwargs(args), store=store)
    if need_ref and connection.ref is None:
        raise UsageError(
            "No content item given: pass --content ISSUE-KEY for Jira, --workspace, --content and "
            "--container for Confluence, or --url with the whole URL from the Polls app."
        )
    return connection, store


def connection_flags(args: argparse.Namespace, connection: Connection) -> tuple[list[str], bool]:
    """The flags that reach ``connection`` again from a printed command, and whether the token was
    given as a flag (``--token``, or inside ``--url``), which a printed command never carries: the
    user puts it in ``POLLS_TOKEN``. The profile used and the content item are always named (the
    profile's recent items move on); ``--url`` becomes its endpoint and product; ``--endpoint``,
    ``--product`` and ``--insecure`` are kept when given. Quote each with :func:`shlex.quote`."""
    from pollstui.api.address import parse_pasted_url

    url = (getattr(args, "url", None) or "").strip()
    flags: list[str] = []
    if connection.profile_name:
        flags += ["--profile", connection.profile_name]
    if url or getattr(args, "endpoint", None):
        flags += ["--endpoint", connection.endpoint]
    if url or getattr(args, "product", None):
        flags += ["--product", connection.product]
    ref = connection.ref
    if ref is not None:
        if ref.product == "confluence" or ref.workspace != ref.content.rsplit("-", 1)[0]:
            flags += ["--workspace", ref.workspace]
        flags += ["--content", ref.content]
        if ref.container:
            flags += ["--container", ref.container]
    if getattr(args, "insecure", False):
        flags.append("--insecure")
    token_flag = bool((getattr(args, "token", None) or "").strip()) or bool(url and parse_pasted_url(url).token)
    return flags, token_flag


def check_writable(connection: Connection) -> None:
    if connection.read_only:
        who = f"Profile {connection.profile_name!r} is" if connection.profile_name else "This connection is"
        raise ReadOnlyError(
            f"{who} read-only, so pollstui will not create, change or delete polls with it. "
            "Use another profile, or drop the read-only setting."
        )


def run(connection: Connection, work: Callable[[Any], Any], **client_options: Any) -> Any:
    """Run ``await work(client)`` with a fresh client (``client_options`` for PollsClient), closed
    whatever happens."""
    from pollstui.session.threads import run as run_async

    async def go() -> Any:
        async with connection.make_client(on_wait=report_wait, **client_options) as client:
            return await work(client)

    return run_async(go())


def run_session(connection: Connection, work: Callable[[Any], Any]) -> Any:
    """Run ``await work(session)`` with a :class:`~pollstui.session.session.Session` on ``connection`` (the
    TUI's operations, without Textual), closed whatever happens."""
    from pollstui.session.session import Session
    from pollstui.session.threads import run as run_async

    async def go() -> Any:
        session = Session(connection, on_wait=report_wait)
        try:
            return await work(session)
        finally:
            await session.aclose()

    return run_async(go())


#: Waits between retries shorter than this pass without a word.
WAIT_WORTH_SAYING = 2.0


def report_wait(seconds: float, reason: str) -> None:
    """The client's ``on_wait``: one stderr line for a wait the user would notice."""
    if seconds > WAIT_WORTH_SAYING:
        note(f"{reason}; trying again in {seconds:.0f} s.")


def remember(store: ProfileStore, connection: Connection) -> None:
    """Put the content item first in the profile's recents, so the next command can omit it."""
    if not connection.profile_name or connection.ref is None or store.load_error is not None:
        return
    try:
        if store.last_ref(connection.profile_name) != connection.ref:
            store.touch_recent(connection.profile_name, connection.ref)
    except (PollsError, OSError) as exc:
        warn(f"could not remember {connection.ref.label} in the profile: {exc}")


def write_raw(data: bytes) -> None:
    """The server's bytes, unchanged into a pipe. On a terminal the same JSON value with every
    character that could drive it (C1, bidi, DEL: only possible inside strings) written as a
    ``\\uXXXX`` escape, and a newline at the end."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    if sys.stdout.isatty():
        data = data.decode("utf-8", errors="replace").translate(JSON_ESCAPES).encode("utf-8")
        if not data.endswith(b"\n"):
            data += b"\n"
    out.write(data)
    out.flush()


# --- poll commands ---------------------------------------------------------------------------


def stdin_is_tty() -> bool:
    return _is_tty(sys.stdin)


def stdout_is_tty() -> bool:
    return _is_tty(sys.stdout)


def _is_tty(stream: Any) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # closed, or replaced by something that is no file
        return False


def check_terminal(what: str) -> None:
    """The full-screen app needs a terminal: without one (``pollstui < /dev/null``, cron, a pipe)
    Textual would spin, so say so and exit 2 (UsageError). Not where Textual is driven by
    something else on purpose: ``TEXTUAL_DRIVER`` set (textual-serve's sessions for ``pollstui
    web`` and ``demo --web``, headless tests, the bench)."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return
    missing = [name for name, tty in (("stdin", stdin_is_tty()), ("stdout", stdout_is_tty())) if not tty]
    if missing:
        raise UsageError(
            f"{what} needs a terminal, and {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not one. "
            "For scripts, use the commands: `pollstui list`, `pollstui get`, … (`pollstui --help` lists them)."
        )


def confirm(prompt: str) -> bool:
    sys.stderr.write(sanitize(prompt))
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def read_poll_file(name: str) -> dict[str, Any]:
    label = "stdin" if name == "-" else name
    return json_object(read_text(name, label), label)


def read_text(name: str, label: str) -> str:
    """The text of file ``name`` ('-' is stdin), or UsageError naming ``label``."""
    try:
        return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot read {label}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"{label} is not UTF-8 text; save it as UTF-8 JSON.") from None


def json_object(data: str | bytes, label: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{label} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    except UnicodeDecodeError:
        raise UsageError(f"{label} is not UTF-8 JSON.") from None
    if not isinstance(value, dict):
        raise UsageError(f"{label} must hold one JSON object (a poll), not {type(value).__name__}.")
    return value


def typed_end(text: str, option: str) -> Any:
    """``text`` read as an end date (:func:`pollstui.dates.parse_typed_end`); UsageError (exit 2)
    naming ``option`` when it is none. A date in the past is taken, with a warning."""
    from pollstui.dates import DateError, parse_typed_end, preview_end

    try:
        typed = parse_typed_end(text)
    except DateError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if typed.passed():
        warn(f"{option} {text!r} is in the past ({preview_end(typed)}).")
    return typed


# --- showing polls ---------------------------------------------------------------------------


def terminal_width() -> int | None:
    """The terminal's width for a table; None when stdout is not a terminal (print whole cells)."""
    import shutil

    if not stdout_is_tty():
        return None
    return shutil.get_terminal_size((100, 24)).columns


# --- profiles --------------------------------------------------------------------------------


def loaded_store() -> ProfileStore:
    with telling_warnings(ProfileStore()) as store:
        store.load()
    return store
