"""The command line: argument parsing and dispatch.

Start-up speed matters (``pollstui list`` should feel instant), so this module imports only the
standard library and pollstui's stdlib-only modules. httpx and pydantic are loaded inside the
commands that talk to a server, and the server and the TUI inside the commands that run them
(tests/test_import_hygiene.py checks this).

Exit codes: 0 done; 1 cancelled at a prompt, or an unexpected failure; 2 wrong usage or invalid
input (including an unreadable profiles file); 3 not permitted (403, or a read-only profile);
4 not found (404); 5 refused as a bad request (400); 6 network or server failure; 130 Ctrl-C.
Errors are one line on stderr, ``pollstui: error: …``, with the token redacted.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pollstui import __version__, paths
from pollstui.api.address import ContentRef, endpoint_host, is_loopback_host, parse_pasted_url
from pollstui.api.errors import InvalidInputError, PollsError, mask_token, redact, register_secret
from pollstui.cli_format import (  # noqa: F401 (cell_width and fit are re-exported for scripts and tests)
    HIDDEN_NUMBERS_NOTE,
    cell_width,
    fit,
    format_poll,
    format_poll_table,
    format_results_csv,
    format_results_json,
    format_results_markdown,
    format_results_table,
    import_failure_message,
    plural,
    results_summary,
    results_unavailable,
)
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection, NotConfiguredError, resolve_connection

PROG = "pollstui"

#: Simulated votes per second in `pollstui demo` (gentle: the bars move, nothing floods).
DEMO_VOTE_RATE = 1.5

RESULT_FORMATS = ("table", "csv", "md", "json")

CONNECTION_OPTIONS = (
    "profile", "url", "endpoint", "token", "workspace", "content", "container", "product", "insecure", "read_only",
)  # fmt: skip


class UsageError(InvalidInputError):
    """The command line asks for something that cannot be done as given (exit 2)."""


class ReadOnlyError(PollsError):
    """A write through a read-only connection (exit 3, like a refused token)."""

    exit_code = 3


class ServeError(PollsError):
    """The reference server cannot listen where asked (exit 6)."""

    exit_code = 6


class MissingTUIError(PollsError):
    """The Textual app is not installed (exit 1)."""

    exit_code = 1


class _ArgumentError(Exception):
    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors reach :func:`main` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgumentError(self.prog, message)


# --- entry point -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version
            return exc.code if isinstance(exc.code, int) else 0
        return args.func(args)
    except _ArgumentError as exc:
        _error(f"{exc} (see `{exc.prog} --help`)")
        return 2
    except PollsError as exc:
        _error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except Exception as exc:  # a bug: one line, never a traceback with a URL in it
        if os.environ.get("POLLSTUI_DEBUG"):
            raise
        _error(f"unexpected {type(exc).__name__}: {exc}. Set POLLSTUI_DEBUG=1 to see the traceback.")
        return 1
    finally:
        if argv is None:  # the process's own command line, so the process ends now: spare its exit
            gc.freeze()  # a cyclic-GC pass over every object httpx, asyncio, Textual made (~40 ms)


def _error(message: str) -> None:
    text = " ".join(redact(message).split())
    print(f"{PROG}: error: {text}", file=sys.stderr)


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {redact(message)}", file=sys.stderr)


def _note(message: str) -> None:
    print(f"{PROG}: note: {redact(message)}", file=sys.stderr)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# --- the parser ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    connection = _connection_parent()
    parser = _Parser(
        prog=PROG,
        parents=[connection],
        description="A terminal app for the polls on Jira issues and Confluence pages (Polls REST API). "
        "Without a command it opens the full-screen app.",
        epilog=f"Environment: POLLS_URL, POLLS_TOKEN, POLLS_PROFILE. Profiles live in {paths.config_file()}.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.set_defaults(func=cmd_tui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, help_: str, func: Callable[[argparse.Namespace], int], *, conn: bool = True):
        sub = commands.add_parser(name, help=help_, description=help_, parents=[connection] if conn else [])
        sub.set_defaults(func=func)
        return sub

    p = command("list", "List the polls of a content item.", cmd_list)
    p.add_argument("--results", action="store_true", help="include vote totals")
    p.add_argument("--json", action="store_true", help="print the server's JSON exactly as sent")

    p = command("get", "Show one poll.", cmd_get)
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--results", action="store_true", help="include votes per option")
    p.add_argument("--json", action="store_true", help="print the server's JSON exactly as sent")

    p = command("create", "Create a poll from a JSON file or a template; prints its id.", cmd_create)
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", metavar="POLL.json", help="a poll as JSON ('-' reads stdin)")
    source.add_argument("--template", metavar="NAME", help="yes-no, stars, agree, nps, tshirt or blank")
    p.add_argument("--title", metavar="T", help="the title (overrides the file's)")
    p.add_argument("--description", metavar="D", help="the description (overrides the file's)")
    p.add_argument("--json", action="store_true", help="print the created poll as JSON")

    p = command("update", "Change a poll: one field, or the whole poll from a file.", cmd_update)
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--file", metavar="POLL.json", help="replace the whole poll with this JSON ('-' reads stdin)")
    p.add_argument("--title", metavar="T", help="set the title, keeping everything else")
    p.add_argument("--description", metavar="D", help="set the description, keeping everything else")

    p = command("delete", "Delete a poll (asks first).", cmd_delete)
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask; needed when stdin is not a terminal")

    p = command("results", "Print a poll's results: option, votes, percent and the total.", cmd_results)
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument(
        "--format", choices=RESULT_FORMATS, default="table",
        help="table (default), csv, md (Markdown) or json. Counts are left out when the poll hides "
        "absolute numbers; results the server did not send, or sent in a shape pollstui does not know, "
        "are a one-line note (json: given as sent, under a note). The exit code is 0 either way.",
    )  # fmt: skip

    p = command("export", "Write every poll of a content item as a JSON array (without results).", cmd_export)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    p = command(
        "import", "Create the polls of a JSON array (as `export` writes) on the content item; prints each new id.",
        cmd_import,
    )  # fmt: skip
    p.add_argument("file", metavar="FILE", help="a JSON array of polls ('-' reads stdin)")

    _profile_parser(commands)

    p = command("serve", "Run the reference server in the foreground.", cmd_serve, conn=False)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--token", help="the access token to accept (default: a random one, printed)")
    p.add_argument("--db", metavar="PATH", help=f"SQLite file (default {paths.data_dir() / 'server.sqlite3'})")
    p.add_argument("--seed", action="store_true", help="fill an empty database with demo polls")
    p.add_argument(
        "--simulate-votes", metavar="RATE", type=_rate,
        help="add random votes to the polls, RATE per second in all (demo only: voting is not part of the API)",
    )  # fmt: skip

    p = command("demo", "Open the app on a local demo server with sample polls.", cmd_demo, conn=False)
    p.add_argument("--db", metavar="PATH", help=f"keep the demo's polls in PATH (default: {paths.demo_db()}, reset each time)")
    p.add_argument(
        "--no-votes", action="store_true",
        help=f"no simulated voters (by default {DEMO_VOTE_RATE:g} random votes per second arrive)",
    )  # fmt: skip
    p.add_argument("--web", action="store_true", help="serve the app in a browser (on 127.0.0.1) instead of this terminal")
    p.add_argument("--port", type=_port, default=8000, help="with --web: the port (default 8000; 0 picks a free one)")

    p = command("web", "Serve the app in a browser (textual-serve on 127.0.0.1), e.g. for a saved profile.", cmd_web)
    p.add_argument("--port", type=_port, default=8000, help="the port (default 8000; 0 picks a free one)")

    command("info", "Show where pollstui keeps its files.", cmd_info, conn=False)
    return parser


def _connection_parent() -> argparse.ArgumentParser:
    """Options naming the server and the content item, accepted before or after the command."""
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("connection (flags > POLLS_* environment > profile)")
    s = argparse.SUPPRESS  # so a subcommand's defaults do not erase values given before it
    group.add_argument("--profile", "-p", metavar="NAME", default=s, help="use this profile")
    group.add_argument("--url", metavar="URL", default=s, help="the whole URL from the Polls app (endpoint, token, content)")
    group.add_argument("--endpoint", metavar="URL", default=s, help="the endpoint URL, without the query")
    group.add_argument("--token", metavar="TOKEN", default=s, help="the access token (POLLS_TOKEN keeps it out of your shell history)")
    group.add_argument("--workspace", metavar="W", default=s, help="Jira project key, or Confluence space id")
    group.add_argument("--content", metavar="C", default=s, help="Jira issue key, or Confluence page id")
    group.add_argument("--container", metavar="M", default=s, help="Confluence: the poll macro's id")
    group.add_argument("--product", choices=("jira", "confluence"), default=s, help="which product the endpoint serves")
    group.add_argument("--insecure", action="store_true", default=s, help="allow plain http:// to a non-local host")
    group.add_argument("--read-only", action="store_true", default=s, help="refuse to create, change or delete polls")
    return parent


def _profile_parser(commands: Any) -> None:
    p = commands.add_parser("profile", help="Manage saved connections.", description="Manage saved connections.")
    p.set_defaults(func=lambda args: _usage(p))
    actions = p.add_subparsers(title="actions", metavar="ACTION")

    a = actions.add_parser("add", help="Save a connection under a name.", description="Save a connection under a name.")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--url", metavar="URL", help="the whole URL from the Polls app")
    a.add_argument("--endpoint", metavar="URL", help="the endpoint URL (with --token)")
    a.add_argument("--token", metavar="TOKEN", help="the access token")
    a.add_argument("--product", choices=("jira", "confluence"), help="default: from the URL, else jira")
    a.add_argument("--read-only", action="store_true", help="never create, change or delete polls with it")
    a.add_argument("--insecure", action="store_true", help="allow plain http:// to a non-local host")
    a.set_defaults(func=cmd_profile_add)

    sub = actions.add_parser("list", help="List profiles (tokens masked).", description="List profiles (tokens masked).")
    sub.set_defaults(func=cmd_profile_list)
    for name, help_, func in (
        ("use", "Make a profile the default.", cmd_profile_use),
        ("remove", "Delete a profile.", cmd_profile_remove),
    ):
        sub = actions.add_parser(name, help=help_, description=help_)
        sub.add_argument("name", metavar="NAME")
        sub.set_defaults(func=func)
    sub = actions.add_parser("show", help="Show a profile (token masked).", description="Show a profile (token masked).")
    sub.add_argument("name", metavar="NAME", nargs="?", help="default: the default profile")
    sub.set_defaults(func=cmd_profile_show)


def _usage(parser: argparse.ArgumentParser) -> int:
    raise _ArgumentError(parser.prog, "choose an action")


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of votes per second") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of votes per second")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0–65535)")
    return value


# --- connecting ------------------------------------------------------------------------------


def _connection_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {name: getattr(args, name) for name in CONNECTION_OPTIONS if hasattr(args, name)}


def _connect(args: argparse.Namespace, *, need_ref: bool = True) -> tuple[Connection, ProfileStore]:
    store = ProfileStore()
    try:
        connection = resolve_connection(**_connection_kwargs(args), store=store)
    finally:
        for warning in store.warnings:
            _warn(warning)
        store.warnings.clear()
    if need_ref and connection.ref is None:
        raise UsageError(
            "No content item given: pass --content ISSUE-KEY for Jira, --workspace, --content and "
            "--container for Confluence, or --url with the whole URL from the Polls app."
        )
    return connection, store


def _check_writable(connection: Connection) -> None:
    if connection.read_only:
        who = f"Profile {connection.profile_name!r} is" if connection.profile_name else "This connection is"
        raise ReadOnlyError(
            f"{who} read-only, so pollstui will not create, change or delete polls with it. "
            "Use another profile, or drop the read-only setting."
        )


def _run(connection: Connection, work: Callable[[Any], Any]) -> Any:
    """Run ``await work(client)`` with a fresh client, closed whatever happens."""
    import asyncio

    async def go() -> Any:
        async with connection.make_client() as client:
            return await work(client)

    return asyncio.run(go())


def _remember(store: ProfileStore, connection: Connection) -> None:
    """Put the content item first in the profile's recents, so the next command can omit it."""
    if not connection.profile_name or connection.ref is None or store.load_error is not None:
        return
    try:
        if store.last_ref(connection.profile_name) != connection.ref:
            store.touch_recent(connection.profile_name, connection.ref)
    except (PollsError, OSError) as exc:
        _warn(f"could not remember {connection.ref.label} in the profile: {exc}")


