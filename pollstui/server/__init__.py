"""The reference server: the Polls REST API, implemented from the docs, on SQLite.

It is the embedded default for the demo and for every test, and an independent
reading of the Polls REST API docs — so it imports neither Textual nor
``pollstui.api`` (only the standard library, Starlette and uvicorn). Where the
docs leave things open (the ``results`` shape, error bodies, PUT of an unknown
id) the choices are written down in :mod:`pollstui.server.app`.

- :mod:`.store`   PollStore: polls and votes in SQLite (WAL), thread-safe.
- :mod:`.app`     create_app: the HTTP API as a Starlette app.
- :mod:`.seed`    seed_demo_data: a deterministic demo set with votes; seed_overview_items: polls on
                  many issues (OPS-1 … OPS-N), for an overview.
- :mod:`.runner`  ServerThread (background, free port) and serve_forever (``pollstui serve``).
"""

from pollstui.server.app import create_app
from pollstui.server.runner import ServerThread, content_urls, endpoint_urls, serve_forever
from pollstui.server.seed import seed_demo_data, seed_overview_items
from pollstui.server.store import PollStore

__all__ = [
    "PollStore",
    "ServerThread",
    "content_urls",
    "create_app",
    "endpoint_urls",
    "seed_demo_data",
    "seed_overview_items",
    "serve_forever",
]
