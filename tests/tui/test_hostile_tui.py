"""A poll written to drive the terminal, shown in every part of the TUI: nothing of it is obeyed.

The hostile poll (tests/hostile.py) sits alone on its own issue of the real reference server.
Each test reads what the screen would draw (every line of the compositor, toasts included) and
asserts it holds no control character and no bidi override, while the poll is still shown
(as placeholders). The editor keeps the exact bytes: saving a poll whose title and options were
not touched sends them back unchanged, and pasting cannot put a control character into a field.
"""

from __future__ import annotations

from datetime import datetime

from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from pollstui.api.address import ContentRef
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.present import PresentScreen
from tests.hostile import HOSTILE_POLL, TITLE, add_hostile_poll, controls_in
from tests.tui.helpers import polls_shown, screen_text, settle, toast_text, wait_for

EVIL = ContentRef.create("jira", "EVIL", "EVIL-1")


def make_app(server) -> PollsApp:
    return PollsApp(Connection(server.jira_endpoint, server.token, "jira", ref=EVIL))


async def started(pilot) -> MainScreen:  # noqa: ANN001
    app = pilot.app
    await polls_shown(pilot, EVIL)
    assert app.screen.polls
    return app.screen


def assert_inert(text: str) -> None:
    """No control character in what is drawn (the newlines are screen_text's, between lines)."""
    assert controls_in(text, allowed="\n") == [], [hex(ord(c)) for c in controls_in(text, allowed="\n")]


async def test_list_and_detail_show_the_poll_inert(ref_server):
    add_hostile_poll(ref_server.store, EVIL.content)
    app = make_app(ref_server)
    async with app.run_test(size=(140, 40)) as pilot:
        await started(pilot)
        text = screen_text(app)
        assert_inert(text)
        assert "x␛]52;c;cHduZWQ=" in text  # the title, in the table and the detail pane
        assert "line two ␛[31mred" in text  # the description
        assert "yes ␛]2;opt␇" in text  # an option's bar label


async def test_present_mode_shows_the_poll_inert(ref_server):
    add_hostile_poll(ref_server.store, EVIL.content)
    app = make_app(ref_server)
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen) and "x␛]52;c;cHduZWQ=" in screen_text(app))
        await pilot.wait_for_animation()
        text = screen_text(app)
        assert_inert(text)
        assert "x␛]52;c;cHduZWQ=" in text and "⟨U+202E⟩evil" in text


async def test_the_editor_shows_placeholders_and_sends_the_untouched_bytes_back(ref_server):
    poll_id = add_hostile_poll(ref_server.store, EVIL.content)
    app = make_app(ref_server)
    async with app.run_test(size=(120, 44)) as pilot:
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await settle(pilot)
        editor = app.screen

        assert_inert(screen_text(app))
        title = editor.query_one("#title", Input)
        assert title.value.startswith("x␛]52;c;cHduZWQ=")
        description = editor.query_one("#description", TextArea)
        assert "␛[31mred" in description.text

        # A paste goes in as typed text: its escape sequences and controls are taken out whole;
        # every other character stays, a bidi isolate too (never a placeholder that gets saved).
        description.focus()
        await pilot.pause()
        app.post_message(events.Paste(" \x1b]2;title\x07\u2067iso\u2069\x1b[31m\r\n"))
        await wait_for(pilot, lambda: "\u2067iso" in description.text)
        assert controls_in(description.text, allowed="\n\t\u2066\u2067\u2069") == []
        assert description.text.startswith(" \u2067iso\u2069\n") and "title" not in description.text
        await pilot.pause()
        assert_inert(screen_text(app))  # the field keeps the isolates and draws them as nothing

        # The end date is shown inert too; it is no date, so the editor asks for one before saving.
        end_date = editor.query_one("#end-date", Input)
        assert end_date.value == "2031-01-01␛[2J"
        end_date.value = "2031-01-01"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), timeout=15)
        await app.workers.wait_for_complete()
    saved = ref_server.store.get_poll("jira", "EVIL", "EVIL-1", "", poll_id)
    assert saved["title"] == TITLE  # exact bytes, escapes and all: the title was not touched
    assert [o["title"] for o in saved["options"]] == [o["title"] for o in HOSTILE_POLL["options"]]
    assert saved["settings"]["x\x1b[5mblink"] == "\x1b]2;extra\x07"
    # Typed, so read as people mean it: a date alone is the end of that day, sent with the zone's offset.
    end = datetime.fromisoformat(saved["settings"]["endDate"])
    assert (end.date().isoformat(), end.time().isoformat(), end.tzinfo is not None) == ("2031-01-01", "23:59:59", True)
    # The description was edited: it is saved as the user saw it, with what they pasted as pasted.
    assert saved["description"].startswith(" \u2067iso\u2069\nline one\nline two ␛[31mred")
    assert saved["description"].endswith("\u2066isolated\u2069")  # the server's isolates, not placeholders
    assert controls_in(saved["description"], allowed="\n\t\u2066\u2067\u2069") == []


async def test_a_confirmation_and_a_notification_quoting_the_title_are_inert(ref_server):
    add_hostile_poll(ref_server.store, EVIL.content)
    app = make_app(ref_server)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await started(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen) and "x␛]52" in screen_text(app))
        text = screen_text(app)
        assert_inert(text)
        assert "x␛]52" in text
        await pilot.press("y")
        await wait_for(pilot, lambda: "Deleted" in toast_text(app))
        toasts = toast_text(app)
        assert_inert(toasts)
        assert "x␛]52" in toasts
        app.notify("[b]markup[/b] \x1b]2;title\x07", title="\x1b[2J", markup=False)
        await wait_for(pilot, lambda: "markup" in toast_text(app))
        assert_inert(toast_text(app))
        assert "[b]markup[/b] ␛]2;title␇" in toast_text(app)  # brackets shown, not obeyed


