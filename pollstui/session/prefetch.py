"""The first request, sent at process start while the app is still starting.

``pollstui`` knows which content item it will open before it imports Textual (the flags, the
environment or the profile say), so :func:`start` sends that GET from a thread right away; the
main screen's first :meth:`Session.load <pollstui.session.session.Session.load>` of that item
then takes the answer (:meth:`Prefetch.claim`) instead of asking again. With a server far away
the wait for the network overlaps Textual's import and the screen's composition.

The answer is the same call the session makes (``list_polls_raw(ref, results=True)``): its bytes,
or the :class:`~pollstui.api.errors.PollsError` it raised, which the load treats as its own.
Quitting before it arrives cancels the request (:meth:`Prefetch.cancel`).

Standard library only at import time: httpx loads in the thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.profiles import Profile
    from pollstui.settings import Connection

log = logging.getLogger("pollstui.session")


def start_ref(connection: Connection | None, profile: Profile | None) -> ContentRef | None:
    """The content item the app opens first: the connection's own, else the profile's most recent
    one of the same product (what :meth:`Session.start_refs` opens)."""
    if connection is None:
        return None
    if connection.ref is not None:
        return connection.ref
    if profile is not None:
        for ref in profile.recents:
            if ref.product == connection.product:
                return ref
    return None


class Prefetch:
    """One GET of ``ref``'s polls (with results), running in its own thread and event loop."""

    def __init__(self, connection: Connection, ref: ContentRef) -> None:
        self.ref = ref
        self._connection = connection
        self._future: concurrent.futures.Future[bytes] = concurrent.futures.Future()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[bytes] | None = None
        self._claimed = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pollstui-prefetch", daemon=True)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            self._loop = loop
            self._task = loop.create_task(self._fetch())
            self._ready.set()
            self._future.set_result(loop.run_until_complete(self._task))
        except asyncio.CancelledError:
            self._future.cancel()
        except BaseException as exc:  # the load that claims it raises it, as if it had asked itself
            self._future.set_exception(exc)
        finally:
            self._ready.set()
            loop.close()

    async def _fetch(self) -> bytes:
        async with self._connection.make_client() as client:
            return await client.list_polls_raw(self.ref, results=True)

    def claim(self, ref: ContentRef) -> concurrent.futures.Future[bytes] | None:
        """The answer for ``ref``, once (a second load asks the server again), or None."""
        if self._claimed or ref != self.ref or self._future.cancelled():
            return None
        self._claimed = True
        return self._future

    def cancel(self) -> None:
        """Stop a request still in flight (the user quit before it was needed); idempotent."""
        self._claimed = True
        if self._future.done():
            return
        self._ready.wait(5)
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:  # the loop has just finished
                pass
        self._thread.join(2)


def start(connection: Connection | None, profile: Profile | None = None) -> Prefetch | None:
    """Send the first request now (None when there is nothing to open yet, e.g. the setup)."""
    ref = start_ref(connection, profile)
    if connection is None or ref is None:
        return None
    prefetch = Prefetch(connection, ref)
    prefetch._thread.start()
    return prefetch

