"""The config file's theme (remembered from the palette) and [keys] (the main screen's keys)."""

from __future__ import annotations

import tomllib

import pytest

from pollstui import paths
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.keymap import keymap_from_config
from pollstui.tui.screens.help import HelpScreen
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import screen_text, settle, toast_text, wait_for


def _app(ref_server, read_only: bool = False, **settings) -> PollsApp:  # noqa: ANN001
    store = ProfileStore()
    store.load()
    store.add(Profile("work", ref_server.jira_endpoint, ref_server.token, "jira", recents=[FIRST_JIRA]))
    for key, value in settings.items():  # theme=…, keys={…}: as a user writes them in the file
        setattr(store.prefs, key, value)
    store.save()
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", profile_name="work", ref=FIRST_JIRA)
    return PollsApp(connection, profile_store=ProfileStore(), read_only=read_only)  # read afresh, as a start would


def _config() -> dict:
    return tomllib.loads(paths.config_file().read_text())


# --- [keys] ---------------------------------------------------------------------------------------


def test_keys_are_normalised_and_kept():
    keymap, problems = keymap_from_config({"new-poll": "N", "refresh": "F5, ctrl+r", "filter": "!"})
    assert problems == []
    assert keymap == {"new-poll": "N", "refresh": "f5,ctrl+r", "filter": "exclamation_mark"}


def test_an_unknown_action_id_is_named_with_the_ids_there_are():
    keymap, problems = keymap_from_config({"frobnicate": "z", "new-poll": "N"})
    assert keymap == {"new-poll": "N"}
    assert len(problems) == 1
    assert "'frobnicate'" in problems[0] and "new-poll" in problems[0] and "toggle-sidebar" in problems[0]


def test_clashing_keys_keep_the_defaults_and_say_which():
    keymap, problems = keymap_from_config({"new-poll": "e"})  # e is edit-poll's
    assert keymap == {}
    assert "edit-poll and new-poll" in problems[0]
    keymap, problems = keymap_from_config({"new-poll": "z", "refresh": "z"})
    assert keymap == {} and "new-poll and refresh" in problems[0]
    keymap, problems = keymap_from_config({"new-poll": "q"})  # quit's, everywhere
    assert keymap == {} and "quit" in problems[0]


def test_a_swap_is_no_clash():
    keymap, problems = keymap_from_config({"new-poll": "e", "edit-poll": "n"})
    assert problems == [] and keymap == {"new-poll": "e", "edit-poll": "n"}


def test_the_registry_gives_the_keys_the_app_binds_after_a_keymap():
    """What the help shows comes from Textual's own keymap rule applied to the registry."""
    from pollstui.tui.actions import effective_bindings

    keymap, _ = keymap_from_config({"new-poll": "e", "edit-poll": "n", "refresh": "F5, ctrl+r"})
    keys: dict[str, list[str]] = {}
    for binding in effective_bindings("main", keymap):
        keys.setdefault(binding.id, []).append(binding.key)
    assert keys["new-poll"] == ["e"] and keys["edit-poll"] == ["n"] and keys["refresh"] == ["f5", "ctrl+r"]
    assert keys["delete-poll"] == ["d"]  # the others as the table says


def test_the_readme_lists_every_id():
    from pathlib import Path

    from pollstui.tui.keymap import rebindable

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("[keys]"):]
    assert all(f"`{action_id}`" in section for action_id in rebindable())
    assert keymap_from_config({"clear-filter": "escape"}) == ({"clear-filter": "escape"}, []), "its own default"


def test_what_is_not_a_key_or_is_needed_for_moving_is_refused():
    assert "not a key" in keymap_from_config({"new-poll": ""})[1][0]
    assert "not a key" in keymap_from_config({"new-poll": 5})[1][0]
    assert "not a key" in keymap_from_config({"new-poll": "ctrl e"})[1][0]
    assert "not a key" in keymap_from_config({"new-poll": "\x1b"})[1][0]  # the footer would draw it raw
    assert "moves around" in keymap_from_config({"new-poll": "enter"})[1][0]
    assert "must be a table" in keymap_from_config("n=N")[1][0]


