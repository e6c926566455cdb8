"""One fault-injecting httpx transport for the session and TUI tests (tests/faults.py keeps the
loopback :class:`~tests.faults.FaultProxy` for what needs a real socket: subprocesses, the CLI).

:class:`FaultTransport` passes every request to the real reference server — over ASGI
(``inner=httpx.ASGITransport(app=...)``, fast) or, by default, real HTTP on loopback — and
injects only the faults a test names, per method (``"*"`` for every method)::

    transport.fail["PUT"] = 500          # every PUT answered 500 (a JSON error body quoting the token)
    transport.fail["*"] = "refused"      # every request: connection refused (switch off: del/clear)
    transport.fail["PLAT-7"] = 424       # every request for that content item
    transport.fail["POST"] = "lost"      # the server acts on it, then the answer is lost (read timeout)
    transport.fail["POST"] = "dropped"   # times out after sending (after its gate, if any); the server never sees it
    transport.fail["PUT"] = "acted-424"  # the server acts on it, then 424 (Forge's 55 s cap); "acted-500" too
    transport.fail["DELETE"] = "acted-text"  # the server acts on it, then 200 "OK" as plain text
    transport.reshape["GET"] = fn        # the server's JSON answers to GETs pass through fn (a server's own ways)
    transport.once["GET"] = 429          # only the next GET (429s carry ``Retry-After: retry_after``)
    transport.gates["PLAT-254604"] = asyncio.Event()  # requests for that content item wait for it
    transport.delays["PLAT-254604"] = 0.25  # requests for that content item answer that much later
    transport.delays["*"] = 0.25            # every request does

It counts the requests in flight (``in_flight`` now, ``max_in_flight`` ever) and stamps each
request's start (``started``: content item and ``time.monotonic()``).

A fault may name what the answer is after the server acted (``acted-…``): a real server's
function can finish after its platform gave up on it. It remembers every method sent (``sent``) and those that got a fault (``failed``).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

#: A status code, or "refused", "lost", "dropped", "acted-424", "acted-500", "acted-text".
Fault = int | str


class FaultTransport(httpx.AsyncBaseTransport):
    """The reference server's own answers, with the faults and gates a test sets."""

    def __init__(self, inner: httpx.AsyncBaseTransport | None = None, *, retry_after: str = "2") -> None:
        self.inner = inner if inner is not None else httpx.AsyncHTTPTransport()
        self.fail: dict[str, Fault] = {}
        self.once: dict[str, Fault] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.reshape: dict[str, Callable[[Any], Any]] = {}
        self.retry_after = retry_after
        self.sent: list[str] = []
        self.failed: list[str] = []
        self.delays: dict[str, float] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.started: list[tuple[str, float]] = []

    def _fault(self, method: str, content: str = "") -> Fault | None:
        for key in (method, "*"):
            if key in self.once:
                return self.once.pop(key)
        if content and content in self.fail:
            return self.fail[content]
        return self.fail.get(method, self.fail.get("*"))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._handle(request)
        finally:
            self.in_flight -= 1

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.method)
        content = request.url.params.get("content", "")
        self.started.append((content, time.monotonic()))
        delay = self.delays.get(content, self.delays.get("*"))
        if delay:
            await asyncio.sleep(delay)
        gate = self.gates.get(request.url.params.get("content", ""))
        if gate is not None:
            await gate.wait()
        fault = self._fault(request.method, content)
        if fault is None:
            response = await self.inner.handle_async_request(request)
            reshape = self.reshape.get(request.method)
            if reshape is None:
                return response
            await response.aread()
            return httpx.Response(response.status_code, json=reshape(json.loads(response.content)))
        self.failed.append(request.method)
        if fault == "refused":
            raise httpx.ConnectError("Connection refused", request=request)
        if fault == "dropped":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "lost" or (isinstance(fault, str) and fault.startswith("acted-")):
            response = await self.inner.handle_async_request(request)
            await response.aread()
            if fault == "acted-text":
                return httpx.Response(200, text="OK")
            if fault.startswith("acted-"):
                return httpx.Response(int(fault.removeprefix("acted-")), json={"message": "The function did not answer in time."})
            raise httpx.ReadTimeout("timed out", request=request)
        if isinstance(fault, int):
            headers = {"Retry-After": self.retry_after} if fault == 429 else {}
            # Echoes the request line, token included, as real proxies' error pages do: pollstui must redact it.
            message = f"Injected failure while serving {request.method} {request.url}."
            return httpx.Response(fault, headers=headers, json={"error": "injected", "message": message})
        raise ValueError(f"unknown fault {fault!r}")

    async def aclose(self) -> None:
        await self.inner.aclose()
