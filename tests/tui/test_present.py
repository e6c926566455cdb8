"""Present mode (``p``) and the main screen's auto-refresh (``w``), against the reference server."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.worker import NoActiveWorker, get_current_worker

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.api.results import format_percent, percent
from pollstui.settings import Connection
from pollstui.tui import refresh
from pollstui.tui.app import PollsApp
from pollstui.tui.refresh import RefreshSchedule, seconds_text
from pollstui.tui.screens import main as main_screen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.present import PresentScreen, ago_text
from pollstui.tui.widgets.live_bars import LiveBars, plan_layout
from pollstui.tui.widgets.poll_table import PollTable
from tests.example import STARS_POLL
from tests.transports import FaultTransport
from tests.tui.helpers import screen_text, settle, toast_text, wait_for

MOBI_1207 = ContentRef.create("jira", "MOBI", "MOBI-1207")
RELEASE_TRAIN = "Which release train should 4.2 ship on? 🚆"


def switchable_app(connection: Connection) -> tuple[PollsApp, FaultTransport]:
    """The app on real HTTP until the test sets ``transport.fail["*"] = "refused"``."""
    transport = FaultTransport()

    def factory(conn: Connection) -> PollsClient:
        return PollsClient(conn.endpoint, conn.token, transport=transport, retries=0)

    return PollsApp(connection, client_factory=factory), transport


def expected_figures(store, poll_id: str) -> list[tuple[str, int]]:
    """(percent as shown, votes) per option, from the server's own results."""
    results = store.results(poll_id)
    total = results["totalVotes"]
    return [(format_percent(percent(o["votes"], total)), o["votes"]) for o in results["options"]]


def votes_text(votes: int) -> str:
    return f"{votes} vote" if votes == 1 else f"{votes} votes"


async def open_present(pilot) -> PresentScreen:  # noqa: ANN001
    await settle(pilot)
    await pilot.press("p")
    await settle(pilot)
    await pilot.wait_for_animation()
    screen = pilot.app.screen
    assert isinstance(screen, PresentScreen)
    return screen


#: The shortest interval ``-`` reaches in the tests that wait for refreshes to fail and come back
#: (pollstui's shortest is 1 s): the same backing off and recovering, in a quarter of the time.
QUICK = 0.25


@pytest.fixture
def quick_steps(monkeypatch) -> None:
    """``-`` steps from the default interval down to :data:`QUICK` seconds."""
    monkeypatch.setattr(refresh, "INTERVAL_STEPS", (QUICK, *refresh.INTERVAL_STEPS[1:]))


def status_line(app: PollsApp) -> str:
    return str(app.screen.query_one("#present-status").render())


# --- present mode ------------------------------------------------------------------------------


