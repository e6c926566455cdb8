"""The "your last save may have worked" dialog: every key answers with a choice, never a bare yes/no."""

from __future__ import annotations

import pytest

from pollstui.api.address import ContentRef
from pollstui.session.ask import ArrivedChoice
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.arrived import ArrivedScreen
from pollstui.api.models import Poll
from tests.example import STARS_POLL
from tests.tui.helpers import settle, wait_for


@pytest.mark.parametrize(
    ("key", "choice"),
    [("y", ArrivedChoice.OPEN), ("o", ArrivedChoice.OPEN), ("enter", ArrivedChoice.OPEN),
     ("n", ArrivedChoice.KEEP), ("escape", ArrivedChoice.KEEP), ("c", ArrivedChoice.CREATE)],
)  # fmt: skip
async def test_every_key_of_the_dialog_answers_with_a_choice(jira_connection, key, choice):
    from pollstui.api.models import Poll

    app = PollsApp(jira_connection)
    answers: list[object] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ref = ContentRef.create("jira", "PLAT", "PLAT-254604")
        app.push_screen(ArrivedScreen(ref, Poll.from_api(STARS_POLL)), answers.append)
        await wait_for(pilot, lambda: isinstance(app.screen, ArrivedScreen))
        await pilot.press(key)
        await wait_for(pilot, lambda: answers)
    assert answers == [choice]


def _dialogs():
    from pollstui.session.ask import ConflictChoice
    from pollstui.session.drafts import Draft
    from pollstui.tui.screens.confirm import ConfirmScreen
    from pollstui.tui.screens.conflict import ConflictScreen
    from pollstui.tui.screens.restore_draft import RestoreDraftScreen

    ref = ContentRef.create("jira", "PLAT", "PLAT-254604")
    mine = Poll.from_api(STARS_POLL)
    theirs = Poll.from_api({**STARS_POLL, "title": "Renamed"})
    return {  # the dialog, and what enter (the focused button) and escape answer: never the harmful one
        "confirm": (lambda: ConfirmScreen("Delete?", "It goes."), False, False),
        "restore draft": (lambda: RestoreDraftScreen(Draft(ref, "p1", {"title": "T"})), True, True),
        "conflict": (lambda: ConflictScreen(mine, theirs), ConflictChoice.KEEP, ConflictChoice.KEEP),
        "arrived": (lambda: ArrivedScreen(ref, mine), ArrivedChoice.OPEN, ArrivedChoice.KEEP),
    }


@pytest.mark.parametrize("name", list(_dialogs()))
async def test_every_choice_dialog_answers_enter_and_escape_safely_and_names_its_keys(jira_connection, name):
    """Confirm, restore-draft, conflict and arrived are one choice dialog: each button is a choice,
    the hint names every choice's key, and neither enter nor escape takes the harmful answer."""
    from textual.widgets import Button, Label

    make, on_enter, on_escape = _dialogs()[name]
    app = PollsApp(jira_connection)
    answers: list[object] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key in ("enter", "escape"):
            dialog = make()
            app.push_screen(dialog, answers.append)
            await wait_for(pilot, lambda: app.screen is dialog and app.focused is not None)
            buttons = [str(b.label) for b in dialog.query(Button)]
            hint = str(dialog.query_one("#choice-hint", Label).render())
            assert all(label.lower() in hint for label in buttons), (buttons, hint)
            await pilot.press(key)
            await wait_for(pilot, lambda: len(answers) == (1 if key == "enter" else 2))
    assert answers == [on_enter, on_escape]
