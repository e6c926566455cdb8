"""All items (g): every poll on the pinned items in one table, on the reference server (ASGI) with
the faults of tests/transports.py; the add dialog that pins several items at once."""

from __future__ import annotations

import asyncio

import httpx
from textual import events
from textual.widgets import Input

from pollstui.api.address import ContentRef
from pollstui.profiles import Profile, ProfileStore
from pollstui.server import create_app
from pollstui.session.listing import Source
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.main import MainScreen
from pollstui.tui.screens.overview import OverviewScreen
from pollstui.tui.screens.present import PresentScreen
from pollstui.tui.widgets.poll_table import PollTable
from pollstui.tui.widgets.sidebar import Sidebar
from tests.api.conftest import JIRA_ENDPOINT, store  # noqa: F401 (fixture)
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.transports import FaultTransport
from tests.tui.helpers import polls_shown, screen_text, settle, toast_text, wait_for

ITEMS = ["PLAT-254604", "PLAT-254611", "PLAT-254630", "MOBI-1207", "MOBI-1213", "MOBI-1230"]


def jira(key: str) -> ContentRef:
    return ContentRef.create("jira", "", key)


def make_app(server_store, *, pinned=ITEMS, read_only=False) -> tuple[PollsApp, FaultTransport]:  # noqa: ANN001
    profiles = ProfileStore().load()
    profiles.add(Profile("work", JIRA_ENDPOINT, TOKEN, "jira", read_only=read_only, insecure=True, recents=[jira(ITEMS[0])]))
    profiles.pin("work", [jira(key) for key in pinned])
    transport = FaultTransport(httpx.ASGITransport(app=create_app(server_store, TOKEN)))
    connection = Connection(JIRA_ENDPOINT, TOKEN, "jira", profile_name="work", allow_insecure=True, read_only=read_only,
                            ref=jira(ITEMS[0]))  # fmt: skip
    app = PollsApp(connection, profile_store=profiles, client_factory=lambda c: c.make_client(transport=transport))
    return app, transport


def overview(app: PollsApp) -> OverviewScreen:
    screen = app.screen
    assert isinstance(screen, OverviewScreen), screen
    return screen


def rows(app: PollsApp) -> list[list[str]]:
    table = overview(app).table
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_overview(pilot) -> None:  # noqa: ANN001
    await polls_shown(pilot)
    await pilot.press("g")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen) and not overview(pilot.app).pending)
    await settle(pilot)


async def test_g_shows_every_poll_of_the_pinned_items_open_ones_closing_soonest_first(store):  # noqa: F811
    app, transport = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        shown = rows(app)
        expected = sum(len(store.list_polls("jira", key.split("-")[0], key, "")) for key in ITEMS)
        assert len(shown) == expected and {row[0] for row in shown} == set(ITEMS) - {"PLAT-1"}
        ends = [row[4] for row in shown]
        assert ends[0] not in ("—", "closed", "ended") and ends[-1] in ("closed", "ended")
        assert "All items" in screen_text(app) and f"{expected} polls on 6 items" in screen_text(app)


async def test_the_sidebar_lists_all_items_then_pinned_then_recent_and_all_items_opens_the_overview(store):  # noqa: F811
    app, _ = make_app(store, pinned=ITEMS[1:3])
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        sidebar = app.screen.query_one(Sidebar)
        labels = [str(node.label).strip(" ●") for node in sidebar.root.children]
        assert labels[:2] == ["★ All items", "Pinned"] and labels[2] == "PLAT"
        assert [r.content for r in sidebar.refs] == [ITEMS[1], ITEMS[2], ITEMS[0]]
        sidebar.focus()
        sidebar.move_cursor(sidebar.root.children[0])
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))


async def test_a_failing_item_is_one_row_saying_why_and_hides_nothing(store):  # noqa: F811
    app, transport = make_app(store)
    transport.fail["MOBI-1213"] = 403
    transport.fail["MOBI-1230"] = 424
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        shown = rows(app)
        failures = {row[0]: row[1] for row in shown if row[1].startswith("⚠")}
        assert set(failures) == {"MOBI-1213", "MOBI-1230"}
        assert "token was refused" in failures["MOBI-1213"]
        assert "took too long" in failures["MOBI-1230"]
        assert {row[0] for row in shown if not row[1].startswith("⚠")} == set(ITEMS) - {"MOBI-1213", "MOBI-1230"}
        assert "2 failed" in screen_text(app) and TOKEN not in screen_text(app)


