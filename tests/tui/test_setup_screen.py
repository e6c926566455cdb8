"""The setup screen with a URL typed, or sent as keystrokes: the token is hidden as it arrives."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Static

from pollstui.api.address import build_url
from pollstui.profiles import ProfileStore
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.help import HelpScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.setup import PASTE_SETTLE, SetupScreen
from tests.conftest import TOKEN
from tests.faults import FaultProxy, fault_proxy  # noqa: F401 (a fixture)
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import burst, polls_shown, screen_text, settle, wait_for
from tests.example import STARS_POLL


def field(app: PollsApp, name: str) -> str:
    return app.screen.query_one(f"#setup-{name}", Input).value


async def test_a_url_typed_key_by_key_never_shows_its_token(ref_server):
    """As tmux send-keys delivers it: one key at a time, the token in the middle of the URL. (The
    URL up to ``token=`` comes in one burst of keys, which the field reads key by key all the same;
    the token and the rest are pressed one at a time.)"""
    token = ref_server.token
    url = build_url(ref_server.jira_endpoint, token, FIRST_JIRA)
    before, after = url.split(token)
    app = PollsApp(None, profile_store=ProfileStore().load())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        burst(app, before)
        await pilot.press(*token[:6])
        await pilot.pause()
        assert token[:6] not in screen_text(app)
        assert field(app, "url").endswith("token=***")
        assert field(app, "token") == token[:6]  # hidden as it is typed
        await pilot.press(*token[6:], *after)
        await pilot.pause()
        assert field(app, "url") == before + "***" + after
        assert field(app, "token") == token
        assert token not in screen_text(app) and token[:4] not in screen_text(app)
        await pilot.press("ctrl+t")  # the URL is read whole: endpoint, token and content item
        await settle(pilot)
        assert "2 polls on PLAT-254604" in screen_text(app)
        assert field(app, "endpoint") == ref_server.jira_endpoint
        await pilot.press("ctrl+s")
        await polls_shown(pilot)
        assert isinstance(app.screen, MainScreen)
    assert ProfileStore().load().get("default").token == token


async def test_deleting_into_the_mask_clears_the_token_and_escapes_are_read(ref_server):
    app = PollsApp(None, profile_store=ProfileStore())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "https://polls.example.test/x1/j?token=")  # (a burst of keys, read one by one)
        await pilot.press(*"abc")
        await pilot.pause()
        assert (field(app, "url"), field(app, "token")) == ("https://polls.example.test/x1/j?token=***", "abc")
        await pilot.press("backspace")
        await pilot.pause()
        assert (field(app, "url"), field(app, "token")) == ("https://polls.example.test/x1/j?token=", "")
        await pilot.press(*"x%2By", *"&type=polls")  # (a + in a token is written %2B in a URL)
        await pilot.pause()
        assert field(app, "token") == "x+y"
        assert field(app, "url") == "https://polls.example.test/x1/j?token=***&type=polls"
        await pilot.press("enter")
        await pilot.pause()
        assert field(app, "endpoint") == "https://polls.example.test/x1/j"
        assert field(app, "token") == "x+y"
        assert "x+y" not in screen_text(app) and "x%2By" not in screen_text(app)


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ("shape-object", "Connection failed: {host} sent JSON that is not a list of polls (expected a JSON array of "
                         "polls, got dict)."),
        ("shape-order-str", "Connection failed: {host} answered with a list in which pollstui can read no poll "
                            "(poll 1 (id {id}): options.0.order: input should be a valid integer). Check that the "
                            "endpoint URL is the Polls API's, or look for a newer pollstui."),
        ("one-bad-poll", "Connected: {host} answered with 1 poll on PLAT-254604, and 2 items pollstui cannot read "
                         "(poll 2 (id bad-poll-1): options.0.order: input should be a valid integer; poll 3: (top): "
                         "not an object)."),
    ],
    ids=["object", "no-poll", "one-bad"],
)  # fmt: skip
async def test_testing_a_connection_says_whether_it_answered_a_poll_list(fault_proxy: FaultProxy, fault: str, said: str):  # noqa: F811
    """Not a list, or a list of no poll: not the Polls API; one bad poll among others: connected, and named."""
    fault_proxy.inject(fault)
    app = PollsApp(None, profile_store=ProfileStore())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#setup-url", Input).value = build_url(fault_proxy.jira_endpoint, TOKEN, FIRST_JIRA)
        await pilot.pause()
        await pilot.press("ctrl+t")
        await settle(pilot)
        result = app.screen.query_one("#setup-result", Static)
        assert str(result.content).startswith(said.format(host=fault_proxy.host, id=STARS_POLL["id"]))
        assert result.has_class("-error") == said.startswith("Connection failed")


async def saved_by(pilot, how: str) -> None:  # noqa: ANN001
    """Save the setup form the way a user does: ctrl+s, a click on Save, or enter on Save."""
    if how == "ctrl+s":
        await pilot.press("ctrl+s")
    elif how == "click":
        await pilot.click("#setup-save-button")
    else:
        pilot.app.screen.query_one("#setup-save-button").focus()
        await pilot.pause()
        await pilot.press("enter")


@pytest.mark.parametrize("how", ["ctrl+s", "click", "enter"])
async def test_keys_work_once_the_setup_is_saved(ref_server, how):
    """Saving opens the main screen, whose keys then answer: ? opens the help, q quits.
    (The Save button once waited on its own screen's removal, and the app took no key after it.)"""
    url = build_url(ref_server.jira_endpoint, ref_server.token, FIRST_JIRA)
    app = PollsApp(None, profile_store=ProfileStore().load())

    async def first_run() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.screen.query_one("#setup-url", Input).value = url  # (as a paste lands)
            await settle(pilot, PASTE_SETTLE * 2)
            await saved_by(pilot, how)
            await polls_shown(pilot)
            assert isinstance(app.screen, MainScreen)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            await pilot.press("q")
            await wait_for(pilot, lambda: app.return_code is not None)

    try:
        await asyncio.wait_for(first_run(), 60)  # (a stuck app fails the test, not the run)
    except TimeoutError:
        pytest.fail(f"the app took no key after the setup was saved ({how})")
    assert ProfileStore().load().get("default").token == ref_server.token


async def test_a_token_typed_after_tab_in_one_burst_goes_to_the_hidden_field(ref_server):
    """Endpoint, tab, token, arriving in one read (tmux send-keys, a slow SSH link): the token lands
    in the masked field, never in the endpoint's, where it would be on screen."""
    app = PollsApp(None, profile_store=ProfileStore())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#setup-endpoint", Input).focus()
        await pilot.pause()
        burst(app, f"{ref_server.jira_endpoint}\t{ref_server.token}")
        await wait_for(pilot, lambda: field(app, "token") == ref_server.token)
        assert field(app, "endpoint") == ref_server.jira_endpoint
        assert ref_server.token not in screen_text(app) and ref_server.token[:6] not in screen_text(app)