def _write_raw(data: bytes) -> None:
    """The server's bytes, unchanged (a newline is added only on a terminal)."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    out.write(data)
    if sys.stdout.isatty() and not data.endswith(b"\n"):
        out.write(b"\n")
    out.flush()


# --- poll commands ---------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    connection, store = _connect(args)
    ref = connection.ref
    if args.json:
        _write_raw(_run(connection, lambda c: c.list_polls_raw(ref, results=args.results)))
    else:
        polls = _run(connection, lambda c: c.list_polls(ref, results=args.results))
        print(format_poll_table(polls, ref, results=args.results, width=_terminal_width()))
    _remember(store, connection)
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    connection, store = _connect(args)
    ref = connection.ref
    if args.json:
        _write_raw(_run(connection, lambda c: c.get_poll_raw(ref, args.poll_id, results=args.results)))
    else:
        poll = _run(connection, lambda c: c.get_poll(ref, args.poll_id, results=args.results))
        print(format_poll(poll, ref, results=args.results))
    _remember(store, connection)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    connection, _ = _connect(args)
    _check_writable(connection)
    if args.file:
        body = _read_poll_file(args.file)
    else:
        from pollstui.api.templates import get_template

        body = get_template(args.template).new_poll().to_api()
    if args.title is not None:
        body["title"] = args.title
    if args.description is not None:
        body["description"] = args.description
    title = body.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise UsageError("A poll needs a title: pass --title 'Your question' (or put \"title\" in the file).")
    created = _run(connection, lambda c: c.create_poll(connection.ref, body))
    if args.json:
        print(json.dumps(created.to_api(include_results=True), ensure_ascii=False, indent=2))
    else:
        print(created.id)
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    if args.file and (args.title is not None or args.description is not None):
        raise UsageError("Pass either --file, or --title and/or --description, not both.")
    if not args.file and args.title is None and args.description is None:
        raise UsageError("Say what to change: --title T, --description D, or --file POLL.json.")
    if args.title is not None and not args.title.strip():
        raise UsageError("A poll's title cannot be empty.")
    connection, _ = _connect(args)
    _check_writable(connection)
    ref, poll_id = connection.ref, args.poll_id
    from_file = _read_poll_file(args.file) if args.file else None

    async def update(client: Any) -> Any:
        if from_file is not None:
            body = {**from_file, "id": poll_id}
        else:
            # Change one field of the poll as the server has it, keeping every other field,
            # including those this client does not know.
            body = _server_poll(await client.get_poll_raw(ref, poll_id), poll_id)
            body.pop("results", None)
            body["id"] = poll_id
            if args.title is not None:
                body["title"] = args.title
            if args.description is not None:
                body["description"] = args.description
        return await client.update_poll(ref, body)

    updated = _run(connection, update)
    print(f"Updated poll {updated.id}: {updated.title}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    if not args.yes and not _stdin_is_tty():
        raise UsageError(
            f"Not deleting poll {args.poll_id}: stdin is not a terminal, so pollstui cannot ask you to "
            "confirm. Pass --yes to delete without asking."
        )
    connection, _ = _connect(args)
    _check_writable(connection)
    ref, poll_id = connection.ref, args.poll_id

    async def delete(client: Any) -> bool:
        if not args.yes:
            poll = _server_poll(await client.get_poll_raw(ref, poll_id), poll_id)
            title = poll.get("title") or "(untitled)"
            if not _confirm(f"Delete the poll {title!r} ({poll_id}) on {ref.label}? This cannot be undone. [y/N] "):
                return False
        await client.delete_poll(ref, poll_id)
        return True

    if not _run(connection, delete):
        print("Not deleted.", file=sys.stderr)
        return 1
    print(f"Deleted poll {poll_id}.")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    connection, store = _connect(args)
    ref = connection.ref
    poll = _run(connection, lambda c: c.get_poll(ref, args.poll_id, results=True))
    if args.format == "json":
        print(format_results_json(poll))
    else:
        summary = results_summary(poll)
        if summary is None:
            print(results_unavailable(poll))
        elif args.format == "table":
            print(format_results_table(summary, width=_terminal_width()))
        elif args.format == "md":
            print(format_results_markdown(summary))
        else:
            sys.stdout.write(format_results_csv(summary))
            if summary.counts_hidden:
                _note(HIDDEN_NUMBERS_NOTE)  # on stderr, so the CSV stays clean
    _remember(store, connection)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    connection, store = _connect(args)
    ref = connection.ref
    data = _run(connection, lambda c: c.list_polls_raw(ref))
    polls = json.loads(data)
    if not isinstance(polls, list) or not all(isinstance(p, dict) for p in polls):
        from pollstui.api.errors import UnexpectedResponseError

        raise UnexpectedResponseError(
            f"The server did not send a JSON array of polls for {ref.label}, so there is nothing to export. "
            "Check the endpoint URL, or see what it sends with `pollstui list --json`."
        )
    for poll in polls:
        poll.pop("results", None)
    text = json.dumps(polls, ensure_ascii=False, indent=2) + "\n"
    if args.output and args.output != "-":
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"Cannot write {args.output}: {exc.strerror or exc}.") from None
        print(f"Exported {plural(len(polls), 'poll')} from {ref.label} to {args.output}.")
    else:
        sys.stdout.write(text)
    _remember(store, connection)
    return 0


class ImportIncompleteError(PollsError):
    """An import that stopped part-way; exits with the code of the error that stopped it."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def cmd_import(args: argparse.Namespace) -> int:
    polls, label = _read_poll_array(args.file)
    connection, store = _connect(args)
    _check_writable(connection)
    ref = connection.ref
    if not polls:
        print(f"{label} holds no polls: nothing to import.")
        return 0

    async def create_all(client: Any) -> None:
        for index, poll in enumerate(polls):
            body = {key: value for key, value in poll.items() if key not in ("id", "results")}
            try:
                created = await client.create_poll(ref, body)
            except PollsError as exc:
                raise ImportIncompleteError(import_failure_message(polls, index, ref.label, exc), exc.exit_code) from None
            print(f"created {created.id}  {' '.join(created.title.split())}", flush=True)

    _run(connection, create_all)
    _remember(store, connection)
    return 0


