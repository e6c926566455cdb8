"""From a key press to the first row, in one app: ``g`` (All items) vs ``enter`` on a sidebar item.

Usage: overview_keys.py ENDPOINT TOKEN ITEMS RUNS
The app runs headless (``run_test``) on a profile whose ITEMS issues OPS-1 … OPS-ITEMS are
pinned. Each run, alternating: ``enter`` on another sidebar item, timed until the main screen
draws that item's list from the server (FRESH, not the cache); then ``g``, timed until the
overview's table has drawn its first row from the server (the first g builds the screen; later
ones show it again, as the app keeps it for the session: the last visit's rows marked cached do
not count). The moments are stamped inside the app, where the rows are drawn (the pilot's
pauses wait for the app to be idle, which an overview with 39 more answers coming is not).
Prints {"enter": [s…], "g": [s…]}.
"""

import asyncio
import json
import sys
import time


async def main(endpoint: str, token: str, items: int, runs: int) -> None:
    from pollstui.api.address import ContentRef
    from pollstui.profiles import Profile, ProfileStore
    from pollstui.session.listing import Source
    from pollstui.settings import Connection
    from pollstui.tui.app import PollsApp
    from pollstui.tui.screens.main import MainScreen
    from pollstui.tui.screens.overview import OverviewScreen
    from pollstui.tui.widgets.sidebar import Sidebar

    drawn: dict[str, float] = {}
    watch_listing, show = MainScreen.watch_listing, OverviewScreen._show

    def stamped_watch_listing(self, listing) -> None:  # noqa: ANN001
        watch_listing(self, listing)
        if listing.source is Source.FRESH:
            drawn.setdefault(f"main {listing.ref.key}", time.perf_counter())

    def stamped_show(self) -> None:  # noqa: ANN001
        show(self)
        if any(row.source is Source.FRESH and row.poll is not None for row in self._rows):
            drawn.setdefault("overview", time.perf_counter())

    MainScreen.watch_listing, OverviewScreen._show = stamped_watch_listing, stamped_show

    refs = [ContentRef.create("jira", "", f"OPS-{n}") for n in range(1, items + 1)]
    store = ProfileStore().load()
    store.add(Profile("bench", endpoint, token, "jira", pinned=refs))
    app = PollsApp(Connection(endpoint, token, "jira", profile_name="bench", ref=refs[0]), profile_store=store)
    timings: dict[str, list[float]] = {"enter": [], "g": []}

    async with app.run_test(size=(100, 30)) as pilot:

        async def stamp(key: str) -> float:
            while key not in drawn:
                await asyncio.sleep(0.002)
            return drawn.pop(key)

        await stamp(f"main {refs[0].key}")
        await pilot.pause()
        for run in range(runs):
            target = refs[1 + run % (items - 1)]
            sidebar = app.screen.query_one(Sidebar)
            sidebar.focus()
            sidebar.move_cursor(sidebar._items[target.key])
            await pilot.pause()
            drawn.clear()
            started = time.perf_counter()
            await pilot.press("enter")
            timings["enter"].append(await stamp(f"main {target.key}") - started)
            await pilot.pause()
            drawn.clear()
            started = time.perf_counter()
            await pilot.press("g")
            timings["g"].append(await stamp("overview") - started)
            while app.screen.pending:  # the rest of the items, as a user would let them come
                await asyncio.sleep(0.01)  # (their connections stay in the pool, as enter's does)
            app.screen.dismiss(None)
            while not isinstance(app.screen, MainScreen):
                await asyncio.sleep(0.002)
            await pilot.pause(0.05)
    sys.stdout.write(json.dumps(timings))


if __name__ == "__main__":
    endpoint, token, items, runs = sys.argv[1:]
    asyncio.run(main(endpoint, token, int(items), int(runs)))
