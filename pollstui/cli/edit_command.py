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
import difflib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pollstui.api.errors import PollNotFoundError, PollsError
from pollstui.cli.output import json_text
from pollstui.text import one_line, sanitize
from pollstui.cli.common import (
    EXIT_DECLINED,
    UsageError,
    check_writable,
    confirm,
    connect,
    note,
    run,
    server_poll,
    stdin_is_tty,
)

#: Lines the editor shows above the JSON, and that are stripped when the file is read back.
COMMENT = "//"
HEADER = (
    "// Edit the poll below and save; quit without saving to change nothing.\n"
    "// Lines starting with // are ignored. Results are not part of the poll and are left out.\n"
)


class DeclinedError(PollsError):
    """The user said no (or could not be asked): nothing was sent (exit 8)."""

    exit_code = EXIT_DECLINED


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
    original = _without_results(server_poll(run(connection, lambda c: c.get_poll_raw(ref, poll_id)), poll_id))
    workdir = Path(tempfile.mkdtemp(prefix="pollstui-edit-"))  # 0700
    path = workdir / f"poll-{_safe(poll_id)}.json"
    path.write_text(HEADER + _dump(original), encoding="utf-8")
    os.chmod(path, 0o600)

    edited = edit_until_valid(editor, path, original, poll_id)
    if edited is None:
        shutil.rmtree(workdir, ignore_errors=True)
        print(f"No changes to poll {poll_id}; nothing was sent.", file=sys.stderr)
        return 0
    path.write_text(_dump(edited), encoding="utf-8")  # plain JSON from here: kept, it works with --file
    sys.stderr.write(diff(original, edited, poll_id))  # on stderr: stdout is for --json
    keep = f"Your edited poll is kept in {path}."

    async def save(client: Any) -> Any:
        try:
            current = _without_results(server_poll(await client.get_poll_raw(ref, poll_id), poll_id))
        except PollNotFoundError as exc:
            raise PollNotFoundError(
                f"Poll {poll_id} was deleted on the server while you edited it, so it was not saved. {keep} "
                f"To create it again: pollstui create --file {path}",
                exc.status_code,
            ) from None
        if current != original:
            sys.stderr.write(
                f"Poll {poll_id} changed on the server since you opened it. What changed there:\n"
                + diff(original, current, poll_id, theirs=True)
            )
            if not stdin_is_tty():
                raise DeclinedError(f"Not saved, so as not to overwrite those changes. {keep}")
            if not confirm("Overwrite their changes with yours? [y/N] "):
                raise DeclinedError(f"Not saved. {keep}")
        return await client.update_poll(ref, {**edited, "id": poll_id})

    try:
        if not args.yes and not confirm(f"Save these changes to poll {poll_id} on {ref.label}? [y/N] "):
            raise DeclinedError(f"Not saved. {keep}")
        saved = run(connection, save)
    except PollsError as exc:  # whatever stopped the save, the user learns where their edit is
        if keep not in exc.message:
            exc.message = f"{exc.message} {keep}"
        raise
    except KeyboardInterrupt:
        print(f"\nInterrupted: not saved. {keep}", file=sys.stderr)
        raise
    shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json_text(saved.to_api(include_results=True)))
    else:
        print(one_line(f"Saved poll {poll_id}: {saved.title}"))
    return 0


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else the first of nano / vi found, as an argv."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                argv = shlex.split(value)
            except ValueError as exc:
                raise UsageError(f"${name} ({value!r}) cannot be parsed: {exc}.") from None
            if argv:
                return argv
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise UsageError("No editor: set VISUAL or EDITOR (e.g. export EDITOR=nano), then run it again.")


def edit_until_valid(editor: list[str], path: Path, original: dict[str, Any], poll_id: str) -> dict[str, Any] | None:
    """Open the editor until the file holds a valid poll; that poll, or None when unchanged."""
    while True:
        _open(editor, path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"Cannot read the edited file {path}: {exc}.") from None
        body = "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith(COMMENT))
        if not body.strip():
            return None  # an emptied file: like quitting without saving
        value, problem = check(body, poll_id)
        if problem is None:
            return None if value == original else value
        note(f"the edited poll is not valid ({problem}); opening the editor again.")
        path.write_text(
            f"{COMMENT} pollstui: NOT SAVED: {problem}\n{COMMENT} Fix it and save, or empty the file to give up.\n"
            + HEADER + body,
            encoding="utf-8",
        )


def check(text: str, poll_id: str) -> tuple[dict[str, Any], str | None]:
    """The poll in ``text`` and None, or what is wrong with it (as one sentence)."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
    if not isinstance(value, dict):
        return {}, f"a poll is one JSON object, not a {type(value).__name__}"
    if "id" in value and value["id"] != poll_id:
        return value, f'"id" must stay {poll_id!r}: the poll to change is chosen on the command line'
    if "results" in value:
        return value, '"results" are counted by the server and cannot be edited: remove them'
    title = value.get("title")
    if not isinstance(title, str) or not title.strip():
        return value, 'a poll needs a non-empty "title"'
    options = value.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return value, '"options" must be a list of objects'
    ids = [o.get("id") for o in options]
    if not all(isinstance(i, str) and i for i in ids) or len(set(ids)) != len(ids):
        return value, 'every option needs its own "id" (a string; copy the pattern of the others)'
    from pydantic import ValidationError

    from pollstui.api.models import Poll

    try:
        Poll.from_api(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return value, f"{where}: {first['msg']}"
    return value, None


def diff(before: dict[str, Any], after: dict[str, Any], poll_id: str, *, theirs: bool = False) -> str:
    """A unified diff of two polls' JSON, as ``git diff`` shows it."""
    lines = difflib.unified_diff(
        _dump(before).splitlines(keepends=True),
        _dump(after).splitlines(keepends=True),
        fromfile=f"poll {poll_id} (as you opened it)",
        tofile=f"poll {poll_id} ({'on the server now' if theirs else 'yours'})",
    )
    return "".join(sanitize(line) for line in lines)  # the server's text, made inert for the terminal


def _open(editor: list[str], path: Path) -> None:
    try:
        code = subprocess.call([*editor, str(path)])
    except OSError as exc:
        raise UsageError(
            f"Cannot start the editor {editor[0]!r}: {exc.strerror or exc}. Set VISUAL or EDITOR to one that works."
        ) from None
    if code != 0:
        raise DeclinedError(f"The editor exited with status {code}, so nothing was sent. The file was {path}.")


def _without_results(poll: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in poll.items() if key != "results"}


def _dump(poll: dict[str, Any]) -> str:
    return json.dumps(poll, ensure_ascii=False, indent=2) + "\n"


def _safe(poll_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in poll_id)[:40] or "poll"