def _read_poll_array(name: str) -> tuple[list[dict[str, Any]], str]:
    """The polls of an import file, checked whole before anything is sent (UsageError if not)."""
    label = "stdin" if name == "-" else name
    text = _read_text(name, label)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{label} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    if not isinstance(value, list):
        raise UsageError(
            f"{label} must hold a JSON array of polls (as `pollstui export` writes), not {type(value).__name__}."
        )
    problems = []
    for number, poll in enumerate(value, 1):
        if not isinstance(poll, dict):
            problems.append(f"item {number} is not a JSON object (a poll)")
        elif not isinstance(poll.get("title"), str) or not poll["title"].strip():
            problems.append(f"poll {number} has no title")
    if problems:
        more = f", and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise UsageError(
            f"Not importing anything: in {label}, {'; '.join(problems[:3])}{more}. "
            'Every poll needs a non-empty "title".'
        )
    return value, label


def _stdin_is_tty() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _confirm(prompt: str) -> bool:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _read_poll_file(name: str) -> dict[str, Any]:
    label = "stdin" if name == "-" else name
    return _json_object(_read_text(name, label), label)


def _read_text(name: str, label: str) -> str:
    """The text of file ``name`` ('-' is stdin), or UsageError naming ``label``."""
    try:
        return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot read {label}: {exc.strerror or exc}.") from None
    except UnicodeDecodeError:
        raise UsageError(f"{label} is not UTF-8 text; save it as UTF-8 JSON.") from None


