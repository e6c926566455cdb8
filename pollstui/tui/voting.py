"""Close or reopen voting from a screen: the main screen (asks before closing) and present mode
(closes at once: the facilitator is in front of a room). Reopening asks until when
(:class:`~pollstui.tui.screens.reopen.ReopenScreen`). The change itself is the session's
(:func:`pollstui.session.voting.change_voting`): journalled, so ``u`` undoes it.

Call :func:`toggle_voting` from a worker (it waits for dialogs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pollstui.dates import preview_end
from pollstui.session.ask import Question
from pollstui.session.saving import SaveStatus
from pollstui.session.voting import change_voting, closed, reopened, voting_state
from pollstui.text import one_line

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll
    from pollstui.api.poll_view import PollView
    from pollstui.tui.app import PollsApp


@dataclass(frozen=True)
class VotingResult:
    """What a close or reopen did, in words for a notification or a status line."""

    done: bool
    message: str
    poll: Poll | None = None  # the poll as saved
    severity: str = "information"


async def toggle_voting(
    app: PollsApp, ref: ContentRef, poll: PollView, *, ask_first: bool, undo_key: str
) -> VotingResult | None:
    """Close voting on ``poll`` (asking first when ``ask_first``), or reopen it when it is closed;
    None when the user cancelled. ``undo_key``: the key the words name for undo, as the screen binds it."""
    from pollstui.tui.ask import ModalAsk
    from pollstui.tui.screens.reopen import ReopenScreen

    ask = ModalAsk(app)
    title = one_line(poll.title) or "(untitled)"
    if voting_state(poll).is_closed():
        until = await app.push_screen_wait(ReopenScreen(poll.title))
        if until is None:
            return None

        def change(current: Poll) -> Poll:
            return reopened(current, until)

        done = f"Reopened voting on “{title}” " + (f"until {preview_end(until)}" if until.ends else "with no end date")
    else:
        if ask_first and not await ask.confirm(
            Question(
                "Close voting?",
                f"“{title}” stops taking votes now: its end date becomes now, and the poll closes on it. "
                f"{undo_key} undoes it.",
                confirm_label="Close voting",
                cancel_label="Cancel",
            )
        ):
            return None
        change = closed
        done = f"Voting closed on “{title}”"
    result = await change_voting(app.session, ref, poll.id or "", change, ask)
    outcome = result.outcome
    if result.unchanged:
        return VotingResult(False, f"Nothing to change on “{title}”.", outcome.poll)
    if outcome.status is SaveStatus.SAVED and outcome.poll is not None:
        undo = f" · {undo_key} to undo" if outcome.undoable else ""
        warning = f" ({outcome.warning})" if outcome.warning else ""
        return VotingResult(True, f"{done}{undo}{warning}", outcome.poll)
    return VotingResult(False, outcome.message or "Not changed.", None, "error" if outcome.error else "warning")

