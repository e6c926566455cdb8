"""Opening the poll editor on a poll with N options, in-process with Textual's Pilot (100×30).

pollstui's app on the seeded content item (its session: drafts, the journal), once its list is on
screen; then the editor is pushed on a poll with N options (each with votes) and timed from the
push to the end of its first paint (nothing left in any queue, nothing left to lay out or paint:
moves.py's ``settle``). Prints JSON: {"open_ms": number}.
Usage: open_editor.py N ENDPOINT TOKEN CONTENT
"""

import asyncio
import json
import sys
import time

from moves import settle


def poll_with(n: int):
    from pollstui.api.models import DEFAULT_SETTINGS, Poll

    options = [{"id": str(i + 1), "title": f"Option {i + 1}", "order": i} for i in range(n)]
    results = {"options": [{"optionId": str(i + 1), "votes": i % 7} for i in range(n)]}
    return Poll.from_api({"id": f"bench-{n}", "title": f"{n} options", "description": "", "options": options,
                          "settings": DEFAULT_SETTINGS, "results": results})  # fmt: skip


async def measure(n: int, endpoint: str, token: str, content: str) -> dict[str, float]:
    from pollstui.session.listing import Source
    from pollstui.settings import resolve_connection
    from pollstui.tui.app import PollsApp
    from pollstui.tui.screens.editor import EditorScreen
    from pollstui.tui.screens.main import MainScreen
    from pollstui.tui.widgets.options_editor import OptionRow, OptionsEditor

    app = PollsApp(resolve_connection(endpoint=endpoint, token=token, content=content, env={}))
    poll = poll_with(n)
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 60
        while not (isinstance(app.screen, MainScreen) and app.screen.listing.source is Source.FRESH):
            if time.monotonic() > deadline:
                raise SystemExit("the list never appeared")
            await pilot.pause(0.02)
        await pilot.pause()
        rows = min(n, OptionsEditor.WINDOW)
        start = time.perf_counter()
        app.push_screen(EditorScreen(app.screen.ref, poll))
        await settle(pilot, lambda: isinstance(app.screen, EditorScreen) and len(app.screen.query(OptionRow)) == rows)
        return {"open_ms": (time.perf_counter() - start) * 1000}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure(int(sys.argv[1]), *sys.argv[2:5]))))