def _server_poll(data: bytes, poll_id: str) -> dict[str, Any]:
    """The poll the server sent (already checked to be JSON); not an object is the server's fault (exit 6)."""
    value = json.loads(data)
    if not isinstance(value, dict):
        from pollstui.api.errors import UnexpectedResponseError

        raise UnexpectedResponseError(
            f"The server sent poll {poll_id} as a JSON {type(value).__name__}, not an object. "
            "The API may have changed; check for a newer pollstui."
        )
    return value


def _json_object(data: str | bytes, label: str) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{label} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    except UnicodeDecodeError:
        raise UsageError(f"{label} is not UTF-8 JSON.") from None
    if not isinstance(value, dict):
        raise UsageError(f"{label} must hold one JSON object (a poll), not {type(value).__name__}.")
    return value


# --- showing polls ---------------------------------------------------------------------------


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


# --- profiles --------------------------------------------------------------------------------


def _loaded_store() -> ProfileStore:
    store = ProfileStore()
    try:
        store.load()
    finally:
        for warning in store.warnings:
            _warn(warning)
        store.warnings.clear()
    return store


def cmd_profile_add(args: argparse.Namespace) -> int:
    recents: list[ContentRef] = []
    if args.url:
        if args.endpoint:
            raise UsageError("Pass --url or --endpoint, not both.")
        pasted = parse_pasted_url(args.url)
        endpoint, token = pasted.endpoint, args.token or pasted.token
        product = args.product or (pasted.product if pasted.content else "jira")
        if pasted.content:
            recents.append(pasted.content_ref(product))
    elif args.endpoint:
        endpoint, token, product = args.endpoint, args.token or "", args.product or "jira"
    else:
        raise UsageError("Say where to connect: --url '<the URL from the Polls app>', or --endpoint URL --token TOKEN.")
    if not token:
        raise UsageError("No token: the URL has no token=… part, so pass --token TOKEN as well.")
    register_secret(token)
    store = _loaded_store()
    profile = Profile(args.name, endpoint, token, product, read_only=args.read_only, insecure=args.insecure, recents=recents)
    store.add(profile)
    default = " It is the default profile." if store.default == profile.name else ""
    print(f"Added profile {profile.name!r} ({profile.product}, {endpoint_host(profile.endpoint)}).{default}")
    return 0


