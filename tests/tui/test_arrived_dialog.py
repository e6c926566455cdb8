"""The "your last save may have worked" dialog: every key answers with a choice, never a bare yes/no."""

from __future__ import annotations

import pytest

from pollstui.api.address import ContentRef
from pollstui.session.ask import ArrivedChoice
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.arrived import ArrivedScreen
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
