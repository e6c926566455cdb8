"""Write SVG screenshots of the main screen, the help screen, All items, present mode and the editor into a directory.

    python -m pollstui.tui.screenshots DIR

Runs a seeded reference server in a temporary directory (with its own user directories, so
nothing of the user's is read or written) in-process behind an ASGI transport, addressed as
``pollstui serve`` would print it (127.0.0.1:8765) so the pictures never change with a random
port; runs the app headless at 120×40 and
saves main.svg, help.svg, overview.svg, present.svg, present-qr.svg and editor.svg. The token is fixed and never shown; present
mode's clocks are frozen (PRESENT_NOW), so its "updated" and "time left" texts never change.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

TOKEN = "screenshot-token-0a1b2c3d"
SIZE = (120, 40)

#: The moment present.svg pretends it is: a few hours before the release-train poll closes.
PRESENT_NOW = "2031-06-30T14:12:00+00:00"
#: The poll present.svg shows (seeded on PLAT-254604, with an end date).
PRESENT_TITLE = "Which release train should 4.2 ship on?"


#: The site present-qr.svg's code links to (a made-up Jira site; the demo server has none).
SITE = "https://acme.atlassian.net"

#: What the header shows: the address `pollstui serve` uses by default.
BASE_URL = "http://127.0.0.1:8765"


async def _shoot(directory: Path, server_app) -> list[str]:  # noqa: ANN001
    from pollstui.api.address import ContentRef
    from pollstui.profiles import Profile, ProfileStore
    from pollstui.settings import Connection
    from pollstui.tui.app import PollsApp

    recents = [
        ContentRef.create("jira", "PLAT", "PLAT-254604"),
        ContentRef.create("jira", "PLAT", "PLAT-254611"),
        ContentRef.create("jira", "PLAT", "PLAT-254630"),
        ContentRef.create("jira", "MOBI", "MOBI-1207"),
        ContentRef.create("jira", "MOBI", "MOBI-1213"),
        ContentRef.create("jira", "MOBI", "MOBI-1230"),
    ]
    endpoint = f"{BASE_URL}/x1/jira"
    store = ProfileStore()
    store.load()
    store.add(Profile("demo", endpoint, TOKEN, "jira", recents=recents[:1], pinned=recents), keyring=False)
    connection = Connection(endpoint, TOKEN, "jira", profile_name="demo", ref=recents[0])
    def client_factory(conn: Connection):  # noqa: ANN202
        import httpx

        from pollstui.api.client import PollsClient

        return PollsClient(conn.endpoint, conn.token, transport=httpx.ASGITransport(app=server_app))

    app = PollsApp(connection, profile_store=store, client_factory=client_factory)
    written: list[str] = []

    async def settle(pilot) -> None:  # noqa: ANN001
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)

    def save(name: str) -> None:
        app.save_screenshot(filename=name, path=str(directory))
        written.append(name)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        save("main.svg")
        await pilot.press("question_mark")
        await settle(pilot)
        save("help.svg")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        save("overview.svg")
        await pilot.press("escape")
        await settle(pilot)
        await _present(app, pilot, settle)
        save("present.svg")
        app.site_url = SITE
        await pilot.press("v")
        await settle(pilot)
        save("present-qr.svg")
        await pilot.press("v")
        app.pop_screen()  # not dismissed: the main screen keeps its highlighted poll for the editor
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        save("editor.svg")
    return written


async def _present(app, pilot, settle) -> None:  # noqa: ANN001
    """Open present mode on :data:`PRESENT_TITLE` with frozen clocks and let the bars settle."""
    from datetime import datetime

    from pollstui.tui.screens.present import PresentScreen

    main = app.screen
    poll = next(p for p in main.polls if p.title.startswith(PRESENT_TITLE))
    now = datetime.fromisoformat(PRESENT_NOW)
    await app.push_screen(PresentScreen(main.ref, main.listing.polls, poll.id, clock=lambda: 0.0, now=lambda: now))
    await settle(pilot)
    await pilot.wait_for_animation()
    await pilot.pause(0.1)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    directory = Path(args[0]).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pollstui-shots-") as tmp:
        for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                         ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
            os.environ[var] = str(Path(tmp) / sub)
        os.environ.pop("NO_COLOR", None)
        from pollstui.server import PollStore, create_app, seed_demo_data

        store = PollStore(Path(tmp) / "server.sqlite3")
        seed_demo_data(store)
        try:
            written = asyncio.run(_shoot(directory, create_app(store, TOKEN)))
        finally:
            close = getattr(store, "close", None)
            if close:
                close()
    for name in written:
        print(directory / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
