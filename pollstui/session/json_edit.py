"""A poll's JSON in the user's ``$VISUAL`` / ``$EDITOR``: written, opened, read back, checked, diffed.

Shared by the CLI's ``pollstui edit`` and the TUI's ``E``; neither Textual nor the CLI here. The
file shows the poll (results left out) under a few ``//`` lines, which are stripped on reading.
A file that is not a valid poll goes back into the editor with the problem on top, and nothing
is sent until it is valid; an emptied or unchanged file means "no changes". How the editor is
started (a plain subprocess for the CLI, with the app suspended for the TUI) is the caller's.
"""

from __future__ import annotations

import difflib
import json
import os
import shlex
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pollstui.api.errors import InvalidInputError
from pollstui.text import sanitize

#: Lines the editor shows above the JSON, and that are stripped when the file is read back.
COMMENT = "//"
HEADER = (
    "// Edit the poll below and save; quit without saving to change nothing.\n"
    "// Lines starting with // are ignored. Results are not part of the poll and are left out.\n"
)


class EditorError(InvalidInputError):
    """No editor could be started, or the edited file could not be read."""


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else the first of nano / vi found, as an argv."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                argv = shlex.split(value)
            except ValueError as exc:
                raise EditorError(f"${name} ({value!r}) cannot be parsed: {exc}.") from None
            if argv:
                return argv
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise EditorError("No editor: set VISUAL or EDITOR (e.g. export EDITOR=nano), then run it again.")


def without_results(poll: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in poll.items() if key != "results"}


def dump(poll: dict[str, Any]) -> str:
    return json.dumps(poll, ensure_ascii=False, indent=2) + "\n"


def safe_name(poll_id: str) -> str:
    """``poll_id`` as a file name part."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in poll_id)[:40] or "poll"


def write_for_editing(poll: dict[str, Any], poll_id: str) -> Path:
    """A private file (0600, in a 0700 directory) holding ``poll`` under the header."""
    workdir = Path(tempfile.mkdtemp(prefix="pollstui-edit-"))
    path = workdir / f"poll-{safe_name(poll_id)}.json"
    path.write_text(HEADER + dump(poll), encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def remove_edit_file(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def edit_until_valid(
    open_editor: Callable[[Path], None],
    path: Path,
    original: dict[str, Any],
    poll_id: str,
    on_invalid: Callable[[str], None] | None = None,
) -> dict[str, Any] | None:
    """Open the editor (``open_editor(path)``) until the file holds a valid poll; that poll, or
    None when it is unchanged or emptied. ``on_invalid(problem)`` hears of each invalid round."""
    while True:
        open_editor(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditorError(f"Cannot read the edited file {path}: {exc}.") from None
        lines = text.splitlines(keepends=True)
        body = "".join(line for line in lines if not line.lstrip().startswith(COMMENT))
        if not body.strip():
            return None  # an emptied file: like quitting without saving
        # Comment lines read as blank lines, so a JSON error's line number is the file's.
        value, problem = check("".join("\n" if line.lstrip().startswith(COMMENT) else line for line in lines), poll_id)
        if problem is None:
            return None if value == original else value
        if on_invalid is not None:
            on_invalid(problem)
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
        return {}, f"not valid JSON: line {exc.lineno}, column {exc.colno} of the file you saved: {exc.msg}"
    if not isinstance(value, dict):
        return {}, f"a poll is one JSON object, not a {type(value).__name__}"
    if "id" in value and value["id"] != poll_id:
        return value, f'"id" must stay {poll_id!r}: it says which poll is changed'
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

    from pollstui.api.listing import describe_validation
    from pollstui.api.models import Poll

    try:
        Poll.from_api(value)
    except ValidationError as exc:
        return value, describe_validation(exc, limit=1)
    return value, None


def diff(before: dict[str, Any], after: dict[str, Any], poll_id: str, *, theirs: bool = False) -> str:
    """A unified diff of two polls' JSON, as ``git diff`` shows it (made inert for a terminal)."""
    lines = difflib.unified_diff(
        dump(before).splitlines(keepends=True),
        dump(after).splitlines(keepends=True),
        fromfile=f"poll {poll_id} (as you opened it)",
        tofile=f"poll {poll_id} ({'on the server now' if theirs else 'yours'})",
    )
    return "".join(sanitize(line) for line in lines)
