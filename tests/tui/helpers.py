"""Helpers for pilot tests."""

from __future__ import annotations

import asyncio

import httpx
from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    """Everything the active screen shows (toasts included), as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot: Pilot, delay: float = 0.1) -> None:
    """Let screens switch and every running worker finish."""
    await pilot.pause(delay)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(pilot: Pilot, predicate, timeout: float = 10.0) -> None:  # noqa: ANN001
    """Pause until ``predicate()`` is true (a clearer failure than a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


class GatedTransport(httpx.AsyncBaseTransport):
    """Real HTTP to the loopback server, but requests for some content items wait for a gate.

    Injects latency only: the answers are the reference server's own.
    """

    def __init__(self, gates: dict[str, asyncio.Event]) -> None:
        self.gates = gates
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        gate = self.gates.get(request.url.params.get("content", ""))
        if gate is not None:
            await gate.wait()
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def toast_text(app: App) -> str:
    """The text of every notification on screen (needs ``run_test(notifications=True)``)."""
    from textual.widgets._toast import Toast

    return "\n".join(" ".join(str(toast.render()).split()) for toast in app.screen.query(Toast))
