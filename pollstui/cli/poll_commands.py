"""The poll commands: list, get, create, update, delete, results, export, import."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from pollstui.api.errors import PollsError
from pollstui.cli.ask import CliAsk
from pollstui.cli.common import (
    EXIT_DECLINED,
    ReadOnlyError,
    UsageError,
    check_writable,
    connect,
    note,
    read_poll_file,
    read_text,
    remember,
    run,
    run_session,
    stdin_is_tty,
    terminal_width,
    typed_end,
    warn,
    write_raw,
)
from pollstui.cli.errors import DeclinedError, ImportIncompleteError, UncertainCreateError
from pollstui.cli.output import (
    HIDDEN_NUMBERS_NOTE,
    format_poll,
    format_poll_table,
    format_results_csv,
    format_results_json,
    format_results_markdown,
    format_results_table,
    import_failure_message,
    json_text,
    plural,
    print_saved,
    results_summary,
    results_unavailable,
)
from pollstui.text import one_line


def list_json(connection: Any, ref: Any, *, results: bool) -> bytes:
    """The server's JSON array of ``ref``'s polls, as sent: by the first GET's
    :func:`~pollstui.session.prefetch.first_get`. With ``--debug`` the client asks: its requests
    are the ones logged."""
    import logging

    from pollstui.session.prefetch import first_get

    def ask(left: float) -> tuple[bytes, Any]:
        return run(connection, lambda c: c.list_polls_body(ref, results=results), deadline=left)

    debugging = logging.getLogger("httpx").isEnabledFor(logging.INFO)  # --debug: see log_requests
    return first_get(connection, ref, ask, results=results, plain=not debugging)[0]


def cmd_list(args: argparse.Namespace) -> int:
    connection, store = connect(args)
    ref = connection.ref
    if args.json:
        write_raw(list_json(connection, ref, results=args.results))
    else:
        listing = run(connection, lambda c: c.poll_listing(ref, results=args.results))
        width = terminal_width()
        if listing.polls or width is not None:
            table = format_poll_table(listing.polls, ref, results=args.results, width=width, headers=not args.no_headers)
            print(table)
        elif not listing.unreadable:  # a script reading stdout gets no lines for no polls
            note(f"no polls on {one_line(ref.label)}.")
        if listing.unreadable:
            warn(unreadable_message(listing.unreadable, ref.label))
    remember(store, connection)
    return 0


def unreadable_message(unreadable: list[Any], label: str) -> str:
    """One line naming the polls of a list that could not be read (they are left out, not lost)."""
    from pollstui.text import one_line, truncate

    shown = "; ".join(f"{truncate(one_line(item.label), 80)}: {truncate(one_line(item.reason), 80)}" for item in unreadable[:3])
    more = f"; and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
    return (
        f"{plural(len(unreadable), 'poll')} on {label} could not be read and {'is' if len(unreadable) == 1 else 'are'} "
        f"not shown ({shown}{more}). `pollstui list --json` shows them as the server sent them."
    )


def cmd_get(args: argparse.Namespace) -> int:
    connection, store = connect(args)
    ref = connection.ref
    if args.json:
        write_raw(run(connection, lambda c: c.get_poll_raw(ref, args.poll_id, results=args.results)))
    else:
        poll = run(connection, lambda c: c.get_poll(ref, args.poll_id, results=args.results))
        print(format_poll(poll, ref, results=args.results, cut=None if terminal_width() is None else 60))
    remember(store, connection)
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    from pollstui.api.models import with_option_ids

    connection, _ = connect(args)
    check_writable(connection)
    if args.file:
        body = read_poll_file(args.file)
    else:
        from pollstui.api.templates import get_template

        body = get_template(args.template).new_poll().to_api()
    if args.title is not None:
        body["title"] = args.title
    if args.description is not None:
        body["description"] = args.description
    if args.end_date is not None:
        settings = body.get("settings")
        body["settings"] = {**(settings if isinstance(settings, dict) else {}), "endDate": typed_end(args.end_date, "--end-date").wire}
    title = body.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise UsageError("A poll needs a title: pass --title 'Your question' (or put \"title\" in the file).")
    body = with_option_ids(body)
    created = run(connection, lambda c: create_and_check(c, connection.ref, body))
    print_saved(created, args.json, created.id or "")
    return 0


async def create_and_check(client: Any, ref: Any, body: dict[str, Any]) -> Any:
    """POST ``body``; when the answer is lost after the request went out, look before reporting.

    The ids on ``ref`` are noted first. If the POST may have been carried out (its answer lost, a
    424 or 5xx, a 200 that cannot be read: ``maybe_done``), the polls that
    arrived since with the same title and options are named (UncertainCreateError, exit 7), or the
    error says none arrived. Never a guess reported as a success.
    """
    from pollstui.api.arrivals import existing_ids
    from pollstui.session.posting import LostCreate, post_watched

    posted = await post_watched(client, ref, body, existing_ids(client, ref))
    if not isinstance(posted, LostCreate):
        return posted
    failure, arrived = posted.error, posted.arrived
    if posted.look_error is not None:  # the look's own advice ("then try again") is not for a create that may be done
        raise failure.retold(
            f"{failure.first_sentence} It may have been created; looking for it failed too ({posted.look_error.happened}). "
            f"Check with `pollstui list` before creating it again.",
            maybe_done=True,
        )
    if not arrived:
        raise failure.retold(
            f"{failure.first_sentence} No poll with this title and options has arrived on {ref.label} "
            "(yet): it was most likely not created. Run `pollstui list` in a moment to check, then try again.",
            maybe_done=True,
        )
    ids = ", ".join(poll.id for poll in arrived)
    raise UncertainCreateError(
        f"{failure.first_sentence} The poll may have been created: {ids} (a poll with this title and "
        f"options has arrived on {ref.label} since). Check it with `pollstui get {shlex.quote(arrived[0].id)}` "
        "before creating another."
    )


def cmd_update(args: argparse.Namespace) -> int:
    """Through the session's save, as the TUI's editor saves: the poll is read once (results
    too, for the votes), changed and sent back (one GET, one PUT); a poll deleted meanwhile is
    not created again; options whose votes stop counting are named on stderr. Not journalled
    (README, "Undo")."""
    fields = (args.title, args.description, args.end_date)
    if args.file and any(field is not None for field in fields):
        raise UsageError("Pass either --file, or --title, --description and/or --end-date, not both.")
    if not args.file and all(field is None for field in fields):
        raise UsageError("Say what to change: --title T, --description D, --end-date WHEN, or --file POLL.json.")
    if args.title is not None and not args.title.strip():
        raise UsageError("A poll's title cannot be empty.")
    end_date = typed_end(args.end_date, "--end-date").wire if args.end_date is not None else None
    connection, _ = connect(args)
    check_writable(connection)
    ref, poll_id = connection.ref, args.poll_id
    from_file = _poll_from_file(args.file, poll_id) if args.file else None

    async def update(session: Any) -> Any:
        from pollstui.session.ask import Topic

        from pollstui.api.errors import UnexpectedResponseError

        try:
            original = await session.client.get_poll(ref, poll_id, results=True)  # a poll not there: exit 4
        except UnexpectedResponseError as exc:  # a poll pollstui cannot read: its JSON can be edited
            hint = f"To change a poll pollstui cannot read, edit its JSON: pollstui edit {shlex.quote(poll_id)}"
            raise exc.retold(f"{exc} {hint}", maybe_done=False) from None
        if from_file is not None:
            edited = from_file
        else:  # one field changed; every other field as the server has it, unknown ones too
            edited = original.clone()
            if args.title is not None:
                edited.title = args.title
            if args.description is not None:
                edited.description = args.description
            if end_date is not None:
                edited.settings.end_date = end_date
        ask = CliAsk(answers={Topic.RECREATE: False, Topic.VOTES: True})
        return await session.save(ref, edited, original, ask, journal=False, original_is_current=True)

    outcome = run_session(connection, update)
    updated = saved_or_raise(outcome, poll_id, ref.label)
    print_saved(updated, args.json, f"Updated poll {updated.id}: {updated.title}")
    return 0


def _poll_from_file(name: str, poll_id: str) -> Any:
    """The poll in file ``name`` with ``poll_id`` as its id; UsageError (exit 2) naming what is
    wrong when it is not a poll (checked here, as `pollstui edit` checks, before anything is sent)."""
    from pydantic import ValidationError

    from pollstui.api.listing import describe_validation
    from pollstui.api.models import Poll

    label = "stdin" if name == "-" else name
    try:
        return Poll.from_api({**read_poll_file(name), "id": poll_id})
    except ValidationError as exc:
        raise UsageError(f"{label} is not a poll ({describe_validation(exc)}); nothing was sent.") from None
    except RecursionError:
        raise UsageError(f"{label} is nested too deeply to be a poll; nothing was sent.") from None


def saved_or_raise(outcome: Any, poll_id: str, where: str) -> Any:
    """The poll a save left on the server, or the error that says why there is none."""
    from pollstui.api.errors import PollNotFoundError
    from pollstui.session.saving import SaveStatus

    status = outcome.status
    if status is SaveStatus.SAVED:
        return outcome.poll
    if status is SaveStatus.GONE or isinstance(outcome.error, PollNotFoundError):  # the PUT's 404, after the read
        raise PollNotFoundError(
            f"Poll {poll_id} was deleted on {where} just now, so it was not updated (nor created again). "
            "`pollstui list` shows the polls there.",
            404,
        )
    if outcome.error is not None and outcome.error.maybe_done:  # the PUT may have been carried out
        told = f"{outcome.error} Check with `pollstui get {shlex.quote(poll_id)}` before updating it again."
        raise outcome.error.retold(told, maybe_done=True)
    if outcome.error is not None:
        raise outcome.error
    if status is SaveStatus.READ_ONLY:
        raise ReadOnlyError(outcome.message)
    # A guard, so that no outcome but SAVED is reported as updated: ``update`` answers each
    # question the save asks (CliAsk's ``answers``), so no path reaches it today.
    raise DeclinedError(f"Poll {poll_id} on {where} was not updated; nothing was sent. {outcome.message}")


def cmd_delete(args: argparse.Namespace) -> int:
    """Through the session's delete, as the TUI deletes (asked first unless --yes); not journalled."""
    if not args.yes and not stdin_is_tty():
        raise UsageError(
            f"Not deleting poll {args.poll_id}: stdin is not a terminal, so pollstui cannot ask you to "
            "confirm. Pass --yes to delete without asking."
        )
    connection, _ = connect(args)
    check_writable(connection)
    ref, poll_id = connection.ref, args.poll_id

    async def delete(session: Any) -> Any:
        from pollstui.api.listing import read_poll_listing

        if args.yes:  # nothing to ask, so nothing to read first: the DELETE alone (not there: exit 4)
            return await session.delete(ref, poll_id, CliAsk(yes=True), journal=False)
        raw = await session.client.get_poll_json(ref, poll_id, results=True)  # not there: exit 4
        read = read_poll_listing([{**raw, "id": poll_id}])  # readable or not, it can be deleted
        poll = (read.polls or read.unreadable)[0]
        return await session.delete(ref, poll, CliAsk(yes=args.yes), journal=False)

    outcome = run_session(connection, delete)
    if outcome.check_before:  # it may have been deleted: say how to check
        raise outcome.error.retold(f"{outcome.error} Check with `pollstui list` before {outcome.check_before}.", maybe_done=True)
    if outcome.error is not None:
        raise outcome.error
    if not outcome.done:
        print("Not deleted.", file=sys.stderr)
        return EXIT_DECLINED
    print(json.dumps({"id": poll_id, "deleted": True}) if args.json else f"Deleted poll {poll_id}.")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    connection, store = connect(args)
    ref = connection.ref
    poll = run(connection, lambda c: c.get_poll(ref, args.poll_id, results=True))
    if args.format == "json":
        print(format_results_json(poll))
    else:
        summary = results_summary(poll)
        if summary is None:
            print(results_unavailable(poll))
        elif args.format == "table":
            print(format_results_table(summary, width=terminal_width()))
        elif args.format == "md":
            print(format_results_markdown(summary))
        else:
            sys.stdout.write(format_results_csv(summary, total=args.total))
            if summary.counts_hidden:
                note(HIDDEN_NUMBERS_NOTE)  # on stderr, so the CSV stays clean
    remember(store, connection)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    connection, store = connect(args)
    ref = connection.ref
    _, polls = run(connection, lambda c: c.list_polls_body(ref))
    if not isinstance(polls, list) or not all(isinstance(p, dict) for p in polls):
        from pollstui.api.errors import UnexpectedResponseError

        raise UnexpectedResponseError(
            f"The server did not send a JSON array of polls for {ref.label}, so there is nothing to export. "
            "Check the endpoint URL, or see what it sends with `pollstui list --json`."
        )
    for poll in polls:
        poll.pop("results", None)
    text = json_text(polls) + "\n"
    if args.output and args.output != "-":
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"Cannot write {args.output}: {exc.strerror or exc}.") from None
        print(f"Exported {plural(len(polls), 'poll')} from {ref.label} to {args.output}.")
    else:
        sys.stdout.write(text)
    remember(store, connection)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pollstui.api.models import with_option_ids

    polls, label = _read_poll_array(args.file)
    connection, store = connect(args)
    check_writable(connection)
    ref = connection.ref
    if not polls:
        print(f"{label} holds no polls: nothing to import.")
        return 0

    done: list[Any] = []

    async def create_all(client: Any) -> None:
        for index, poll in enumerate(polls):
            body = with_option_ids({key: value for key, value in poll.items() if key not in ("id", "results")})
            try:
                created = await client.create_poll(ref, body)
            except PollsError as exc:
                raise ImportIncompleteError(import_failure_message(polls, index, ref.label, exc), exc) from None
            done.append(created)
            if not args.json:
                print(f"created {one_line(created.id)}  {one_line(created.title)}", flush=True)

    try:
        run(connection, create_all)
    finally:
        if args.json:  # what was created, also when a failure stopped the import part-way
            print(json_text([poll.to_api() for poll in done]))
    remember(store, connection)
    return 0


def _read_poll_array(name: str) -> tuple[list[dict[str, Any]], str]:
    """The polls of an import file, checked whole before anything is sent (UsageError if not)."""
    label = "stdin" if name == "-" else name
    text = read_text(name, label)
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
