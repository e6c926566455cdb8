"""E on the main screen: the poll's JSON in $EDITOR (a fake editor script), checked, diffed, saved
through the session (conflict check, journal), against the reference server.

Pilot runs headless, where Textual cannot suspend: the editor then runs without handing over a
terminal (pollstui.tui.external_editor.run_editor), which a script editor does not need.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from pollstui.session.json_edit import HEADER
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.conflict import ConflictScreen
from pollstui.tui.screens.main import MainScreen
from tests.example import STARS_POLL
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import screen_text, settle, wait_for
from tests.tui.test_editor import notes, server_poll

#: A fake editor: round N of editing applies rounds[N] to the poll as first opened (a Python
#: statement on `poll`), or writes a text ("raw:…"); it keeps what it was shown in .seenN.
EDITOR = textwrap.dedent(
    """
    import json, pathlib, sys
    path = pathlib.Path(sys.argv[1])
    count = pathlib.Path(__file__).with_suffix(".count")
    n = int(count.read_text()) if count.exists() else 0
    count.write_text(str(n + 1))
    text = path.read_text(encoding="utf-8")
    pathlib.Path(__file__).with_suffix(f".seen{n}").write_text(text, encoding="utf-8")
    rounds = json.loads(pathlib.Path(__file__).with_suffix(".rounds").read_text())
    step = rounds[min(n, len(rounds) - 1)]
    if step.startswith("raw:"):
        path.write_text(step[4:], encoding="utf-8")
    else:
        first = pathlib.Path(__file__).with_suffix(".seen0").read_text(encoding="utf-8")  # the poll as opened
        poll = json.loads("".join(l for l in first.splitlines(True) if not l.lstrip().startswith("//")))
        exec(step)
        path.write_text(json.dumps(poll), encoding="utf-8")
    """
)


@pytest.fixture
def fake_editor(tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the edited files stay in the test's folder
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")

    def plan(*rounds: str):
        import json

        script.with_suffix(".rounds").write_text(json.dumps(list(rounds)))
        return lambda n: script.with_suffix(f".seen{n}").read_text(encoding="utf-8")

    return plan


async def press_e(app, pilot):
    await settle(pilot)
    assert app.screen.table.current_poll.id == STARS_POLL["id"]
    await pilot.press("E")


async def test_E_edits_the_json_checks_it_shows_the_diff_saves_and_u_undoes(ref_server, jira_connection, fake_editor):
    seen = fake_editor("raw:{ not json", "poll['title'] = 'Stars, edited as JSON'")
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_e(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        first, second = seen(0), seen(1)
        assert first.startswith(HEADER) and '"results"' not in first  # the poll, results left out
        assert second.startswith("// pollstui: NOT SAVED: not valid JSON")  # reopened with the problem on top
        text = screen_text(app)
        assert '+  "title": "Stars, edited as JSON"' in text and f'-  "title": "{STARS_POLL["title"]}"' in text
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: any("Saved “Stars, edited as JSON” · u to undo" in n for n in notes(app)))
        stored = server_poll(ref_server, FIRST_JIRA, STARS_POLL["id"])
        assert stored["title"] == "Stars, edited as JSON"
        assert [o["id"] for o in stored["options"]] == [o["id"] for o in STARS_POLL["options"]]
        await wait_for(pilot, lambda: app.screen.table.current_poll.title == "Stars, edited as JSON")

        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: server_poll(ref_server, FIRST_JIRA, STARS_POLL["id"])["title"] == STARS_POLL["title"])


async def test_E_with_no_changes_sends_nothing_and_a_declined_diff_keeps_the_file(ref_server, jira_connection, fake_editor):
    fake_editor("pass", "poll['title'] = 'Never sent'")
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_e(app, pilot)
        await wait_for(pilot, lambda: any("No changes" in n for n in notes(app)))
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: any("Not saved. Your edit is kept in" in n for n in notes(app)))
    kept = next(n for n in notes(app) if "kept in" in n).split("kept in ", 1)[1].rstrip(".")
    assert '"Never sent"' in Path(kept).read_text(encoding="utf-8")
    assert server_poll(ref_server, FIRST_JIRA, STARS_POLL["id"])["title"] == STARS_POLL["title"]


async def test_E_has_the_editors_conflict_check(ref_server, jira_connection, fake_editor):
    fake_editor("poll['title'] = 'Mine'")
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_e(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        theirs = {**server_poll(ref_server, FIRST_JIRA, STARS_POLL["id"]), "description": "Theirs"}
        ref_server.store.replace_poll("jira", FIRST_JIRA.workspace, FIRST_JIRA.content, "", STARS_POLL["id"], theirs)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictScreen))
    assert server_poll(ref_server, FIRST_JIRA, STARS_POLL["id"])["title"] == STARS_POLL["title"]  # nothing sent yet


async def test_E_is_refused_in_read_only_mode(ref_server, jira_connection, fake_editor, tmp_path):
    fake_editor("poll['title'] = 'Never'")
    app = PollsApp(jira_connection, read_only=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert any("Read-only" in n for n in notes(app))
    assert not (tmp_path / "editor.count").exists()  # the editor never ran


async def test_an_editor_that_cannot_start_is_explained_and_the_app_goes_on(ref_server, jira_connection, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor-h12")
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await press_e(app, pilot)
        await wait_for(pilot, lambda: any("Cannot start the editor 'no-such-editor-h12'" in n for n in notes(app)))
        await pilot.press("down")  # still answering keys
        assert app.screen.table.cursor_row == 1


#: A long change: a long description and twenty more options (a diff longer than the screen).
LONG_CHANGE = (
    "poll['description'] = 'A description long enough to pass the sixty-four columns the dialog used to wrap at, "
    "and more'; poll['options'] += [{'id': str(10 + i), 'title': f'Option {i}', 'order': 5 + i} for i in range(20)]"
)


async def test_E_shows_a_long_diff_across_the_screen_in_colour_scrolling_under_its_keys(
    ref_server, jira_connection, fake_editor
):
    from textual.containers import VerticalScroll
    from textual.widgets import Button, Static

    from pollstui.tui.screens.diff import DiffScreen

    fake_editor(LONG_CHANGE)
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        await press_e(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DiffScreen))
        await pilot.pause(0.2)  # (not settle: the E worker waits for this dialog's answer)
        dialog = app.screen.query_one("#choice-dialog")
        assert dialog.region.width == 100  # the screen's width, not 64 columns
        text = screen_text(app)
        assert f"--- poll {STARS_POLL['id']} (as you opened it)" in text  # on one line
        assert '+  "description": "A description long enough to pass the sixty-four columns the' in text  # one line
        assert "y save" in text and "n/esc don't save" in text and "scroll" in text  # the keys, in view

        spans = {str(span.style) for span in app.screen.query_one("#diff-text", Static).visual.spans}
        assert {"$text-success", "$text-error", "$text-accent", "bold"} <= spans  # added, removed, hunk, files

        view = app.screen.query_one("#diff-view", VerticalScroll)
        assert view.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        assert "Option 19" in screen_text(app)
        for button in app.screen.query(Button):  # the buttons stay on screen below the diff
            assert button.region.bottom <= 30 and button.region.height > 0
        assert "y save" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_for(pilot, lambda: len(server_poll(ref_server, FIRST_JIRA, STARS_POLL["id"])["options"]) == 25)


def test_the_diff_dialog_looks_like_a_diff(snap_compare):
    """The dialog at 100×24 in pollstui's theme: the diff across the screen, coloured, keys below."""
    from textual.app import App

    from pollstui.session.json_edit import diff, without_results
    from pollstui.tui.screens.diff import DiffScreen
    from pollstui.tui.theme import POLLSTUI_THEME

    before = without_results(STARS_POLL)
    after = {**before, "title": "Stars, edited as JSON", "description": "Rate the sprint from one to five stars"}
    after["options"] = [*before["options"], *({"id": str(10 + i), "title": f"Option {i}", "order": 5 + i} for i in range(8))]

    class DiffApp(App):
        def on_mount(self) -> None:
            self.register_theme(POLLSTUI_THEME)
            self.theme = POLLSTUI_THEME.name
            self.push_screen(DiffScreen(f"Save these changes to “{STARS_POLL['title']}”?", diff(before, after, STARS_POLL["id"])))

    assert snap_compare(DiffApp(), terminal_size=(100, 24))
