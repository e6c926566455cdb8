"""``E`` on the main screen: the highlighted poll's JSON in ``$VISUAL`` / ``$EDITOR``.

The app is suspended (``App.suspend``) while the editor has the terminal. The JSON (results left
out) is checked when the editor closes (an invalid file goes back into the editor with the
problem on top), the diff is shown in a dialog, and a confirmed change is saved through the
session's save path: the same conflict check as the form editor, journalled, so ``u`` undoes it.
The checking, the diff and the choice of editor are :mod:`pollstui.session.json_edit`'s, shared
with ``pollstui edit``. Whenever nothing is saved after an edit, the edited file is kept and its
path said: an edit is never lost.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from pollstui.session.json_edit import (
    EditorError,
    diff,
    edit_until_valid,
    editor_command,
    remove_edit_file,
    without_results,
    write_for_editing,
)
from pollstui.tui.ask import ModalAsk, announce_save

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.tui.app import PollsApp


def run_editor(app: PollsApp, argv: list[str], path: Path) -> None:
    """Hand the terminal to the editor until it exits, the app suspended meanwhile."""
    try:
        with app.suspend():
            code = _call(argv, path)
    except SuspendNotSupported:
        if not app.is_headless:
            raise EditorError(
                "This terminal cannot hand over to an editor (the app cannot suspend here). "
                "Use `pollstui edit POLL_ID` from a shell instead."
            ) from None
        code = _call(argv, path)  # headless (tests): no terminal to hand over, the editor is a script
    if isinstance(code, str):
        raise EditorError(f"Cannot start the editor {argv[0]!r}: {code}. Set VISUAL or EDITOR to one that works.")
    if code != 0:
        raise EditorError(f"The editor exited with status {code}, so nothing was saved. The file was {path}.")


def _call(argv: list[str], path: Path) -> int | str:
    """The editor's exit status, or why it could not start (never raises: Textual resumes the
    app only when the ``suspend()`` block ends normally)."""
    try:
        return subprocess.call([*argv, str(path)])
    except OSError as exc:
        return str(exc.strerror or exc)


async def edit_as_json(app: PollsApp, ref: ContentRef, poll: Poll) -> Poll | None:
    """Edit ``poll`` as JSON and save it when the user confirms the diff; the poll to show after
    (saved, or the server's version the user took), or None. Raises PollsError (EditorError)
    when no editor could run."""
    from pollstui.api.models import Poll
    from pollstui.session.saving import SaveStatus

    poll_id = poll.id or ""
    editor = editor_command()
    original = without_results(poll.to_api())
    path = write_for_editing(original, poll_id)
    kept = f"Your edit is kept in {path}."
    edited = edit_until_valid(lambda p: run_editor(app, editor, p), path, original, poll_id)
    if edited is None:
        remove_edit_file(path)
        app.notify(f"No changes to “{poll.title}”: nothing was sent.", markup=False, timeout=4)
        return None
    from pollstui.tui.screens.diff import DiffScreen

    ask = ModalAsk(app)
    confirmed = await app.push_screen_wait(
        DiffScreen(f"Save these changes to “{poll.title}”?", diff(original, edited, poll_id))
    )
    if not confirmed:
        app.notify(f"Not saved. {kept}", markup=False, timeout=10)
        return None
    outcome = await app.session.save(ref, Poll.from_api({**edited, "id": poll_id}), poll, ask, votes=poll)
    announce_save(app, outcome, kept=kept)
    if outcome.status is SaveStatus.SAVED:
        remove_edit_file(path)
    return outcome.poll if outcome.status in (SaveStatus.SAVED, SaveStatus.RELOADED) else None