def cmd_profile_list(args: argparse.Namespace) -> int:
    store = _loaded_store()
    if not store.profiles:
        print("No profiles yet. Add one with: pollstui profile add NAME --url '<the URL from the Polls app>'")
        return 0
    name_width = max(len(n) for n in store.profiles)
    for name, profile in store.profiles.items():
        mark = "*" if name == store.default else " "
        flags = ", ".join(f for f, on in (("read-only", profile.read_only), ("insecure", profile.insecure)) if on)
        line = (
            f"{mark} {name:<{name_width}}  {profile.product:<10}  {endpoint_host(profile.endpoint)}  "
            f"token {mask_token(profile.token)}"
        )
        print(f"{line}  {flags}".rstrip())
    print("(* = default)")
    return 0


def cmd_profile_use(args: argparse.Namespace) -> int:
    store = _loaded_store()
    store.use(args.name)
    print(f"{args.name!r} is now the default profile.")
    return 0


def cmd_profile_remove(args: argparse.Namespace) -> int:
    store = _loaded_store()
    default = store.remove(args.name)
    note = f" The default profile is now {default!r}." if default else ""
    print(f"Removed profile {args.name!r}.{note}")
    return 0


def cmd_profile_show(args: argparse.Namespace) -> int:
    store = _loaded_store()
    if args.name:
        profile = store.get(args.name)
    else:
        profile = store.default_profile()
        if profile is None:
            raise UsageError("There is no default profile: name one (see `pollstui profile list`).")
    lines = [
        f"name       {profile.name}{'  (default)' if profile.name == store.default else ''}",
        f"endpoint   {profile.endpoint}",
        f"token      {mask_token(profile.token)}",
        f"product    {profile.product}",
        f"read-only  {'yes' if profile.read_only else 'no'}",
        f"insecure   {'yes (plain http allowed)' if profile.insecure else 'no'}",
    ]
    if profile.recents:
        lines.append("recent     " + "\n           ".join(ref.label for ref in profile.recents))
    print("\n".join(lines))
    return 0


