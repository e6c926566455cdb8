"""The fault matrix in the TUI: the same faults as tests/test_fault_matrix.py, driven with Pilot.

The app talks to the reference server through :class:`tests.faults.FaultProxy` (its
``client_factory`` gives the client a short timeout and a back-off that does not sleep). For
every fault: the app stays up, the error is a notification in plain words (what failed, on which
poll, what happened, what to do: tests.faults.says) without the token, and the app recovers once
the server does. An editor with unsaved work keeps it through a failed save, on disk too, and the
draft survives a forced quit.
"""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input, Static

from pollstui.api.address import ContentRef
from pollstui.api.errors import APIError, NotPermittedError, RateLimitedError, TransportError, UnexpectedResponseError
from pollstui.session.listing import is_unreadable
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.restore_draft import RestoreDraftScreen
from pollstui.tui.widgets.poll_detail import PollDetail
from pollstui.tui.widgets.poll_table import PollTable
from tests.api.conftest import Recorder
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.faults import (  # noqa: F401 (fault_proxy, shared_proxy and _module_proxy are fixtures)
    HUGE,
    FOUND,
    ISSUE,
    POLL_ID,
    RETRIED,
    FaultProxy,
    _module_proxy,
    fault_proxy,
    looked,
    says,
    shared_proxy,
)
from tests.tui.helpers import screen_text, settle, status, titles, toast_text, wait_for

STARS = ContentRef.create("jira", "PLAT", ISSUE)
SEEDED_TITLES = [STARS_POLL["title"], "Which release train should 4.2 ship on? 🚆"]
#: The heading each kind of failure gets (the most specific match wins: a 429 is "Too many requests").
TITLES = {
    RateLimitedError: "Too many requests", NotPermittedError: "Token refused", TransportError: "Cannot reach the server",
    APIError: "The server said no", UnexpectedResponseError: "Unexpected answer",
}  # fmt: skip
#: The faults that take their own way through the main screen. Every error becomes one notification
#: whose heading follows its kind (TITLES), so one fault per kind, besides those with their own
#: path: nothing reached (refused), retried or not, a huge answer (it once froze the app), JSON
#: nested too deeply (parsed off the UI loop), JSON that is not a list, an unreadable poll, the
#: successes (huge, shape-no-id). What the client says under every fault and operation:
#: tests/test_fault_matrix.py.
LOAD_FAULTS = (
    "refused", "slow", "503", "429", "html-200", "deep", "huge", "huge-broken", "shape-object", "shape-order-str", "shape-no-id",
)  # fmt: skip
#: A failed save takes one path whatever the error (the editor keeps everything, says why): a
#: refused fresh GET, a write that may have arrived (slow), the server failing, an answer that is
#: not the API's.
SAVE_FAULTS = ("refused", "slow", "503", "html-200")
#: The editor journals a create that may have been done, and looks for it before saving again.
TUI_FOUND = {**FOUND, "create": (("may have been created",), ("saving again", "not created twice"))}


def make_app(proxy: FaultProxy, fault: str = "pass") -> PollsApp:
    timeout = 1.0 if fault == "slow" else 10.0  # the other requests of a "slow" test pass through: not too short
    connection = Connection(proxy.jira_endpoint, TOKEN, "jira", ref=STARS)
    return PollsApp(connection, client_factory=lambda c: c.make_client(timeout=timeout, retries=1, sleep=Recorder()))


def editor_status(editor: EditorScreen) -> str:
    return str(editor.query_one("#editor-status", Static).content)


def errors(app: PollsApp) -> list:
    return [n for n in app._notifications if n.severity == "error"]


def assert_nothing_shows_the_token(app: PollsApp) -> None:
    shown = screen_text(app) + toast_text(app)
    assert TOKEN not in shown
    assert "Traceback" not in shown
    for note in app._notifications:
        assert TOKEN not in note.message and TOKEN not in note.title


def server_title(proxy: FaultProxy) -> str:
    return proxy.store.get_poll("jira", "PLAT", ISSUE, "", POLL_ID)["title"]


async def open_editor_on_stars(app: PollsApp, pilot) -> EditorScreen:  # noqa: ANN001
    await settle(pilot, failed_ok=True)
    assert app.screen.query_one(PollTable).current_poll.id == POLL_ID
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
    await pilot.pause()
    return app.screen  # type: ignore[return-value]