async def test_p_opens_present_mode_with_title_percents_and_counts(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_present(pilot)
        assert screen.poll.id == STARS_POLL["id"]
        text = screen_text(app)
        assert STARS_POLL["title"] in text
        figures = expected_figures(ref_server.store, STARS_POLL["id"])
        for shown, votes in figures:
            assert shown in text
            assert votes_text(votes) in text
        total = sum(v for _, v in figures)
        assert f"{total} votes" in str(screen.query_one("#present-meta").render())
        assert "updated just now" in status_line(app)
        assert "every 2 s" in status_line(app)
        assert "poll 1 of 2" in status_line(app)
        bars = screen.query_one(LiveBars)
        assert bars.fractions() == pytest.approx([float(p.rstrip("%")) / 100 for p, _ in figures], abs=1e-3)
        assert "█" in text


async def test_counts_hidden_for_a_poll_that_hides_absolute_numbers(ref_server):
    app = PollsApp(Connection(ref_server.jira_endpoint, ref_server.token, "jira", ref=MOBI_1207))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_present(pilot)
        assert screen.poll.settings.hide_absolute_numbers
        text = screen_text(app)
        assert "App icon for the redesign" in text
        for shown, _ in expected_figures(ref_server.store, screen.poll.id):
            assert shown in text
        assert "vote" not in text  # neither per option nor in total
        meta = str(screen.query_one("#present-meta").render())
        assert "percentages only" in meta
        assert "closed" in meta  # its end date has passed


async def test_left_and_right_move_through_the_polls_of_the_content(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_present(pilot)
        await pilot.press("right")
        await pilot.wait_for_animation()
        assert screen.poll.title == RELEASE_TRAIN
        assert "Which release train" in screen_text(app)
        assert "poll 2 of 2" in status_line(app)
        assert "days left" in str(screen.query_one("#present-meta").render())
        await pilot.press("right")  # the last poll: stays
        assert screen.poll.title == RELEASE_TRAIN
        await pilot.press("left")
        await pilot.wait_for_animation()
        assert screen.poll.id == STARS_POLL["id"]
        assert STARS_POLL["title"] in screen_text(app)


async def test_plus_and_minus_change_the_interval_shown(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_present(pilot)
        assert "every 2 s" in status_line(app)
        await pilot.press("plus")
        assert "every 3 s" in status_line(app)
        assert screen.schedule.interval == 3
        await pilot.press("minus", "minus", "minus")
        assert "every 1 s" in status_line(app)  # 1 s is the shortest
        for _ in range(10):
            await pilot.press("plus")
        assert "every 1 min" in status_line(app)


async def test_f_hides_everything_but_the_bars_and_escape_goes_back(jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_present(pilot)
        await pilot.press("right")
        await pilot.press("f")
        await pilot.pause()
        text = screen_text(app)
        assert "Which release train" not in text  # the title
        assert "updated" not in text  # the status line
        assert "Bars only" not in text  # the footer
        assert "June train" in text and "%" in text and "█" in text
        await pilot.press("f")
        await pilot.pause()
        assert "Which release train" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        # The poll shown last is the one highlighted on return.
        assert app.screen.query_one(PollTable).current_poll.title == RELEASE_TRAIN


async def test_refresh_picks_up_new_votes_and_bars_move(ref_server, jira_connection):
    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_present(pilot)
        await pilot.press("minus")  # every 1 s
        before = screen.query_one(LiveBars).target_fractions
        for n in range(6):
            ref_server.store.add_vote(STARS_POLL["id"], ["1"], f"present-test-{n}")
        figures = expected_figures(ref_server.store, STARS_POLL["id"])
        first_option = f"{figures[0][0]}"
        await wait_for(pilot, lambda: first_option in screen_text(app) and "6 votes" in screen_text(app), timeout=5)
        after = screen.query_one(LiveBars).target_fractions
        assert after[0] > before[0]
        total = sum(v for _, v in figures)
        assert f"{total} votes" in str(screen.query_one("#present-meta").render())


async def test_on_errors_keeps_last_results_says_retrying_and_backs_off(ref_server, jira_connection, quick_steps):
    app, transport = switchable_app(jira_connection)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await open_present(pilot)
        await pilot.press("minus")  # every QUICK seconds
        assert screen.schedule.interval == QUICK
        figures = expected_figures(ref_server.store, STARS_POLL["id"])
        transport.fail["*"] = "refused"
        await wait_for(pilot, lambda: screen.schedule.failures >= 1 and "retrying" in status_line(app), timeout=5)
        assert "Cannot reach the server" in status_line(app)
        assert screen.schedule.delay == 2 * QUICK  # doubled
        text = screen_text(app)
        for shown, votes in figures:  # the last good results stay
            assert shown in text
            assert votes_text(votes) in text
        await wait_for(pilot, lambda: screen.schedule.failures >= 2, timeout=5)
        assert screen.schedule.delay == 4 * QUICK
        assert "Cannot reach" not in toast_text(app)  # said on the status line, no pop-ups for the room

        transport.fail.clear()
        screen.action_refresh_now()
        await wait_for(pilot, lambda: screen.schedule.failures == 0 and "retrying" not in status_line(app), timeout=5)
        assert screen.schedule.delay == QUICK
        assert "updated just now" in status_line(app)
        assert "retrying" not in status_line(app)


@pytest.mark.parametrize("breaks", ["time_left", "bar_rows"])  # once the bars are set; before
async def test_a_poll_that_cannot_be_shown_does_not_stop_the_refreshes(ref_server, jira_connection, monkeypatch, breaks,
                                                                       quick_steps):
    # An exception while showing fresh results ended the worker silently: present mode stayed
    # "fetching" and never refreshed again (9999-12-31 as an end date did that).
    from pollstui.tui.screens import present

    app = PollsApp(jira_connection)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_present(pilot)
        await pilot.press("minus")  # every QUICK seconds
        assert screen.schedule.interval == QUICK

        shown = getattr(present, breaks)

        def broken(*args):  # while showing fresh results only: the clock's tick each second shows them too
            try:
                get_current_worker()
            except NoActiveWorker:
                return shown(*args)
            raise OverflowError("date value out of range")

        monkeypatch.setattr(present, breaks, broken)
        ref_server.store.add_vote(STARS_POLL["id"], ["1"], "present-broken")  # an answer not shown yet
        total = ref_server.store.results(STARS_POLL["id"])["totalVotes"]
        screen.action_refresh_now()
        await wait_for(pilot, lambda: screen.schedule.failures >= 1, timeout=15)
        await wait_for(pilot, lambda: "something went wrong" in status_line(app).lower())
        # (No check of the count in between: the clock's tick each second draws it from the poll
        # the failed refresh held, so what it shows then depends on where in that second it failed.)
        monkeypatch.undo()
        await wait_for(pilot, lambda: screen.schedule.failures == 0, timeout=20)  # it kept refreshing
        # The same answer again is shown this time, bars and all: it was not shown in full before.
        figures = expected_figures(ref_server.store, STARS_POLL["id"])
        await wait_for(pilot, lambda: [r.votes for r in screen.query_one(LiveBars).rows] == [v for _, v in figures])
        assert f"{total} votes" in str(screen.query_one("#present-meta").render())


async def test_present_with_an_empty_poll_and_frozen_clocks(ref_server):
    """No options: a message instead of bars; the injected clocks drive "updated" and the time left."""
    ref = ContentRef.create("confluence", "98306", "589825", "7c9e6679-7425-40de-944b-e07fc1f90ae7")
    app = PollsApp(Connection(ref_server.confluence_endpoint, ref_server.token, "confluence", ref=ref))
    ticks = [100.0]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main = app.screen
        screen = PresentScreen(main.ref, main.polls, main.polls[0].id, clock=lambda: ticks[0],
                               now=lambda: datetime(2030, 1, 1, tzinfo=timezone.utc))
        await app.push_screen(screen)
        await settle(pilot)
        assert "This poll has no options yet." in screen_text(app)
        ticks[0] = 107.0
        screen._tick_clock()
        assert "updated 7 s ago" in status_line(app)


# --- the main screen's auto-refresh (w) -------------------------------------------------------


async def test_w_toggles_auto_refresh_of_the_list(ref_server, jira_connection, monkeypatch):
    monkeypatch.setattr(main_screen, "AUTO_REFRESH_INTERVAL", 0.3)
    app = PollsApp(jira_connection)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        status = app.screen.query_one("#status")
        assert "auto" not in str(status.render())
        await pilot.press("w")
        await pilot.pause()
        assert "auto" in str(status.render())
        ref_server.store.add_vote(STARS_POLL["id"], ["2"], "auto-refresh-test")
        total = ref_server.store.results(STARS_POLL["id"])["totalVotes"]
        table = app.screen.query_one(PollTable)
        await wait_for(pilot, lambda: table.current_poll.total_votes == total, timeout=5)
        assert not app.screen.query_one("#status-spinner").display  # quiet: no spinner
        await pilot.press("w")
        await pilot.pause()
        assert "auto" not in str(status.render())
        assert app.screen.auto_refresher.schedule is None


async def test_auto_refresh_backs_off_and_reports_a_failure_once(jira_connection, monkeypatch):
    interval = 0.1
    monkeypatch.setattr(main_screen, "AUTO_REFRESH_INTERVAL", interval)
    app, transport = switchable_app(jira_connection)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        transport.fail["*"] = "refused"
        await pilot.press("w")
        screen = app.screen
        await wait_for(pilot, lambda: screen.auto_refresher.schedule.failures >= 3, timeout=8)
        await wait_for(pilot, lambda: "auto, retry in" in str(screen.query_one("#status").render()))
        assert screen.auto_refresher.schedule.delay == pytest.approx(interval * 2 ** screen.auto_refresher.schedule.failures)
        assert "auto, retry in" in str(screen.query_one("#status").render())
        assert "stale" in str(screen.query_one("#status").render())
        assert toast_text(app).count("Cannot reach the server") == 1
        transport.fail.clear()
        await wait_for(pilot, lambda: screen.auto_refresher.schedule.failures == 0, timeout=8)
        await pilot.press("w")


# --- the pieces --------------------------------------------------------------------------------


def test_ago_text_and_seconds_text():
    assert ago_text(0.4) == "just now"
    assert ago_text(3) == "3 s ago"
    assert ago_text(180) == "3 min ago"
    assert seconds_text(2) == "2 s"
    assert seconds_text(60) == "1 min"
    assert seconds_text(0.5) == "0.5 s"


def test_refresh_schedule_doubles_up_to_a_cap_and_resets():
    schedule = RefreshSchedule(2, cap=30)
    delays = []
    for _ in range(6):
        schedule.failed()
        delays.append(schedule.delay)
    assert delays == [4, 8, 16, 30, 30, 30]
    schedule.succeeded()
    assert schedule.delay == 2
    assert schedule.slower() == 3
    assert RefreshSchedule(60).slower() == 60
    assert RefreshSchedule(1).faster() == 1
    assert RefreshSchedule(120, cap=30).delay == 120
    assert refresh.INTERVAL_STEPS[0] == 1


def test_bar_layout_fits_the_height():
    assert plan_layout(3, 30) == ("stacked", 6, 2)
    assert plan_layout(3, 16) == ("stacked", 3, 1)
    assert plan_layout(5, 14) == ("stacked", 1, 1)
    assert plan_layout(6, 12) == ("stacked", 1, 0)
    assert plan_layout(11, 12) == ("inline", 1, 0)


async def test_present_mode_at_80_columns_shows_the_way_back(jira_connection):
    """A narrow footer drops Bars only before esc Back: the way out of the full screen stays in
    sight, with Prev, Next, Quit and Help."""
    app = PollsApp(jira_connection)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_present(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("esc Back", "← Prev", "→ Next", "q Quit", "? Help"):
            assert key in footer, (key, footer)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
