"""The overview engine: the polls of many items through one session, on the reference server (ASGI)
with the faults of tests/transports.py: the in-flight bound, failures per item, the shared slow-down
after a 429, the overall deadline and cancellation."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest

from pollstui.api.address import ContentRef
from pollstui.api.errors import NotPermittedError, RateLimitedError, ServerError
from pollstui.api.poll_view import PollView
from pollstui.session.listing import Source
from pollstui.session.overview import Overview, OverviewDeadlineError, closing_first_key, has_ended
from tests.session.conftest import AUDIT, OTHER, STARS

EMPTY = [ContentRef.create("jira", "", f"PLAT-{n}") for n in range(1, 13)]


def real_sleep_session(make_session, faults):
    """A session whose client really sleeps between retries (the timing tests need it)."""
    return make_session(client_factory=lambda c: c.make_client(transport=faults, sleep=asyncio.sleep))


async def test_results_stream_per_item_and_the_server_json_is_kept(make_session, faults):
    session = make_session()
    seen = []
    results = await Overview(session, [STARS, AUDIT, OTHER, EMPTY[0]]).run(seen.append)
    assert seen == results and {r.ref for r in results} == {STARS, AUDIT, OTHER, EMPTY[0]}
    assert all(r.ok and r.listing.source is Source.FRESH for r in results)
    by_ref = {r.ref: r for r in results}
    def raw(ref):
        return [row.raw for row in by_ref[ref].listing.rows()]  # every item exactly as decoded

    assert raw(EMPTY[0]) == []
    titles = [p["title"] for p in raw(STARS)]
    assert titles and all(isinstance(t, str) for t in titles)
    # unknown fields come through as sent
    assert any(set(p) - {"id", "title", "description", "options", "settings", "results"} for p in raw(AUDIT))


async def test_never_more_than_the_bound_in_flight(make_session, faults):
    faults.delays["*"] = 0.05
    results = await Overview(make_session(), EMPTY, concurrency=3).run()
    assert len(results) == len(EMPTY) and all(r.ok for r in results)
    assert faults.max_in_flight == 3


async def test_sent_says_when_the_first_requests_are_on_their_way(make_session, faults):
    """``sent`` is set once the first ``concurrency`` requests are with the transport, before any
    answer (a screen draws itself after that); with nothing to read, once run has ended."""
    faults.gates = {ref.content: asyncio.Event() for ref in EMPTY}
    overview = Overview(make_session(), EMPTY, concurrency=3)
    running = asyncio.ensure_future(overview.run())
    await asyncio.wait_for(overview.sent.wait(), 5)
    assert faults.in_flight == 3
    for gate in faults.gates.values():
        gate.set()
    assert len(await running) == len(EMPTY)
    nothing = Overview(make_session(), [])
    assert await nothing.run() == [] and nothing.sent.is_set()


async def test_a_failing_item_is_its_own_result_and_hides_nothing(make_session, faults):
    faults.fail["PLAT-2"] = 424
    faults.fail["PLAT-3"] = 403
    faults.fail["PLAT-4"] = 500
    results = await Overview(make_session(), EMPTY[:6]).run()
    errors = {r.ref.content: type(r.error) for r in results if not r.ok}
    assert errors == {"PLAT-2": ServerError, "PLAT-3": NotPermittedError, "PLAT-4": ServerError}
    assert [r.ref.content for r in results if r.ok] and len(results) == 6
    assert next(r for r in results if r.ref.content == "PLAT-2").error.status_code == 424


async def test_a_slow_item_does_not_hold_up_the_others(make_session, faults):
    faults.delays["PLAT-1"] = 0.5
    order = []
    await Overview(make_session(), EMPTY[:6], concurrency=2).run(lambda r: order.append(r.ref.content))
    assert order[-1] == "PLAT-1" and len(order) == 6


async def test_one_429_slows_every_request_of_the_overview(make_session, faults):
    faults.retry_after = "0.6"
    faults.delays["*"] = 0.1
    faults.once["GET"] = 429  # the first GET to arrive gets it
    session = real_sleep_session(make_session, faults)
    results = await Overview(session, EMPTY[:8], concurrency=4).run()
    assert all(r.ok for r in results)  # the 429 was waited out and retried
    first = min(t for _, t in faults.started)
    answered_429 = first + 0.1
    later = sorted(t for _, t in faults.started if t > answered_429)
    # After the 429, no request of any item went out before the wait it asked for had passed.
    assert later and later[0] >= answered_429 + 0.5, [round(t - first, 2) for _, t in faults.started]


async def test_a_429_asking_for_longer_than_a_request_may_take_fails_the_waiting_ones_at_once(make_session, faults):
    faults.retry_after = "3600"
    faults.delays["PLAT-2"] = 0.2  # starts with PLAT-1, asks after PLAT-1's 429 set the pause
    faults.once["GET"] = 429
    session = real_sleep_session(make_session, faults)
    started = time.monotonic()
    results = await Overview(session, EMPTY[:4], concurrency=1).run()
    assert time.monotonic() - started < 5
    assert [type(r.error) for r in results] == [RateLimitedError] * 4
    assert len(faults.started) == 1  # one request, the rest held back


async def test_the_deadline_names_the_items_not_finished(make_session, faults):
    faults.gates["PLAT-2"] = asyncio.Event()  # never answers
    results = await Overview(make_session(), EMPTY[:4], deadline=0.3).run()
    late = [r for r in results if isinstance(r.error, OverviewDeadlineError)]
    assert [r.ref.content for r in late] == ["PLAT-2"]
    assert "PLAT-2" in str(late[0].error) and "0.3 s deadline" in str(late[0].error)  # the CLI names --deadline
    assert [r.ok for r in results].count(True) == 3
    assert faults.in_flight == 0


async def test_cancelling_stops_every_request_in_flight_at_once(make_session, faults):
    for ref in EMPTY:
        faults.gates[ref.content] = asyncio.Event()
    task = asyncio.ensure_future(Overview(make_session(), EMPTY, concurrency=4).run())
    while faults.in_flight < 4:
        await asyncio.sleep(0.01)
    started = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - started < 0.5
    assert faults.in_flight == 0 and len(faults.started) == 4


async def test_cached_copies_come_first_marked_cached(make_session, faults):
    session = make_session()
    await Overview(session, [STARS]).run()
    await session._cache_settled()
    cached = []
    await Overview(make_session(), [STARS, EMPTY[5]]).cached(cached.append)
    assert [(r.ref, r.listing.source) for r in cached] == [(STARS, Source.CACHED)]


def view(title: str, end: str) -> PollView:
    return PollView({"id": title, "title": title, "options": [], "settings": {"endDate": end}})


def test_default_order_open_closing_soonest_then_no_end_then_closed():
    now = datetime(2030, 6, 1, 12, tzinfo=timezone.utc)
    soon, later = (now + timedelta(hours=3)).isoformat(), (now + timedelta(days=3)).isoformat()
    past, long_past = (now - timedelta(hours=1)).isoformat(), (now - timedelta(days=9)).isoformat()
    polls = [view("closed long ago", long_past), view("open", ""), view("later", later), view("odd", "next week"),
             view("just closed", past), view("soon", soon)]  # fmt: skip
    ordered = sorted(polls, key=lambda p: closing_first_key(p, now))
    assert [p.title for p in ordered] == ["soon", "later", "open", "just closed", "closed long ago", "odd"]
    assert [has_ended(p, now) for p in ordered] == [False, False, False, True, True, False]


async def test_each_request_keeps_the_clients_own_timeout(make_session, faults):
    faults.gates["PLAT-3"] = asyncio.Event()  # never answers
    session = make_session(client_factory=lambda c: c.make_client(transport=faults, sleep=asyncio.sleep, timeout=0.3))
    started = time.monotonic()
    results = await Overview(session, EMPTY[:4]).run()
    assert time.monotonic() - started < 5  # the request's deadline, not the overview's 2 minutes
    late = [r for r in results if not r.ok]
    assert [r.ref.content for r in late] == ["PLAT-3"]
    assert not isinstance(late[0].error, OverviewDeadlineError)  # the client's own timeout