# --- server, demo, TUI, info -----------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    import secrets
    import sqlite3

    from pollstui.server import PollStore, serve_forever

    token = args.token or secrets.token_urlsafe(24)
    db = Path(args.db) if args.db else paths.data_dir() / "server.sqlite3"
    if not is_loopback_host(args.host):
        _warn(
            f"serving on {args.host}: other machines can reach this server, and the token travels over "
            "plain http. Use --host 127.0.0.1 unless you mean it."
        )
    try:
        paths.ensure_private_dir(db.parent)
        store = PollStore(db)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"Cannot open the database {db}: {exc}.") from None
    try:
        with _simulated_voters(store, args.simulate_votes):
            if args.simulate_votes:
                print(
                    f"Simulated voters: {args.simulate_votes:g} votes per second "
                    "(a demo mechanism; voting is not part of the Polls REST API).",
                    flush=True,
                )
            serve_forever(store, token, args.host, args.port, seed=args.seed)
    except OSError as exc:
        raise ServeError(
            f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}. "
            "Choose another --port, or stop the program using it."
        ) from None
    finally:
        store.close()
    return 0


def _simulated_voters(store: Any, rate: float | None) -> Any:
    """A context that runs simulated voters on ``store`` at ``rate`` votes per second (none if None)."""
    if not rate:
        import contextlib

        return contextlib.nullcontext()
    from pollstui.server.voters import VoteSimulator

    return VoteSimulator(store, rate)