async def test_a_hostile_content_id_is_inert_in_the_sidebar_status_and_palette(ref_server):
    """Content ids come from pasted URLs and the profiles file: shown inert, never as markup."""
    ref = ContentRef.create("confluence", "98306", "557057", "[b]x[/b]\x1b]2;pwned\x07[/oops]")
    app = PollsApp(Connection(ref_server.confluence_endpoint, ref_server.token, "confluence", ref=ref))
    async with app.run_test(size=(140, 36)) as pilot:
        await polls_shown(pilot, ref)
        text = screen_text(app)
        assert_inert(text)
        assert "557057" in text
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await settle(pilot)
        await pilot.press(*"open 557")
        await wait_for(pilot, lambda: "Show the polls of" in screen_text(app))
        text = screen_text(app)
        assert_inert(text)
        assert "[b]x[/b]␛]2;pwned␇[/oops]" in text  # the brackets shown as typed, not read as markup


def test_the_other_dialogs_and_the_header_take_outside_text_inert():
    """What the conflict, duplicate and restore-draft dialogs and the header are given to show."""
    from pollstui.api.models import Poll
    from pollstui.session.drafts import Draft
    from pollstui.tui.screens.conflict import ConflictScreen
    from pollstui.tui.screens.duplicate import DuplicateScreen
    from pollstui.tui.screens.restore_draft import RestoreDraftScreen
    from pollstui.tui.widgets.header import header_parts

    mine = Poll.from_api({**HOSTILE_POLL, "id": "p1"})
    theirs = Poll.from_api({**HOSTILE_POLL, "id": "p1", "title": "new \x1b]2;t\x07", "zz\x1b[1m": 1})
    conflict = ConflictScreen(mine, theirs)
    assert any("x␛]52" in line and "new ␛]2;t␇" in line for line in conflict.lines)
    assert controls_in("\n".join(conflict.lines), allowed="\n") == []

    duplicate = DuplicateScreen(TITLE, EVIL, "https://polls.example.test/x1/jira")
    assert duplicate.poll_title.startswith("x␛]52") and controls_in(duplicate.poll_title) == []

    draft = RestoreDraftScreen(Draft(EVIL, "p1", {**HOSTILE_POLL, "id": "p1"}))
    assert "x␛]52" in draft.title_text + draft.message
    assert controls_in(draft.title_text + draft.message) == []

    connection = Connection("https://polls.example.test/x1/jira", "tok-12345678", "jira", profile_name="w\x1b]2;t\x07")
    assert controls_in(" ".join(header_parts(connection))) == []


async def test_the_editors_status_line_quoting_a_server_message_is_inert(ref_server):
    add_hostile_poll(ref_server.store, EVIL.content)
    app = make_app(ref_server)
    async with app.run_test(size=(120, 44)) as pilot:
        await started(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        editor = app.screen
        editor.status = (f"Not saved: the server said {TITLE}", True)  # as a failed save reports it
        await pilot.pause()
        line = str(editor.query_one("#editor-status").render())
        assert_inert(line)
        assert "␛" in line  # shown as a placeholder, not dropped


async def test_y_copies_what_the_json_escapes_say(ref_server):
    """The copied JSON is the same value, with C1, bidi and DEL written as \\u escapes (as --json on a terminal)."""
    import json

    add_hostile_poll(ref_server.store, EVIL.content)
    app = make_app(ref_server)
    copied: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        app.copy_to_clipboard = copied.append
        await started(pilot)
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(copied))
    assert controls_in(copied[-1], allowed="\n") == []
    assert "\\u202e" in copied[-1] and "\\u009b" in copied[-1] and "\\u001b" in copied[-1]
    data = json.loads(copied[-1])
    assert data["title"] == TITLE and data["description"] == HOSTILE_POLL["description"]


LOOK_ALIKES = ["Budget", "Bud\u200bget", "Bud\u200eget", "Budget\U000e0041", "\ufeffBudget", "Bud\u00adget"]


async def test_look_alike_titles_are_told_apart_in_the_list_the_detail_and_dialogs(ref_server):
    """Characters that draw as nothing are shown as their code points where a title names a poll;
    a joiner inside an emoji sequence stays a joiner."""
    ref = ContentRef.create("jira", "EVIL", "EVIL-2")
    for title in [*LOOK_ALIKES, "👨\u200d👩\u200d👧 family"]:
        ref_server.store.create_poll("jira", "EVIL", "EVIL-2", "", {**HOSTILE_POLL, "title": title, "description": ""})
    app = PollsApp(Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=ref))
    async with app.run_test(size=(140, 40)) as pilot:
        await polls_shown(pilot, ref)
        text = screen_text(app)
        for shown in ("Bud⟨U+200B⟩get", "Bud⟨U+200E⟩get", "Budget⟨U+E0041⟩", "⟨U+FEFF⟩Budget", "Bud⟨U+00AD⟩get"):
            assert shown in text
        assert "👨\u200d👩\u200d👧 family" in text
        await pilot.press("down")  # the second poll: its title in the table and the detail pane
        await wait_for(pilot, lambda: screen_text(app).count("Bud⟨U+200B⟩get") == 2)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen) and "Bud⟨U+200B⟩get" in screen_text(app))
        await pilot.press("escape")
