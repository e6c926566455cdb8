"""Sorting the poll table (``s``): title, votes, end date, server order; shown in the header,
remembered per profile."""

from __future__ import annotations

from pollstui.api.address import ContentRef
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from pollstui.tui.widgets.poll_table import PollTable
from tests.example import STARS_POLL
from tests.tui.helpers import screen_text, settle

SORTED = ContentRef.create("jira", "SORT", "SORT-1")

#: (title, votes, end date) in the server's order: every order differs from it and from the others.
POLLS = (
    ("banana bread", 2, "2031-09-01"),
    ("Apple pie", 0, ""),
    ("cherry tart", 5, "2031-07-15"),
    ("Damson jam", 1, "2031-08-01"),
)


def _seed(store) -> None:  # noqa: ANN001
    for title, votes, end in POLLS:
        settings = {**STARS_POLL["settings"], "endDate": end}
        poll = store.create_poll("jira", "SORT", "SORT-1", "", {
            "title": title, "options": [{"id": "1", "title": "Yes", "order": 0}], "settings": settings,
        })
        for voter in range(votes):
            store.add_vote(poll["id"], ["1"], f"voter-{voter}")


def _app(ref_server) -> PollsApp:  # noqa: ANN001
    profiles = ProfileStore()
    profiles.load()
    if "work" not in profiles.profiles:
        profiles.add(Profile("work", ref_server.jira_endpoint, ref_server.token, "jira", recents=[SORTED]))
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", profile_name="work", ref=SORTED)
    return PollsApp(connection, profile_store=profiles)


def _titles(app: PollsApp) -> list[str]:
    return [p.title for p in app.screen.query_one(PollTable).polls]


def _header(app: PollsApp) -> str:
    """The poll table's header line (without the sidebar's part of that screen line)."""
    line = next(line for line in screen_text(app).splitlines() if "Title" in line and "Votes" in line)
    return line[line.index("Title") - 1 :]