def cmd_demo(args: argparse.Namespace) -> int:
    """The reference server, seeded, on a free loopback port, simulated voters, and the app on it.

    The app gets a throwaway profile store holding one "demo" profile whose recents are the
    seeded Jira issues, so the sidebar has them and the user's own profiles file is not touched.
    """
    import secrets
    import tempfile

    run_tui = _tui()
    from pollstui.server import PollStore, ServerThread, create_app, endpoint_urls, seed_demo_data

    if args.db:
        db = Path(args.db)
    else:
        db = paths.demo_db()
        for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            leftover.unlink(missing_ok=True)
    paths.ensure_private_dir(db.parent)
    store = PollStore(db)
    try:
        seed_demo_data(store)
        token = secrets.token_urlsafe(24)
        register_secret(token)
        refs = [
            ContentRef.create("jira", item.workspace, item.content)
            for item in store.contents_with_polls()
            if item.product == "jira"
        ]
        with (
            tempfile.TemporaryDirectory(prefix="pollstui-demo-") as scratch,
            ServerThread(create_app(store, token)) as server,
            _simulated_voters(store, None if args.no_votes else DEMO_VOTE_RATE),
        ):
            endpoint = endpoint_urls(server.base_url)["jira"]
            demo_profiles = ProfileStore(Path(scratch) / "profiles.toml").load()
            demo_profiles.add(Profile("demo", endpoint, token, "jira", recents=refs))
            connection = Connection(
                endpoint=endpoint,
                token=token,
                product="jira",
                profile_name="demo",
                ref=refs[0] if refs else None,
            )
            if args.web:
                from pollstui.web import serve_demo

                result = serve_demo(connection, refs, port=args.port)
            else:
                result = run_tui(connection, profile_store=demo_profiles)
    finally:
        store.close()
    return result if isinstance(result, int) else 0


def cmd_web(args: argparse.Namespace) -> int:
    """The app in a browser, on the connection the options, the environment or a profile give."""
    _tui()  # the served sessions run the app: fail here, not in every browser tab
    connection, _ = _connect(args, need_ref=False)
    from pollstui.web import serve_connection

    return serve_connection(connection, port=args.port)


def cmd_tui(args: argparse.Namespace) -> int:
    run_tui = _tui()
    store = ProfileStore()
    try:
        connection: Connection | None = resolve_connection(**_connection_kwargs(args), store=store)
    except NotConfiguredError:
        connection = None
    finally:
        for warning in store.warnings:
            _warn(warning)
        store.warnings.clear()
    result = run_tui(connection, profile_store=store if store.load_error is None else None)
    return result if isinstance(result, int) else 0


def _tui() -> Callable[..., Any]:
    try:
        from pollstui.tui.app import run_tui
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("pollstui.tui"):
            raise
        raise MissingTUIError("The full-screen app is not part of this installation (pollstui.tui.app is missing).") from None
    return run_tui


def cmd_info(args: argparse.Namespace) -> int:
    print(f"{PROG} {__version__}")
    locations = paths.all_locations()
    width = max(len(label) for label in locations)
    for label, path in locations.items():
        state = "exists" if path.exists() else "not created yet"
        print(f"{label:<{width}}  {path}  ({state})")
    return 0
