"""The app the snapshot tests photograph: the seeded reference server in-process, fixed data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.server import PollStore, create_app, seed_demo_data
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp

#: Shown in the screenshots (the endpoint in the header), so the same in every snapshot file.
TOKEN = "snapshot-token-0000-1111"
ENDPOINT = "https://polls.example.test/x1/jira"


def seeded_app(
    tmp_path: Path, ref: ContentRef, profile_name: str | None = None, **app_kwargs: Any
) -> tuple[PollsApp, PollStore]:
    """A PollsApp on ``ref``, talking over httpx.ASGITransport to a freshly seeded server; close the store after."""
    store = PollStore(tmp_path / "snap.sqlite3")
    seed_demo_data(store)
    server = create_app(store, TOKEN)
    connection = Connection(ENDPOINT, TOKEN, "jira", profile_name=profile_name, ref=ref)

    def factory(conn: Connection) -> PollsClient:
        return PollsClient(conn.endpoint, conn.token, transport=httpx.ASGITransport(app=server))

    return PollsApp(connection, client_factory=factory, **app_kwargs), store
