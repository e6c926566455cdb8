"""Pilot tests of the main screen against the real reference server on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import stat
import subprocess

import pytest
from textual.widgets import Input, OptionList

from pollstui.api.address import ContentRef, build_url
from pollstui.api.client import PollsClient
from pollstui.session.cache import PollsCache
from pollstui.profiles import Profile, ProfileStore
from pollstui.server import PollStore, ServerThread, create_app, seed_demo_data
from pollstui.settings import Connection
from pollstui.tui import actions
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.add_content import AddContentScreen
from pollstui.tui.screens.help import HelpScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.setup import SetupScreen
from pollstui.tui.widgets.footer import FittingFooter
from pollstui.tui.widgets.poll_detail import PollDetail
from pollstui.tui.widgets.poll_table import PollTable
from pollstui.tui.widgets.sidebar import Sidebar
from tests.example import STARS_POLL
from tests.transports import FaultTransport
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import polls_shown, screen_text, settle, status, titles, toast_text, wait_for

PLAT_254611 = ContentRef.create("jira", "PLAT", "PLAT-254611")
MOBI_1207 = ContentRef.create("jira", "MOBI", "MOBI-1207")
MOBI_1213 = ContentRef.create("jira", "MOBI", "MOBI-1213")


def profile_store(server, *recents: ContentRef, name: str = "work", read_only: bool = False) -> ProfileStore:
    store = ProfileStore()
    store.load()
    store.add(Profile(name, server.jira_endpoint, server.token, "jira", read_only=read_only, recents=list(recents)))
    return store


def profile_connection(server, store: ProfileStore, name: str = "work") -> Connection:
    profile = store.get(name)
    return Connection(profile.endpoint, profile.token, profile.product, profile_name=name,
                      read_only=profile.read_only, ref=profile.last_ref())


# --- start -------------------------------------------------------------------------------------


async def test_start_focuses_poll_list_with_first_poll_highlighted(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PollTable)
        assert isinstance(app.screen, MainScreen)
        assert app.focused is table
        assert table.cursor_row == 0
        assert table.current_poll.title == STARS_POLL["title"]
        detail = app.screen.query_one(PollDetail)
        await wait_for(pilot, lambda: detail.poll is not None)  # (a message after the table's; seen late under load)
        assert detail.poll.id == STARS_POLL["id"]
        text = screen_text(app)
        assert "Simple scoring from 1 to 5 stars" in text  # the detail pane
        assert "%" in text


async def test_header_names_profile_product_and_host_never_the_token(ref_server):
    store = profile_store(ref_server, FIRST_JIRA)
    connection = profile_connection(ref_server, store)
    app = PollsApp(connection, profile_store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = str(app.screen.query_one("#header").render())
        assert "profile work" in header
        assert "Jira" in header
        assert connection.host in header
        assert "READ-ONLY" not in header
        for key in ("y", "Y", "question_mark"):  # copy and help must not leak it either
            app.copy_to_clipboard = lambda text: None
            await pilot.press(key)
            await settle(pilot)
            assert ref_server.token not in screen_text(app)
        await pilot.press("escape")


async def test_detail_shows_settings_in_words_and_unknown_fields(ref_server):
    ref = ContentRef.create("jira", "PLAT", "PLAT-254630")
    app = PollsApp(Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=ref))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "multiple: voters may pick several options" in text
        assert "after the voter has voted" in text
        assert "Not understood by pollstui" in text
        assert '"#336791"' in text  # an option's unknown colour field, raw JSON
        assert "anonymousMode" in text


# --- sidebar -----------------------------------------------------------------------------------


async def test_selecting_content_in_sidebar_loads_its_polls_and_remembers_it(ref_server):
    store = profile_store(ref_server, FIRST_JIRA, PLAT_254611, MOBI_1207)
    app = PollsApp(profile_connection(ref_server, store), profile_store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert STARS_POLL["title"] in titles(app)
        sidebar = app.screen.query_one(Sidebar)
        assert [r.content for r in sidebar.refs] == ["PLAT-254604", "PLAT-254611", "MOBI-1207"]
        sidebar.focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert sidebar.current == PLAT_254611
        assert titles(app)[0] == "Preferred on-call rotation length"
        assert "PLAT-254611 · 2 polls" in status(app)
        assert ProfileStore().load().get("work").recents[0] == PLAT_254611


async def test_add_content_by_key_by_pasted_url_and_a_bad_value_shows_why(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddContentScreen)
        await pilot.press(*"not a key", "enter")
        await pilot.pause()
        error = app.screen.query_one("#add-error")
        assert error.display
        assert "not a Jira issue key" in screen_text(app)
        assert isinstance(app.screen, AddContentScreen)

        app.screen.query_one("#add-value").value = "mobi-1213"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert MOBI_1213 in app.screen.query_one(Sidebar).refs
        assert titles(app) == ["Minimum supported iOS version"]

        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#add-value").value = build_url(ref_server.jira_endpoint, ref_server.token, MOBI_1207)
        await pilot.pause()
        assert isinstance(app.screen, AddContentScreen)
        assert ref_server.token not in screen_text(app)  # masked while the dialog is open
        assert "token=***" in app.screen.query_one("#add-value").value
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.ref == MOBI_1207
        assert titles(app) == ["App icon for the redesign 🎨"]
        assert ref_server.token not in screen_text(app)


async def test_pasted_url_of_another_endpoint_is_refused(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#add-value").value = "https://elsewhere.example/x1/abc?token=zzzz-zzzz&type=polls&workspace=PLAT&content=PLAT-1"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddContentScreen)
        assert "another endpoint" in screen_text(app)
        assert "zzzz-zzzz" not in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_remove_content_from_the_list(ref_server):
    store = profile_store(ref_server, FIRST_JIRA, PLAT_254611)
    app = PollsApp(profile_connection(ref_server, store), profile_store=store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("x")  # the poll list has focus: removes the content item on screen
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        assert sidebar.refs == [PLAT_254611]
        assert app.screen.ref == PLAT_254611
        assert "Removed PLAT-254604 from the list" in toast_text(app)
        assert ProfileStore().load().get("work").recents == [PLAT_254611]
        assert ref_server.store.list_polls("jira", "PLAT", "PLAT-254604", "")  # polls untouched


# --- the list ----------------------------------------------------------------------------------


async def test_filter_as_you_type_and_escape_clears(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 2
        await pilot.press("slash")
        assert app.focused.id == "filter"
        await pilot.press(*"train")
        await pilot.pause()
        assert titles(app) == ["Which release train should 4.2 ship on? 🚆"]
        assert "1 match" in status(app)
        await pilot.press("enter")  # keeps the filter, back to the list
        assert isinstance(app.focused, PollTable)
        assert len(titles(app)) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 2
        assert not app.screen.query_one("#filter").display
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert titles(app) == []
        assert "No poll matches" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(titles(app)) == 2
        assert isinstance(app.focused, PollTable)


async def test_keys_arriving_at_once_after_slash_go_to_the_filter(jira_connection):
    """"/rel" sent in one burst (tmux send-keys, a fast typist): the letters are the filter's,
    not r (refresh) and e (edit) for the list; a "/" typed in the filter is a character."""
    from textual import events

    def burst(text: str) -> None:  # every key queued before the first is handled
        for char in text:
            app.post_message(events.Key("slash" if char == "/" else char, char))

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        burst("/rel")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), "no editor opened"
        assert app.screen.query_one("#filter", Input).value == "rel"
        assert titles(app) == ["Which release train should 4.2 ship on? 🚆"]
        burst("/4")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "rel/4"


async def test_enter_then_a_letter_at_once_after_the_filter_go_to_the_list(jira_connection):
    """"/rel", enter, "e" in one burst: enter keeps the filter before "e" is handled, so "e" edits
    the poll the filter left, instead of landing in the filter."""
    from textual import events

    from pollstui.tui.screens import editor

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key, char in (("slash", "/"), ("r", "r"), ("e", "e"), ("l", "l"), ("enter", "\r"), ("e", "e")):
            app.post_message(events.Key(key, char))  # every key queued before the first is handled
        await wait_for(pilot, lambda: isinstance(app.screen, editor.EditorScreen))
        await settle(pilot)
        main = app.screen_stack[-2]
        assert main.query_one("#filter", Input).value == "rel"
        assert app.screen.poll_id == main.query_one(PollTable).polls[0].id
        assert main.query_one(PollTable).polls[0].title == "Which release train should 4.2 ship on? 🚆"


async def test_refresh_shows_changes_made_elsewhere(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 2
        ref_server.store.create_poll("jira", "PLAT", "PLAT-254604", "", {
            "title": "Added by someone else", "options": [{"id": "1", "title": "A", "order": 0}],
            "settings": {**STARS_POLL["settings"]},
        })
        await pilot.press("down")  # keep the highlight across the refresh
        await pilot.press("r")
        await settle(pilot)
        assert titles(app)[-1] == "Added by someone else"
        assert app.screen.query_one(PollTable).cursor_row == 1


async def test_hidden_numbers_are_hidden_until_toggled(ref_server):
    app = PollsApp(Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=MOBI_1207))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PollTable)
        assert str(table.row_cells(0)[2]) == "hidden"
        text = screen_text(app)
        assert "Counts hidden by this poll" in text
        assert not re.search(r"%\s+\d+\s*$", text, re.M)  # percent, no count after it
        await pilot.press("h")
        await pilot.pause()
        assert str(table.row_cells(0)[2]) == "12"
        text = screen_text(app)
        assert re.search(r"%\s+\d+\s*$", text, re.M)
        assert "12 votes from 12 voters" in text
        await pilot.press("h")
        await pilot.pause()
        assert str(table.row_cells(0)[2]) == "hidden"


# --- cache, stale, faults ----------------------------------------------------------------------


async def test_cached_polls_show_at_once_marked_cached(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    path = PollsCache(scope=jira_connection.endpoint).path_for(FIRST_JIRA)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert ref_server.token not in path.read_text()

    gate = asyncio.Event()  # the fresh answer never comes during this test
    transport = FaultTransport()
    transport.gates["PLAT-254604"] = gate
    app = PollsApp(jira_connection, client_factory=lambda c: PollsClient(c.endpoint, c.token, transport=transport))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: len(titles(app)) == 2)
        assert "cached · fetched" in status(app)
        assert "refreshing" in status(app)
        gate.set()
        await settle(pilot)
        assert "cached" not in status(app)
        assert len(titles(app)) == 2


@pytest.fixture
def stoppable_server(tmp_path):
    store = PollStore(tmp_path / "stoppable.sqlite3")
    seed_demo_data(store)
    thread = ServerThread(create_app(store, "tok-stoppable-0a1b2c3d4e")).start()
    try:
        yield thread
    finally:
        thread.stop()
        store.close()


async def test_server_gone_keeps_polls_on_screen_marked_stale(stoppable_server):
    endpoint = stoppable_server.base_url + "/x1/jira"
    token = "tok-stoppable-0a1b2c3d4e"
    connection = Connection(endpoint, token, "jira", ref=FIRST_JIRA)
    app = PollsApp(connection, client_factory=lambda c: c.make_client(retries=0))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 2
        stoppable_server.stop()
        await pilot.press("r")
        await settle(pilot)
        assert len(titles(app)) == 2
        assert re.search(r"stale · fetched \d\d:\d\d", status(app))
        toasts = toast_text(app)
        assert "could not reach" in toasts
        assert token not in screen_text(app) + toasts

    # and on the next start the cache is all there is: shown, then marked stale
    app = PollsApp(connection, client_factory=lambda c: c.make_client(retries=0))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 2
        assert re.search(r"stale · fetched \d\d:\d\d", status(app))


@pytest.mark.parametrize(
    ("status_code", "words"),
    [(500, "the server failed (500)"), (403, "the server refused the token (403)")],
)
async def test_failed_request_is_a_plain_notification_without_the_token(jira_connection, status_code, words):
    token = jira_connection.token
    transport = FaultTransport()
    transport.fail["GET"] = status_code  # its message quotes the request, token included

    app = PollsApp(jira_connection, client_factory=lambda c: PollsClient(c.endpoint, c.token, transport=transport, retries=0))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        toasts = toast_text(app)
        assert words in toasts
        assert "Check the token" in toasts or "Try again" in toasts  # what to do
        assert "Traceback" not in text + toasts
        assert token not in text + toasts
        assert "not loaded" in status(app)
        assert "Could not load the polls" in text
        assert app.is_running


async def test_slow_server_never_freezes_and_a_timeout_says_so(jira_connection):
    release = asyncio.Event()
    transport = FaultTransport()
    transport.gates[FIRST_JIRA.content] = release
    transport.fail["GET"] = "dropped"  # once released: a read timeout

    app = PollsApp(jira_connection, client_factory=lambda c: PollsClient(c.endpoint, c.token, transport=transport, retries=0))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.busy)
        assert app.screen.query_one(PollTable).loading  # the spinner, in place
        assert "loading" in status(app)
        sidebar = app.screen.query_one(Sidebar)
        await pilot.press("b")  # the UI answers while the request hangs
        assert not sidebar.display
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        release.set()
        await settle(pilot)
        toasts = toast_text(app)
        assert "did not answer in time" in toasts
        assert jira_connection.token not in screen_text(app) + toasts


async def test_switching_fast_never_shows_the_older_answer(ref_server, jira_connection):
    gate = asyncio.Event()
    transport = FaultTransport()
    transport.gates["PLAT-254604"] = gate
    store = profile_store(ref_server, FIRST_JIRA, PLAT_254611)
    connection = profile_connection(ref_server, store)
    app = PollsApp(connection, profile_store=store,
                   client_factory=lambda c: PollsClient(c.endpoint, c.token, transport=transport))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.busy)
        screen = app.screen
        assert screen.ref == FIRST_JIRA  # its request hangs
        screen.open_content(PLAT_254611)
        await wait_for(pilot, lambda: titles(app) and titles(app)[0] == "Preferred on-call rotation length")
        gate.set()  # now the older answer could arrive
        await settle(pilot)
        assert screen.ref == PLAT_254611
        assert titles(app)[0] == "Preferred on-call rotation length"
        assert STARS_POLL["title"] not in titles(app)


async def test_an_answer_for_an_item_no_longer_on_screen_is_dropped(ref_server, jira_connection):
    """The check itself, without relying on the older worker being cancelled."""
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.open_content(PLAT_254611)
        await settle(pilot)
        worker = screen._load(FIRST_JIRA, use_cache=False)  # completes, for the item shown before
        await worker.wait()
        assert screen.ref == PLAT_254611
        assert titles(app)[0] == "Preferred on-call rotation length"


# --- read-only, copying, help ------------------------------------------------------------------


async def test_read_only_greys_every_write_and_explains_once(ref_server, jira_connection):
    app = PollsApp(jira_connection, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert "READ-ONLY" in str(screen.query_one("#header").render())
        writes = {"new_poll", "edit_poll", "edit_json", "delete_poll", "undo", "duplicate_poll", "toggle_voting"}
        state = {b.binding.action: b.enabled for b in screen.active_bindings.values()}
        assert writes <= set(state)  # still there, so the keys stay discoverable …
        assert not any(state[action] for action in writes)  # … but greyed
        assert state["refresh"] and state["present"]
        greyed = {entry.description for entry in screen.query_one(FittingFooter).shown if not entry.enabled}
        assert {"New", "Edit", "Delete", "Undo"} <= greyed
        before = ref_server.store.list_polls("jira", "PLAT", "PLAT-254604", "")
        for key in ("n", "e", "E", "enter", "d", "u", "c", "C"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, key  # no editor, no confirmation
        toasts = toast_text(app)
        assert "Read-only mode" in toasts
        assert toasts.count("Read-only mode") == 1  # one explanation, not one per key press
        assert ref_server.store.list_polls("jira", "PLAT", "PLAT-254604", "") == before


async def test_read_only_profile_marks_the_header(ref_server):
    store = profile_store(ref_server, FIRST_JIRA, read_only=True)
    app = PollsApp(profile_connection(ref_server, store), profile_store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session.read_only
        assert "READ-ONLY" in screen_text(app).splitlines()[0]


async def test_copy_json_and_curl(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    copied: list[str] = []
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.copy_to_clipboard = copied.append
        await settle(pilot)
        await pilot.press("y")
        data = json.loads(copied[-1])
        assert data["id"] == STARS_POLL["id"]
        assert data["options"] == STARS_POLL["options"]
        assert data["settings"] == STARS_POLL["settings"]
        await pilot.press("Y")
        await pilot.pause()
        curl = copied[-1]
        assert curl.startswith("curl -sS -G --data-urlencode \"token=$POLLS_TOKEN\" 'http://")
        assert f"pollId={STARS_POLL['id']}" in curl
        assert ref_server.token not in curl
        assert "Copied a curl command" in toast_text(app)
    # the command works in a shell once the variable is set
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    result = subprocess.run(
        ["bash", "-c", curl], capture_output=True, text=True, timeout=20,
        env={**os.environ, "POLLS_TOKEN": ref_server.token},
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)  # the API answers a GET with pollId as an array of that poll
    assert [poll["id"] for poll in answer] == [STARS_POLL["id"]]


async def test_help_lists_every_binding_and_the_markers(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for words in ("Change polls", "new poll", "delete the highlighted poll", "undo the last change",
                      "copy a curl command", "command palette", "multiple choice", "hidden numbers"):
            assert words in text, words
        from textual.containers import VerticalScroll

        app.screen.query_one(VerticalScroll).scroll_end(animate=False)  # the markers' end: below the fold
        await settle(pilot)
        assert "stale" in screen_text(app)
        for binding in MainScreen.BINDINGS:
            assert binding.id, binding  # every binding has an id the help screen can find
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_command_palette_opens_any_known_content_item(ref_server):
    store = profile_store(ref_server, FIRST_JIRA, MOBI_1207)
    app = PollsApp(profile_connection(ref_server, store), profile_store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Open MOBI-1207")
        matches = app.screen.query_one(OptionList)  # the palette's list of matching commands
        await wait_for(pilot, lambda: matches.highlighted is not None and "MOBI-1207" in str(matches.highlighted_option.prompt))
        await pilot.press("enter")
        await polls_shown(pilot, MOBI_1207)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.ref == MOBI_1207
        assert titles(app) == ["App icon for the redesign 🎨"]


async def test_the_palette_lists_pollstuis_commands_first_without_textuals_keys_and_quit(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        matches = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: matches.option_count > 10)
        await pilot.pause(0.5)  # (every provider has answered)
        listed = [matches.get_option_at_index(i).hit.text for i in range(matches.option_count)]
        assert "Keys" not in listed and "Quit" not in listed  # ? lists the keys, q quits
        help_at = listed.index("Help: keys and markers")
        assert listed.index("Theme") > help_at and listed.index("Screenshot") > help_at, listed
        assert listed[0] == actions.palette("main")[0].palette, listed
        await pilot.press(*"theme")
        await wait_for(pilot, lambda: matches.option_count and matches.get_option_at_index(0).hit.text == "Theme")


# --- writes, wired to the editor's screens -----------------------------------------------------


async def test_n_opens_the_editor_for_a_new_poll_and_e_for_the_highlighted_one(jira_connection):
    from pollstui.tui.screens import editor
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, editor.EditorScreen))
        assert app.screen.ref == FIRST_JIRA
        assert app.screen.poll_id is None

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, editor.EditorScreen))
        main = app.screen_stack[-2]
        assert app.screen.poll_id == main.query_one(PollTable).polls[1].id


async def test_after_the_editor_saves_the_list_reloads_with_the_poll_highlighted(ref_server, jira_connection):
    from pollstui.api.models import Poll

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        created = ref_server.store.create_poll("jira", "PLAT", "PLAT-254604", "", {
            "title": "Saved by the editor", "options": [], "settings": {**STARS_POLL["settings"]},
        })
        app.screen._after_edit(FIRST_JIRA, Poll.from_api(created))  # what EditorScreen's dismiss calls
        await settle(pilot)
        table = app.screen.query_one(PollTable)
        assert table.current_poll.id == created["id"]
        assert table.cursor_row == 2


async def test_delete_asks_then_deletes_and_undo_brings_it_back(ref_server, jira_connection):
    from pollstui.tui.screens.confirm import ConfirmScreen

    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen)
                       and titles(app) == ["Which release train should 4.2 ship on? 🚆"])  # fmt: skip
        await pilot.press("u")
        await wait_for(pilot, lambda: len(titles(app)) == 2)
        assert sorted(titles(app)) == sorted([STARS_POLL["title"], "Which release train should 4.2 ship on? 🚆"])


# --- first run, client lifetime ----------------------------------------------------------------


async def test_first_run_setup_tests_and_saves_a_profile(ref_server):
    store = ProfileStore()
    store.load()
    app = PollsApp(None, profile_store=store)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        url = build_url(ref_server.jira_endpoint, ref_server.token, FIRST_JIRA)
        app.screen.query_one("#setup-url").value = url  # a paste
        await pilot.pause()
        assert app.screen.query_one("#setup-token").password
        assert ref_server.token not in screen_text(app)
        assert "token=***" in app.screen.query_one("#setup-url").value
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert "Connected" in screen_text(app)
        assert "2 polls on PLAT-254604" in screen_text(app)
        await pilot.press("ctrl+s")
        await polls_shown(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.session.connection.profile_name == "default"
        assert STARS_POLL["title"] in titles(app)
        assert "profile default" in screen_text(app).splitlines()[0]
        assert "its token is in the profiles file (no keyring works here)" in toast_text(app)  # (tests have none)
    saved = ProfileStore().load().get("default")
    assert saved.token == ref_server.token
    assert saved.endpoint == ref_server.jira_endpoint
    assert saved.recents == [FIRST_JIRA]


async def test_first_run_bad_token_says_so(ref_server):
    app = PollsApp(None, profile_store=ProfileStore())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#setup-endpoint").value = ref_server.jira_endpoint
        app.screen.query_one("#setup-token").value = "wrong-token-value"
        await pilot.press("ctrl+t")
        await settle(pilot)
        text = screen_text(app)
        assert "Connection failed" in text
        assert "refused the token" in text
        assert isinstance(app.screen, SetupScreen)


async def test_client_is_created_lazily_and_closed_on_exit(jira_connection):
    made: list[PollsClient] = []

    def factory(connection: Connection) -> PollsClient:
        client = connection.make_client()
        made.append(client)
        return client

    app = PollsApp(jira_connection, client_factory=factory)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert len(made) == 1
    assert made[0]._http.is_closed


def test_app_and_main_screen_import_neither_httpx_nor_pydantic():
    """The first frame must not wait for httpx or pydantic: they load in the first worker."""
    import subprocess
    import sys

    code = (
        "import sys, pollstui.tui.app, pollstui.tui.screens.main, pollstui.tui.screens.help, "
        "pollstui.tui.screens.setup, pollstui.tui.commands, pollstui.session; "
        "print(sorted(m for m in ('httpx', 'pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


async def test_the_first_requests_answer_already_in_is_shown_without_a_loading_state(ref_server, jira_connection):
    """The request sent at start answered before the screen was up: the list is there at once
    (no loading state, no cached copy first), and r asks the server again."""
    from pollstui.session import prefetch
    from pollstui.session.listing import Source

    early = prefetch.start(jira_connection)
    early._thread.join(10)
    app = PollsApp(jira_connection, prefetch=early)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.listing.source is Source.FRESH and not screen.busy
        assert screen.table.row_count == len(screen.listing.rows()) > 0
        before = screen.listing
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.listing is not before and screen.listing.source is Source.FRESH)


async def test_the_first_frame_has_the_rows_and_the_detail(ref_server, jira_connection, monkeypatch):
    """With the answer in at start, the rows and the highlighted poll's detail are there before
    the screen's first layout (so its first frame shows them)."""
    from pollstui.session import prefetch
    from pollstui.tui.screens import main

    seen: dict[str, object] = {}

    class Watched(MainScreen):
        CSS_PATH = None  # its rules are read with the app's
        def on_mount(self) -> None:
            super().on_mount()
            seen.update(laid_out=self.table.size.width, rows=self.table.row_count, detail=self.detail.poll)

    monkeypatch.setattr(main, "MainScreen", Watched)  # the app's first screen
    early = prefetch.start(jira_connection)
    early._thread.join(10)
    app = PollsApp(jira_connection, prefetch=early)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.table
        assert seen["laid_out"] == 0 and seen["rows"] == table.row_count > 0
        assert seen["detail"] is not None and seen["detail"].id == table.current_item.id


