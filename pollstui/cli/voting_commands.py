"""The voting commands: close and reopen (:mod:`pollstui.session.voting`)."""

from __future__ import annotations

import argparse
import shlex
from typing import Any

from pollstui.cli.ask import CliAsk
from pollstui.cli.common import check_writable, connect, connection_flags, note, run_session, typed_end
from pollstui.cli.output import print_saved
from pollstui.session.ask import Topic
from pollstui.text import one_line


def cmd_close(args: argparse.Namespace) -> int:
    """Voting closed now (pollstui.session.voting); the old end date and the command that brings it back are said."""
    from pollstui.session.voting import closed

    return _change_voting(args, closed, "Closed voting on")


def cmd_reopen(args: argparse.Namespace) -> int:
    """Voting open again, until ``--until`` or with no end date (pollstui.session.voting)."""
    from pollstui.session.voting import reopened

    until = typed_end(args.until, "--until") if args.until is not None else None
    return _change_voting(args, lambda poll: reopened(poll, until), "Reopened voting on")


def _change_voting(args: argparse.Namespace, change: Any, done: str) -> int:
    from pollstui.cli.poll_commands import saved_or_raise
    from pollstui.dates import describe_end_date
    from pollstui.session.voting import change_voting, voting_state

    connection, _ = connect(args)
    check_writable(connection)
    ref, poll_id = connection.ref, args.poll_id
    ask = CliAsk(answers={Topic.RECREATE: False, Topic.VOTES: True})
    result = run_session(connection, lambda session: change_voting(session, ref, poll_id, change, ask, journal=False))
    saved = saved_or_raise(result.outcome, poll_id, ref.label)
    after = voting_state(saved)
    state = f"ends {describe_end_date(after.end_date)}" + (", closing then" if after.closes and after.end_date else "")
    if result.unchanged:
        print_saved(saved, args.json, f"Nothing to change: poll {saved.id} ({saved.title}) already {state}.")
        return 0
    print_saved(saved, args.json, f"{done} poll {saved.id}: {saved.title} (now {state}).")
    flags, token_flag = connection_flags(args, connection)
    (note if args.json else print)(one_line(restore_words(poll_id, result.before, flags, token_flag=token_flag)))
    return 0


def restore_words(poll_id: str, before: Any, flags: list[str], *, token_flag: bool = False) -> str:
    """What the end date was, and the ``reopen`` command that brings it back (the CLI keeps no
    journal to undo with), runnable as printed: ``flags`` (:func:`~pollstui.cli.common.connection_flags`)
    reach the same connection, shell-quoted; a token given as a flag is left to ``POLLS_TOKEN``."""
    from pollstui.dates import describe_end_date, read_end_date
    from pollstui.session.voting import voting_state

    was = voting_state(before)
    command = shlex.join(["pollstui", "reopen", poll_id, *flags])
    edit = shlex.join(["pollstui", "edit", poll_id, *flags])
    token = " (with the token in POLLS_TOKEN)" if token_flag else ""
    if not was.end_date.strip():
        closing = " (closePollOnEndDate was on: `pollstui edit` sets it back)" if was.closes else ""
        return f"It had no end date{closing}. To go back{token}: {command}"
    read = read_end_date(was.end_date)
    said = f"It ended {describe_end_date(was.end_date)}" + (", closing then" if was.closes else ", staying open")
    if read is None:
        return f"{said}; pollstui cannot write that back as typed: `{edit}` does."
    moment = read.start if read.has_time else read.ends  # the same moment, with its offset
    back = f"{command} --until {shlex.quote(moment.isoformat(timespec='seconds'))}"
    if not was.closes:
        return f"{said}. To go back{token}: {back} (and `{edit}` to turn closePollOnEndDate off again)"
    return f"{said}. To go back{token}: {back}"