async def test_s_cycles_the_orders_shows_them_and_keeps_the_highlight(ref_server):
    _seed(ref_server.store)
    app = _app(ref_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _titles(app) == ["banana bread", "Apple pie", "cherry tart", "Damson jam"]
        assert "▲" not in _header(app) and "▼" not in _header(app)
        await pilot.press("down", "down")  # cherry tart
        await pilot.press("s")
        assert _titles(app) == ["Apple pie", "banana bread", "cherry tart", "Damson jam"]
        assert "Title ▲" in _header(app)
        await pilot.press("s")
        assert _titles(app) == ["cherry tart", "banana bread", "Damson jam", "Apple pie"]
        assert "▼Votes" in _header(app)
        assert app.screen.query_one(PollTable).current_poll.title == "cherry tart", "the highlight follows the poll"
        await pilot.press("s")
        assert _titles(app) == ["cherry tart", "Damson jam", "banana bread", "Apple pie"], "no end date: last"
        assert "Ends ▲" in _header(app)
        await pilot.press("s")
        assert _titles(app) == ["banana bread", "Apple pie", "cherry tart", "Damson jam"]
        await pilot.press("s", "s")  # votes
        await pilot.press("r")
        await settle(pilot)
        assert _titles(app)[0] == "cherry tart", "a refresh keeps the order"
        await pilot.press("slash")
        await pilot.press("r")  # banana bread and cherry tart
        await pilot.pause()
        assert _titles(app) == ["cherry tart", "banana bread"], "filtered and sorted"


async def test_the_order_is_remembered_per_profile(ref_server):
    _seed(ref_server.store)
    app = _app(ref_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s", "s")
        await settle(pilot)
    assert ProfileStore().load().get("work").sort == "votes"

    again = _app(ref_server)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _titles(again)[0] == "cherry tart"
        assert "▼Votes" in _header(again)


def test_end_dates_sort_by_the_moment_they_end_whatever_their_zone_or_form():
    from types import SimpleNamespace

    from pollstui.tui.poll_order import sort_polls

    def poll(title: str, end: str) -> SimpleNamespace:
        return SimpleNamespace(title=title, settings=SimpleNamespace(end_date=end))

    polls = [poll("none", ""), poll("later", "2031-01-01T01:00Z"), poll("earlier", "2030-12-31T23:00-05:00"),
             poll("odd", "31/12/2030"), poll("first", "2030-06-01")]  # fmt: skip
    # 23:00 at -05:00 is 04:00Z on 1 January: after 01:00Z, though its text sorts first.
    assert [p.title for p in sort_polls(polls, "ends")] == ["first", "later", "earlier", "odd", "none"]


async def _click_header(pilot, app: PollsApp, label: str) -> None:  # noqa: ANN001
    """Click the header cell that reads ``label`` (where a user would: on its word)."""
    lines = screen_text(app).splitlines()
    row = next(i for i, line in enumerate(lines) if "Title" in line and "Votes" in line)
    assert await pilot.click(offset=(lines[row].index(label) + 1, row))
    await pilot.pause()


async def test_a_click_on_a_header_sorts_by_it_and_a_second_reverses_it_remembered(ref_server):
    _seed(ref_server.store)
    app = _app(ref_server)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await _click_header(pilot, app, "Votes")
        assert _titles(app) == ["cherry tart", "banana bread", "Damson jam", "Apple pie"]
        assert "▼Votes" in _header(app)
        await _click_header(pilot, app, "Votes")
        assert _titles(app) == ["Apple pie", "Damson jam", "banana bread", "cherry tart"]
        assert "▲Votes" in _header(app) and "fewest first" in screen_text(app)
        await _click_header(pilot, app, "Title")
        assert _titles(app) == ["Apple pie", "banana bread", "cherry tart", "Damson jam"]
        assert "Title ▲" in _header(app)
        await _click_header(pilot, app, "Title")
        assert _titles(app) == ["Damson jam", "cherry tart", "banana bread", "Apple pie"]
        assert "Title ▼" in _header(app)
        await _click_header(pilot, app, "Ends")
        assert "Ends ▲" in _header(app)
        await _click_header(pilot, app, "Ends")
        assert _titles(app) == ["banana bread", "Damson jam", "cherry tart", "Apple pie"], "latest first; none last"
        assert "Ends ▼" in _header(app)
        await settle(pilot)
    assert ProfileStore().load().get("work").sort == "ends reversed"

    again = _app(ref_server)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert _titles(again) == ["banana bread", "Damson jam", "cherry tart", "Apple pie"]
        assert "Ends ▼" in _header(again)
        await pilot.press("s")  # s goes on cycling from the column: after end date, the server's order
        assert _titles(again) == ["banana bread", "Apple pie", "cherry tart", "Damson jam"]
        assert "▲" not in _header(again) and "▼" not in _header(again)
        await pilot.press("s")
        assert "Title ▲" in _header(again)


def test_reversed_orders_keep_polls_without_a_value_last_and_ties_in_the_servers_order():
    from types import SimpleNamespace

    from pollstui.tui.poll_order import next_sort, sort_polls

    def poll(title: str, votes: int | None, end: str = "") -> SimpleNamespace:
        return SimpleNamespace(title=title, total_votes=votes, settings=SimpleNamespace(end_date=end))

    polls = [poll("b", 1), poll("", None), poll("a", 1), poll("c", 3, "2030-01-01"), poll("d", 0, "bad")]
    assert [p.title for p in sort_polls(polls, "votes reversed")] == ["d", "b", "a", "c", ""]
    assert [p.title for p in sort_polls(polls, "title reversed")] == ["d", "c", "b", "a", ""]
    assert [p.title for p in sort_polls(polls, "ends reversed")][:2] == ["c", "d"]  # dates, then unreadable, then none
    assert [p.title for p in sort_polls(polls, "nonsense reversed")] == ["b", "", "a", "c", "d"]
    assert next_sort("votes reversed") == "ends" and next_sort("nonsense") == "title"
