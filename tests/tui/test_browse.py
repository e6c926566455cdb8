"""`o`: open the issue or page in a browser, or show its link; the site URL asked once and kept."""

from __future__ import annotations

import webbrowser

import pytest

from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.site_prompt import SitePromptScreen
from tests.tui.conftest import FIRST_JIRA
from tests.tui.helpers import screen_text, settle, toast_text, wait_for

ISSUE_URL = f"https://acme.atlassian.net/browse/{FIRST_JIRA.content}"


def _app(ref_server, site: str = "") -> PollsApp:  # noqa: ANN001
    profiles = ProfileStore()
    profiles.load()
    profiles.add(Profile("work", ref_server.jira_endpoint, ref_server.token, "jira", recents=[FIRST_JIRA], site=site))
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", profile_name="work", ref=FIRST_JIRA)
    return PollsApp(connection, profile_store=profiles)


@pytest.fixture
def over_ssh(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    return opened


@pytest.fixture
def desktop(monkeypatch):
    """A display, and a browser that records what it was asked to open (no real window in a test)."""
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("sys.platform", "linux")
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, new=0: opened.append(url) or True)
    return opened


async def test_o_opens_the_issue_in_the_browser(ref_server, desktop):
    app = _app(ref_server, site="https://acme.atlassian.net")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert desktop == [ISSUE_URL]
        assert "Opened" in toast_text(app)


async def test_over_ssh_o_shows_the_link_to_copy_without_the_token(ref_server, over_ssh):
    app = _app(ref_server, site="https://acme.atlassian.net")
    copied: list[str] = []
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        app.copy_to_clipboard = copied.append
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert over_ssh == [], "no text browser started inside the app's terminal"
        assert isinstance(app.screen, ConfirmScreen)
        text = screen_text(app)
        assert ISSUE_URL in text and "SSH" in text
        assert ref_server.token not in text
        await pilot.press("y")
        await settle(pilot)
        assert copied == [ISSUE_URL]
        assert "Copied the link" in toast_text(app)


async def test_a_browser_that_fails_shows_the_link(ref_server, desktop, monkeypatch):
    def refuse(url, new=0):  # noqa: ANN001, ANN202
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "open", refuse)
    app = _app(ref_server, site="https://acme.atlassian.net")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert ISSUE_URL in screen_text(app)


async def test_without_a_site_o_asks_once_and_the_profile_keeps_it(ref_server, over_ssh):
    app = _app(ref_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, SitePromptScreen)
        await pilot.press(*"ftp://nope", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SitePromptScreen), "a bad URL keeps the dialog open"
        assert "not a site URL" in screen_text(app)
        app.screen.query_one("#site-value").value = ""
        await pilot.press(*"acme.atlassian.net/", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert ISSUE_URL in screen_text(app)
    assert ProfileStore().load().get("work").site == "https://acme.atlassian.net"


async def test_the_setup_screen_takes_an_optional_site_url(ref_server):
    from pollstui.api.address import build_url
    from pollstui.tui.screens.main import MainScreen
    from pollstui.tui.screens.setup import SetupScreen

    store = ProfileStore()
    store.load()
    app = PollsApp(None, profile_store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        app.screen.query_one("#setup-url").value = build_url(ref_server.jira_endpoint, ref_server.token, FIRST_JIRA)
        app.screen.query_one("#setup-site").value = "ftp://nope"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen), "a bad site URL is refused and nothing is saved"
        assert "not a site URL" in screen_text(app)
        app.screen.query_one("#setup-site").value = "https://acme.atlassian.net/"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, SetupScreen))
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert ProfileStore().load().get("default").site == "https://acme.atlassian.net"