# --- loading the list ----------------------------------------------------------------------------


@pytest.mark.parametrize("fault", LOAD_FAULTS)
async def test_a_failed_load_keeps_the_app_up_and_says_what_happened(shared_proxy: FaultProxy, fault: str) -> None:
    shared_proxy.inject(fault)
    said = says("list", fault, shared_proxy.host)
    app = make_app(shared_proxy, fault)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        started = time.monotonic()
        await settle(pilot, failed_ok=True)
        assert time.monotonic() - started < 15  # a 20 MB poll once froze the app for over a minute
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert_nothing_shows_the_token(app)
        if fault == "shape-order-str":  # one poll pollstui cannot read: a row marked unreadable, no error
            assert errors(app) == []
            assert "1 unreadable" in status(app)
            [row] = app.screen.query_one(PollTable).polls
            assert is_unreadable(row) and row.id == POLL_ID
            assert "Unreadable poll" in screen_text(app) and '"order": "0"' in screen_text(app)
        elif said.error is None:
            assert titles(app) == [STARS_POLL["title"]]
            assert errors(app) == []
            detail = app.screen.query_one(PollDetail)
            await wait_for(pilot, lambda: detail.poll is not None)  # (the highlight's message, after the table's)
            shown = "".join(detail.text.split("\n")[1:-1])  # the lines after the title, wrapped or not
            if fault == "huge":
                assert shown.startswith("x" * 20_000 + f"… ({HUGE - 20_000:,} more characters not shown)")
                assert len(app.screen.query_one(PollTable).polls[0].description) == HUGE  # only the view is cut
            else:
                assert detail.text.split("\n")[1] == STARS_POLL["description"]
        else:
            [note] = errors(app)
            said.check(note.message)
            assert note.title == next(title for kind, title in TITLES.items() if issubclass(said.error, kind))
            assert " ".join(note.message.split()) in toast_text(app)  # shown whole
            assert "not loaded" in status(app)
            assert f"Could not load the polls of {ISSUE}. Press r to try again." in screen_text(app)
        # retries=1; a "slow" answer spends the whole 1 s deadline, leaving no time to try again
        assert shared_proxy.count("GET") == (0 if fault == "refused" else 2 if fault in RETRIED and fault != "slow" else 1)

        shared_proxy.clear()  # the server is back: r brings the polls
        await pilot.press("r")
        await settle(pilot, failed_ok=True)
        assert titles(app) == SEEDED_TITLES
        assert "not loaded" not in status(app)
        assert_nothing_shows_the_token(app)


# --- saving in the editor ------------------------------------------------------------------------


@pytest.mark.parametrize("fault", SAVE_FAULTS)
async def test_a_failed_save_keeps_the_editor_its_text_and_the_draft(fault_proxy: FaultProxy, fault: str) -> None:
    app = make_app(fault_proxy, fault)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        editor = await open_editor_on_stars(app, pilot)
        editor.query_one("#title", Input).value = "Typed, not lost"
        await pilot.pause()
        fault_proxy.inject(fault, methods={"PUT"})
        fault_proxy.reset_counts()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor_status(editor).startswith("Not saved"))

        operation = "get" if fault == "refused" else "update"  # a closed port refuses the fresh GET first
        assert app.is_running and app.screen is editor
        assert editor.query_one("#title", Input).value == "Typed, not lost"
        [note] = errors(app)
        assert note.title == "Not saved"
        looked(operation, fault, says(operation, fault, fault_proxy.host)).check(note.message)  # read back: unchanged
        shown = editor_status(editor)  # what happened to the edits, then why
        assert "edits are kept" in shown and "draft" in shown and shown.endswith(note.message)
        assert_nothing_shows_the_token(app)
        assert app.session.drafts.load(STARS, POLL_ID).title == "Typed, not lost"
        assert fault_proxy.count("PUT") == (0 if fault == "refused" else 1)  # never sent twice
        assert server_title(fault_proxy) == STARS_POLL["title"]

        fault_proxy.clear()  # once the server answers again, the same editor saves
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, failed_ok=True)
        assert "Typed, not lost" in titles(app)
    assert server_title(fault_proxy) == "Typed, not lost"
    assert app.session.drafts.load(STARS, POLL_ID) is None


