"""Blocking calls that never hold the process's exit: each runs in a daemon thread of its own.

A name lookup (:func:`socket.getaddrinfo`) has no time limit of its own. asyncio runs it in its
default executor, whose threads the interpreter joins at exit, so a lookup that outlives the
call's deadline would hold the exit until DNS answers. :class:`DaemonThreads` is an executor
that does not wait for them: the deadline is the end of the call, and of the process.

No Textual here.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class DaemonThreads(concurrent.futures.ThreadPoolExecutor):
    """Runs each call in a new daemon thread; shutting down waits for none of them. (A
    ThreadPoolExecutor by type only: asyncio takes no other kind as a loop's default executor.)"""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def call() -> None:
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(*args, **kwargs))
                except BaseException as exc:  # the caller's to see, as from any executor
                    future.set_exception(exc)

        threading.Thread(target=call, name="pollstui-blocking", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: its threads are daemons."""


def run(work: Coroutine[Any, Any, T]) -> T:
    """:func:`asyncio.run` with :class:`DaemonThreads` as the loop's executor: a lookup still
    under way when ``work`` ends does not hold the exit."""
    with asyncio.Runner() as runner:
        runner.get_loop().set_default_executor(DaemonThreads())
        return runner.run(work)