async def test_keys_from_the_config_drive_the_screen_footer_and_help(ref_server):
    app = _app(ref_server, keys={"toggle-sidebar": "ctrl+b", "new-poll": "N"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sidebar = app.screen.sidebar
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display, "b is no longer the sidebar's key"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert not sidebar.display
        footer = screen_text(app).splitlines()[-1]
        assert " N New" in footer and " n New" not in footer
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_lines = screen_text(app).splitlines()
        assert any("^b " in line and "show or hide the content list" in line for line in help_lines)
        assert any(" N " in f" {line} " and "new poll on this content item" in line for line in help_lines)


async def test_a_rebound_key_keeps_its_place_in_the_footer(ref_server):
    """Keys from [keys] stand where the action always stands (new poll first), so a narrow
    footer drops the same keys as with the default keys, not the ones the user chose."""
    from pollstui.tui.widgets.footer import FittingFooter

    def shown(app: PollsApp) -> list[str]:
        return [entry.action for entry in app.screen.query_one(FittingFooter).shown]

    rebound = _app(ref_server, keys={"new-poll": "N", "toggle-voting": "ctrl+v", "add-content": "A"})
    async with rebound.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert shown(rebound)[:4] == ["new_poll", "edit_poll", "delete_poll", "filter"]
        assert shown(rebound)[-5:] == ["toggle_voting", "overview", "quit", "help", "command_palette"]
        assert "add_content" not in shown(rebound)  # (as with the default keys at 100 columns)
        footer = screen_text(rebound).splitlines()[-1]
        assert footer.startswith(" N New ") and " ^v Voting " in footer
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: rebound.screen.size == (120, 40))
        assert shown(rebound)[-6:] == ["toggle_voting", "overview", "add_content", "quit", "help", "command_palette"]
        assert " A Add " in screen_text(rebound).splitlines()[-1]


@pytest.mark.parametrize(("key", "shown"), [("U", "U"), ("ctrl+z", "^z")])
async def test_the_message_after_a_delete_names_the_key_bound_for_undo(ref_server, key: str, shown: str):
    """The session says a delete can be undone; the TUI names the key the user has for undo."""
    from pollstui.tui.screens.confirm import ConfirmScreen

    app = _app(ref_server, keys={"undo": key})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        gone = app.screen.table.current_poll.title
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Deleted" in toast_text(app))
        told = toast_text(app)
        assert f"Press {shown} to undo." in told
        assert "Press u " not in told and "press u " not in told and " u to undo" not in told
        await pilot.press(key)  # the key named undoes it
        await wait_for(pilot, lambda: gone in [p.title for p in app.screen.table.polls])


async def test_config_problems_are_told_and_the_app_still_starts(ref_server):
    app = _app(ref_server, keys={"frobnicate": "z"}, theme="no-such-theme")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        told = toast_text(app)
        assert "no action 'frobnicate'" in told
        assert "'no-such-theme'" in told and "is not a theme" in told
        assert app.theme == "pollstui"
        assert app.screen.table.polls, "the polls load as usual"


# --- theme ----------------------------------------------------------------------------------------


async def test_the_theme_chosen_is_remembered_and_the_profiles_kept(ref_server, monkeypatch):
    import threading

    writers: list[threading.Thread] = []
    remember_theme = ProfileStore.remember_theme

    def recording(self, theme):  # noqa: ANN001
        writers.append(threading.current_thread())
        remember_theme(self, theme)

    monkeypatch.setattr(ProfileStore, "remember_theme", recording)
    app = _app(ref_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "pollstui"
        assert "theme" not in _config(), "starting does not write the file"
        app.theme = "nord"  # what the palette's "Change theme" does
        await wait_for(pilot, lambda: _config().get("theme") == "nord")
    assert writers and threading.main_thread() not in writers, "the file is written off the UI loop"
    config = _config()
    assert config["theme"] == "nord"
    assert config["profiles"]["work"]["token"] == ref_server.token

    again = PollsApp(app.session.connection, profile_store=ProfileStore())
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_the_app_starts_in_its_own_theme_whichever_textual_started_with():
    """pollstui's theme is set before the app runs (pollstui.tui.theme.start_with): its class,
    light or dark, and its colours in the stylesheet, whatever theme Textual began with
    (TEXTUAL_THEME may name another)."""
    from textual.app import App
    from textual.color import Color

    from pollstui.tui.theme import POLLSTUI_THEME, start_with

    for first in ("textual-dark", "textual-light", "ansi-dark", "nord"):
        app = App()
        app.theme = first
        app.register_theme(POLLSTUI_THEME)
        start_with(app, POLLSTUI_THEME)
        async with app.run_test(size=(40, 10)) as pilot:
            await pilot.pause()
            assert app.theme == "pollstui" and app.current_theme is POLLSTUI_THEME
            assert {c for c in app.classes if c.startswith("-theme-")} == {"-theme-pollstui"}, first
            assert app.has_class("-dark-mode") and not app.has_class("-light-mode")
            assert app.screen.styles.background == Color.parse(POLLSTUI_THEME.background), first
            app.stylesheet.add_source("Screen { background: $primary; color: $accent; }")
            rule = app.stylesheet.rules[-1]
            assert rule.styles.background == Color.parse(POLLSTUI_THEME.primary), first
            assert rule.styles.color == Color.parse(POLLSTUI_THEME.accent), first


async def test_starting_in_the_theme_looks_as_setting_it_would():
    """start_with stands in for Textual's theme watcher at start: the app it starts must look, and
    carry the classes, exactly as one whose theme was set the ordinary way (a Textual upgrade that
    makes a theme change do more fails here)."""
    import re

    from textual.app import App, ComposeResult
    from textual.widgets import Button, DataTable, Footer, Input, Static

    from pollstui.tui.theme import POLLSTUI_THEME, start_with

    class Sample(App[None]):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self) -> ComposeResult:
            yield Static("[b]bold[/] [$accent]accent[/] [$warning]warning[/]")
            yield Input("typed", placeholder="placeholder")
            yield Button("Primary", variant="primary")
            table: DataTable[str] = DataTable()
            table.add_columns("a", "b")
            table.add_row("1", "2")
            yield table
            yield Footer()

    async def looks(first: str, *, stand_in: bool) -> tuple[str, set[str]]:
        app = Sample()
        app.theme = first
        app.register_theme(POLLSTUI_THEME)
        if stand_in:
            start_with(app, POLLSTUI_THEME)
        else:
            app.theme = POLLSTUI_THEME.name
        async with app.run_test(size=(50, 12)) as pilot:
            await pilot.pause()
            picture = re.sub(r"terminal-\d+", "terminal", app.export_screenshot())
            return picture, set(app.classes)

    for first in ("textual-dark", "textual-light", "ansi-dark", "nord"):
        assert await looks(first, stand_in=True) == await looks(first, stand_in=False), first


async def test_read_only_explains_a_rebound_write_key(ref_server):
    app = _app(ref_server, read_only=True, keys={"new-poll": "N"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("N")
        await pilot.pause()
        assert "Read-only mode" in toast_text(app)