@pytest.mark.parametrize("fault", ["slow", "reset", "503", "shape-no-id"])
async def test_a_failed_create_keeps_the_new_poll_and_never_creates_two(fault_proxy: FaultProxy, fault: str) -> None:
    app = make_app(fault_proxy, fault)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot, failed_ok=True)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        editor = app.screen
        editor.query_one("#title", Input).value = "Brand new"
        await pilot.pause()
        fault_proxy.inject(fault, methods={"POST"})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor_status(editor).startswith("Maybe saved")  # never "Not saved"
                       and any(n.title == "Maybe saved" for n in app._notifications))  # wait for both: the toast and the line
        [note] = [n for n in app._notifications if n.title == "Maybe saved"]
        assert errors(app) == [] and note.severity == "warning"
        looked("create", fault, says("create", fault, fault_proxy.host), TUI_FOUND).check(note.message)
        assert editor_status(editor).endswith(note.message)
        assert app.screen is editor and editor.query_one("#title", Input).value == "Brand new"
        assert app.session.drafts.load(STARS, None).title == "Brand new"
        assert len(fault_proxy.store.list_polls("jira", "PLAT", ISSUE, "")) == 2

        fault_proxy.clear()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, failed_ok=True)
    assert fault_proxy.count("POST") == 2  # the failed one, looked for first, and the one asked for again
    assert [p["title"] for p in fault_proxy.store.list_polls("jira", "PLAT", ISSUE, "")] == [*SEEDED_TITLES, "Brand new"]
    assert app.session.drafts.load(STARS, None) is None


async def test_the_draft_survives_a_forced_quit(fault_proxy: FaultProxy, monkeypatch) -> None:
    app = make_app(fault_proxy)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        editor = await open_editor_on_stars(app, pilot)
        editor.query_one("#title", Input).value = "Typed before the failure"
        await pilot.pause()
        fault_proxy.inject("503", methods={"PUT"})
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: editor_status(editor).startswith("Not saved"))
        editor.query_one("#title", Input).value = "Typed after the failure"
        drafts = app.session.drafts
        await wait_for(pilot, lambda: drafts.load(STARS, POLL_ID).title == "Typed after the failure")  # autosaved
        # The process dies: nothing more reaches the disk, not even what the editor would write
        # on its way out, and the last keystrokes were never autosaved.
        with monkeypatch.context() as patch:
            patch.setattr(type(app.session.drafts), "save", lambda *args, **kwargs: None)
            editor.query_one("#title", Input).value = "Lost in the crash"
            app.exit()
            await pilot.pause()
    assert server_title(fault_proxy) == STARS_POLL["title"]
    assert app.session.drafts.load(STARS, POLL_ID).title == "Typed after the failure"

    fault_proxy.clear()
    app = make_app(fault_proxy)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot, failed_ok=True)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        assert "“Typed after the failure”" in screen_text(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause()
        editor = app.screen
        assert editor.query_one("#title", Input).value == "Typed after the failure"
        assert editor.is_dirty()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, failed_ok=True)
    assert server_title(fault_proxy) == "Typed after the failure"
    assert app.session.drafts.load(STARS, POLL_ID) is None


# --- deleting ------------------------------------------------------------------------------------


# One path whatever the error: a refused fresh GET, a delete that may have happened, a server failing.
@pytest.mark.parametrize("fault", ["slow", "refused", "503"])
async def test_a_failed_delete_keeps_the_poll_and_says_why(shared_proxy: FaultProxy, fault: str) -> None:
    app = make_app(shared_proxy, fault)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, failed_ok=True)
        shared_proxy.inject(fault, methods={"DELETE"})
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(errors(app)))
        await settle(pilot, failed_ok=True)
        operation = "get" if fault == "refused" else "delete"  # the flow reads the poll first
        [note] = errors(app)
        assert note.title == "Not deleted"
        looked(operation, fault, says(operation, fault, shared_proxy.host)).check(note.message)  # read back: still there
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert titles(app) == SEEDED_TITLES
        assert_nothing_shows_the_token(app)
        assert shared_proxy.count("DELETE") == (0 if fault == "refused" else 1)