async def test_the_app_resumes_the_garbage_collector_after_its_first_frame(jira_connection):
    """`pollstui` pauses the collector before it imports Textual (pollstui.tui.heap); the app
    gives it back once its first frame is drawn, so a long session never runs without it."""
    import gc

    from pollstui.tui import heap

    heap.pause()
    try:
        assert not gc.isenabled()
        app = PollsApp(jira_connection)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        heap.resume()
        gc.enable()


@pytest.mark.parametrize(
    ("size", "keys"),
    [
        ((80, 24), ["new_poll", "edit_poll", "delete_poll", "filter", "present", "toggle_voting", "overview"]),
        ((100, 30), ["new_poll", "edit_poll", "delete_poll", "filter", "present", "toggle_voting", "overview"]),
        ((120, 40), ["new_poll", "edit_poll", "delete_poll", "undo", "filter", "present", "toggle_voting", "overview",
                     "add_content"]),
    ],
)
async def test_a_narrow_footer_keeps_the_keys_a_new_user_needs(ref_server, jira_connection, size, keys):
    """At 80 and 100 columns the footer drops refresh, undo (a change's message names its undo key)
    and Add (in the help, and the sidebar's) before New, Edit, Present, Voting (what a facilitator
    needs in front of a room) or All items; at 120 only refresh goes; Quit and Help always stay."""
    app = PollsApp(jira_connection)
    async with app.run_test(size=size) as pilot:
        await polls_shown(pilot)
        shown = [entry.action for entry in app.screen.query_one(FittingFooter).shown]
        assert shown[: len(keys) + 2] == [*keys, "quit", "help"]
        footer = screen_text(app).splitlines()[-1]
        assert "g All items" in footer and "C Voting" in footer and "q Quit" in footer
        assert ("a Add" in footer) == (size[0] >= 120)