async def test_rows_appear_as_answers_arrive_cached_first_and_escape_cancels(store):  # noqa: F811
    app, transport = make_app(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_overview(pilot)  # the answers are in the cache now
        fresh = len(rows(app))
        await pilot.press("escape")  # back
        await settle(pilot)
        for key in ITEMS[1:]:
            transport.gates[key] = asyncio.Event()  # every item but the first waits
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and overview(app).results.get(jira(ITEMS[0]).key)
                       is not None and overview(app).results[jira(ITEMS[0]).key].listing.source is Source.FRESH)  # fmt: skip
        shown = rows(app)
        assert len(shown) == fresh  # the cached copies of the rest
        assert any("· cached" in row[1] for row in shown)
        assert not any("· cached" in row[1] for row in shown if row[0] == ITEMS[0])
        assert overview(app).pending == len(ITEMS) - 1
        await pilot.press("escape")  # cancels the requests in flight, at once
        await settle(pilot)
        assert overview(app).pending == 0 and transport.in_flight == 0
        assert "Cancelled: 5 items not read" in toast_text(app)
        assert isinstance(app.screen, OverviewScreen)  # a second escape goes back
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_g_has_the_requests_on_their_way_before_it_shows_the_screen(store):  # noqa: F811
    """Drawing All items never holds up its requests: at the moment it becomes the screen, the
    first four items' requests (the concurrency) are in flight already; again when g shows it a
    second time."""
    app, transport = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        in_flight_when_shown: list[int] = []
        push = app.push_screen

        def push_and_note(screen, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            if isinstance(screen, OverviewScreen):
                in_flight_when_shown.append(transport.in_flight)
            return push(screen, *args, **kwargs)

        app.push_screen = push_and_note  # type: ignore[method-assign]
        for _ in range(2):
            transport.gates = {key: asyncio.Event() for key in ITEMS}
            await pilot.press("g")
            await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
            for gate in transport.gates.values():
                gate.set()
            await wait_for(pilot, lambda: not overview(app).pending)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        assert in_flight_when_shown == [4, 4]


async def test_shown_again_all_items_follows_the_pinned_items_and_marks_the_last_rows_cached(store):  # noqa: F811
    """The screen is kept for the session: g again shows the rows of the last visit at once,
    marked cached, until each item's answer comes; an item unpinned meanwhile is gone."""
    app, transport = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        first = overview(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        sidebar.move_cursor(sidebar._items[jira(ITEMS[5]).key])
        await pilot.press("x")  # unpinned
        await settle(pilot)
        transport.gates = {key: asyncio.Event() for key in ITEMS}
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await pilot.pause()  # (not settle: the answers are held)
        assert overview(app) is first
        shown = rows(app)
        assert {row[0] for row in shown} == set(ITEMS[:5]) and all("· cached" in row[1] for row in shown)
        transport.gates[ITEMS[0]].set()
        await wait_for(pilot, lambda: overview(app).pending == 4)
        await pilot.pause()
        assert not any("· cached" in row[1] for row in rows(app) if row[0] == ITEMS[0])
        assert all("· cached" in row[1] for row in rows(app) if row[0] != ITEMS[0])
        for gate in transport.gates.values():
            gate.set()
        await wait_for(pilot, lambda: not overview(app).pending)
        await settle(pilot)
        assert not any("· cached" in row[1] for row in rows(app))


async def test_sort_and_filter_as_on_the_main_screen(store):  # noqa: F811
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        await pilot.press("s")  # title
        await settle(pilot)
        titles = [row[1] for row in rows(app)]
        assert titles == sorted(titles, key=lambda t: " ".join(t.split()).casefold())
        await pilot.press("slash", *"audit", "enter")
        await settle(pilot)
        assert [row[0] for row in rows(app)] == ["PLAT-254630", "PLAT-254630"]
        await pilot.press("escape", "slash", *"mobi-12", "enter")  # an item's key matches too
        await settle(pilot)
        assert {row[0] for row in rows(app)} == {"MOBI-1207", "MOBI-1213", "MOBI-1230"}


async def test_keys_arriving_at_once_in_the_filter_go_where_they_would_one_by_one(store):  # noqa: F811
    """The main screen's filter (one FilterBox): "/mobi", enter, "p" in one burst filters, keeps
    the filter and presents the first poll it left, instead of typing "p" into the filter."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        for key, char in (("slash", "/"), *((c, c) for c in "mobi"), ("enter", "\r"), ("p", "p")):
            app.post_message(events.Key(key, char))  # every key queued before the first is handled
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen))
        shown = app.screen_stack[-2]
        assert isinstance(shown, OverviewScreen) and shown.query_one("#overview-filter", Input).value == "mobi"
        assert {row.ref.content for row in shown._rows} == {"MOBI-1207", "MOBI-1213", "MOBI-1230"}
        assert app.screen.poll.id == shown._rows[0].poll.id


async def test_sort_and_filter_stay_as_left_when_g_comes_back_from_a_poll(store):  # noqa: F811
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        await pilot.press("s", "s")  # votes
        await pilot.press("slash", *"plat", "enter")
        await settle(pilot)
        left = rows(app)
        assert {row[0] for row in left} == {"PLAT-254604", "PLAT-254611", "PLAT-254630"}
        await pilot.press("enter")  # the highlighted poll on the main screen
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await polls_shown(pilot)
        await open_overview(pilot)
        assert rows(app) == left
        shown = screen_text(app)
        assert "filter “plat”" in shown and "votes (most first)" in shown
        assert app.screen.query_one("#overview-filter", Input).value == "plat"
        await pilot.press("escape")  # the filter is cleared as before
        await settle(pilot)
        assert len(rows(app)) > len(left)


async def test_enter_opens_the_item_on_the_main_screen_with_the_poll_highlighted(store):  # noqa: F811
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        firsts = {key: store.list_polls("jira", key.split("-")[0], key, "")[0]["id"] for key in ("PLAT-254604", "PLAT-254611")}
        # a poll that is not its item's first (the main screen would highlight that one anyway)
        target = next(i for i, row in enumerate(overview(app)._rows) if row.ref.content in firsts
                      and row.poll.id != firsts[row.ref.content])  # fmt: skip
        poll_id, overview_ref = overview(app)._rows[target].poll.id, overview(app)._rows[target].ref
        # The footer says so (DataTable's own enter, which the footer does not show, used to hide it).
        assert screen_text(app).splitlines()[-1].startswith(" enter Open ")
        for key, char in [*[("down", None)] * target, ("enter", "\r")]:
            app.post_message(events.Key(key, char))  # at once: enter opens the row the downs left
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await polls_shown(pilot, overview_ref)
        table = app.screen.query_one(PollTable)
        assert table.current_item.id == poll_id


async def test_p_presents_the_poll_and_escape_comes_back_e_edits(store):  # noqa: F811
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        poll_id = overview(app)._rows[1].poll.id
        overview(app).table.move_cursor(row=1)
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen))
        assert app.screen.poll.id == poll_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))


async def test_the_add_dialog_pins_several_items_at_once(store):  # noqa: F811
    app, _ = make_app(store, pinned=[])
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"PLAT-1 MOBI-2,")
        # a list pasted one per line (a plain Input would keep its first line only)
        app.screen.query_one("#add-value").post_message(events.Paste("OPS-3\nOPS-4\r\nplat-1\n"))
        await settle(pilot)
        await pilot.press("enter")
        await polls_shown(pilot, jira("PLAT-1"))
        pinned = ProfileStore().load().get("work").pinned
        assert [r.content for r in pinned] == ["PLAT-1", "MOBI-2", "OPS-3", "OPS-4"]
        sidebar = app.screen.query_one(Sidebar)
        assert [r.content for r in sidebar.refs][:4] == ["PLAT-1", "MOBI-2", "OPS-3", "OPS-4"]
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and not overview(app).pending)
        assert overview(app).refs == pinned


async def test_w_reads_every_item_again_on_its_own(store, monkeypatch):  # noqa: F811
    from pollstui.tui.screens import overview as screen_module

    # The pace keeps a 50-item overview within a tenth of Forge's ~1,200 requests per user a minute.
    assert 50 * 60 / screen_module.AUTO_REFRESH_INTERVAL <= 1200 / 10
    monkeypatch.setattr(screen_module, "AUTO_REFRESH_INTERVAL", 0.3)
    app, transport = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_overview(pilot)
        before = transport.sent.count("GET")
        await pilot.press("w")
        await wait_for(pilot, lambda: transport.sent.count("GET") >= before + 2 * len(ITEMS))
        assert "auto" in screen_text(app)
        await pilot.press("w")
        await settle(pilot, 0.5)
        stopped = transport.sent.count("GET")
        await settle(pilot, 0.7)
        assert transport.sent.count("GET") == stopped  # off: no more reads


async def test_x_on_a_pinned_item_unpins_it(store):  # noqa: F811
    app, _ = make_app(store, pinned=ITEMS[1:3])
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        sidebar.move_cursor(sidebar._items[jira(ITEMS[2]).key])
        await pilot.press("x")
        await settle(pilot)
        assert [r.content for r in ProfileStore().load().get("work").pinned] == [ITEMS[1]]


async def test_without_pinned_items_all_items_says_how_to_pin_some(store):  # noqa: F811
    app, transport = make_app(store, pinned=[])
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        sent = len(transport.sent)
        await pilot.press("g")
        await settle(pilot)
        assert "No pinned items yet" in screen_text(app) and "press a to pin" in screen_text(app)
        assert len(transport.sent) == sent


async def test_help_lists_the_overview_keys_and_e_in_read_only_mode_says_why(store):  # noqa: F811
    from pollstui.tui.screens.help import HelpScreen

    app, _ = make_app(store, read_only=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_overview(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen) and "Read-only" in toast_text(app)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "open the poll's item on the main screen" in text and "cancel the requests in flight" in text


async def test_an_end_reads_the_same_on_the_main_screen_and_in_all_items(store):  # noqa: F811
    """One formatter of ends: a poll ending in 3 hours reads "in 3 h", a closed one "closed", in
    the main list and in the overview alike."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    soon = (now + timedelta(hours=3, minutes=5)).isoformat(timespec="seconds")
    past = (now - timedelta(hours=1)).isoformat(timespec="seconds")
    for title, ends in (("Ends soon", soon), ("Ended", past)):
        body = {"title": title, "options": [{"id": "1", "title": "Yes", "order": 0}],
                "settings": {**STARS_POLL["settings"], "endDate": ends, "closePollOnEndDate": True}}
        store.create_poll("jira", "PLAT", ITEMS[0], "", body)
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        table = app.screen.query_one(PollTable)
        column = 1 + [key for key, _, _ in table._fixed].index("ends")
        main = {getattr(table.polls[i], "title", None): table.row_cells(i)[column].plain for i in range(table.row_count)}
        assert main["Ends soon"] == "in 3 h" and main["Ended"] == "closed"
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and not overview(app).pending)
        await settle(pilot)
        said = {row[1]: row[4] for row in rows(app)}
        assert said["Ends soon"] == "in 3 h" and said["Ended"] == "closed"


async def test_all_items_at_80_columns_keeps_quit_and_help_in_the_footer(store):  # noqa: F811
    """At 80x24 the overview's footer fits its keys as the main screen's does (Textual's own
    footer cut `q Quit` and `? Help` off the right edge), and follows a resize."""
    app, _ = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "q Quit" in footer and "? Help" in footer and "enter Open" in footer
        assert "^p" not in footer  # (no room for it: ctrl+p is in the help)
        await pilot.resize_terminal(120, 30)
        await wait_for(pilot, lambda: "^p palette" in screen_text(app).splitlines()[-1])


async def test_all_items_shown_again_fits_a_terminal_resized_while_it_was_away(store):  # noqa: F811
    """The kept screen follows a resize that happened on the main screen: its title column and
    footer fit the new width when g shows it again."""
    app, _ = make_app(store)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_overview(pilot)
        wide = overview(app).table.columns["title"].width
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await open_overview(pilot)
        assert overview(app).table.columns["title"].width == wide - 40
        lines = screen_text(app).splitlines()
        assert "q Quit" in lines[-1] and "? Help" in lines[-1]
        assert max(len(line.rstrip()) for line in lines) <= 80



async def test_all_items_says_closed_within_a_second_of_an_end_without_a_reload(store):  # noqa: F811
    """All items draws again when the first shown end's words change, not only when answers come."""
    import asyncio
    from datetime import datetime, timedelta, timezone

    end = (datetime.now(timezone.utc) + timedelta(seconds=3)).replace(microsecond=0)  # 2–3 s away
    body = {"title": "Ends now", "options": [{"id": "1", "title": "Yes", "order": 0}],
            "settings": {**STARS_POLL["settings"], "endDate": end.isoformat(timespec="seconds"), "closePollOnEndDate": True}}
    store.create_poll("jira", "PLAT", ITEMS[0], "", body)
    app, _ = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await polls_shown(pilot)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and not overview(app).pending)
        await settle(pilot)
        assert {row[1]: row[4] for row in rows(app)}["Ends now"] == "in <1 min"
        await asyncio.sleep((end - datetime.now(timezone.utc)).total_seconds() + 0.5)
        await settle(pilot)
        assert {row[1]: row[4] for row in rows(app)}["Ends now"] == "closed"
