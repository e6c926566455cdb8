"""`pollstui edit POLL_ID`: the poll's JSON in the user's editor, checked, diffed, confirmed, saved.

The flow: fetch the poll (results left out), write it to a private temporary file, open
``$VISUAL`` / ``$EDITOR`` on it, and read it back. A file that is not a valid poll goes back into
the editor with the problem on top (``//`` lines, stripped on reading), and nothing is sent until
it is valid. Then the changes are shown as a diff and confirmed (or ``--yes``). Before the PUT
the poll is fetched again, as the TUI's editor does: if someone changed it since it was opened,
pollstui says so and overwrites only when the user says so at a terminal.

What is sent is the edited file itself, so every field not edited goes back as it came (values
and key order), fields pollstui does not know included. Whenever nothing is saved, the edited
file is kept and its path printed: an edit is never lost.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from pollstui.api.errors import PollNotFoundError, PollsError
from pollstui.cli.output import print_saved
from pollstui.session.json_edit import (
    diff,
    dump,
    edit_until_valid,
    editor_command,
    remove_edit_file,
    without_results,
    write_for_editing,
)
from pollstui.session.sameness import same_as_left
from pollstui.session.saving import read_back
from pollstui.cli.common import (
    UsageError,
    check_writable,
    confirm,
    connect,
    note,
    run,
    stdin_is_tty,
)
from pollstui.cli.errors import DeclinedError, told

def cmd_edit(args: argparse.Namespace) -> int:
    connection, _ = connect(args)
    check_writable(connection)
    editor = editor_command()
    ref, poll_id = connection.ref, args.poll_id
    if not args.yes and not stdin_is_tty():
        raise UsageError(
            f"Not editing poll {poll_id}: stdin is not a terminal, so pollstui cannot ask you to confirm "
            "the changes. Pass --yes to save them without asking (the diff is still shown)."
        )
    original = without_results(run(connection, lambda c: c.get_poll_json(ref, poll_id)))
    path = write_for_editing(original, poll_id)

    edited = edit_until_valid(
        lambda p: _open(editor, p), path, original, poll_id,
        lambda problem: note(f"the edited poll is not valid ({problem}); opening the editor again."),
    )
    if edited is None:
        remove_edit_file(path)
        print(f"No changes to poll {poll_id}; nothing was sent.", file=sys.stderr)
        return 0
    path.write_text(dump(edited), encoding="utf-8")  # plain JSON from here: kept, it works with --file
    sys.stderr.write(diff(original, edited, poll_id))  # on stderr: stdout is for --json
    keep = f"Your edited poll is kept in {path}."

    async def save(client: Any) -> Any:
        try:
            current = without_results(await client.get_poll_json(ref, poll_id))
        except PollNotFoundError as exc:
            raise PollNotFoundError(
                f"Poll {poll_id} was deleted on the server while you edited it, so it was not saved. {keep} "
                f"To create it again: pollstui create --file {path}",
                exc.status_code,
            ) from None
        if not same_as_left(current, original):  # the TUI's rule: what a server adds on its own is no change
            sys.stderr.write(
                f"Poll {poll_id} changed on the server since you opened it. What changed there:\n"
                + diff(original, current, poll_id, theirs=True)
            )
            if not stdin_is_tty():
                raise DeclinedError(f"Not saved, so as not to overwrite those changes. {keep}")
            if not confirm("Overwrite their changes with yours? [y/N] "):
                raise DeclinedError(f"Not saved. {keep}")
        sent = {**edited, "id": poll_id}
        try:
            return await client.update_poll(ref, sent)
        except PollsError as error:
            if not error.maybe_done:
                raise
            back = await read_back(client, ref, poll_id, sent, current)
            if back.poll is None:  # not saved, or it cannot be told
                raise back.told(error, f"Check with `pollstui get {shlex.quote(poll_id)}`") from None
            return back.poll

    try:
        if not args.yes and not confirm(f"Save these changes to poll {poll_id} on {ref.label}? [y/N] "):
            raise DeclinedError(f"Not saved. {keep}")
        saved = run(connection, save)
    except PollsError as exc:  # whatever stopped the save, the user learns where their edit is
        if keep in exc.message:
            raise
        raise exc.retold(f"{told(exc)} {keep}", maybe_done=exc.maybe_done) from None
    except KeyboardInterrupt:
        print(f"\nInterrupted: not saved. {keep}", file=sys.stderr)
        raise
    remove_edit_file(path)
    print_saved(saved, args.json, f"Saved poll {poll_id}: {saved.title}")
    return 0


def _open(editor: list[str], path: Path) -> None:
    try:
        code = subprocess.call([*editor, str(path)])
    except OSError as exc:
        raise UsageError(
            f"Cannot start the editor {editor[0]!r}: {exc.strerror or exc}. Set VISUAL or EDITOR to one that works."
        ) from None
    if code != 0:
        raise DeclinedError(f"The editor exited with status {code}, so nothing was sent. The file was {path}.")
