"""A total deadline per call, and waits that are reported (issue 8)."""

from __future__ import annotations

import time

import httpx
import pytest

from pollstui.api.client import DEFAULT_DEADLINE, PollsClient
from pollstui.api.errors import RateLimitedError, RequestTimeoutError
from pollstui.cli.errors import told
from tests.api.conftest import PLAT_254604, Recorder
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.faults import DRIP_SECONDS, FaultProxy, fault_proxy  # noqa: F401 (a fixture)


async def test_a_server_dripping_its_answer_is_stopped_by_the_deadline(fault_proxy: FaultProxy) -> None:
    """Each byte comes well within the per-read timeout, so only a total deadline ends it."""
    fault_proxy.inject("drip")
    sleep = Recorder()
    read = httpx.Timeout(DRIP_SECONDS * 3)
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, timeout=read, deadline=1.0, sleep=sleep) as client:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError) as info:
            await client.poll_listing(PLAT_254604)
        took = time.monotonic() - started
    assert 0.9 <= took < 3.0
    assert told(info.value).endswith("did not answer in time. Check your connection or VPN, then try again.")
    assert fault_proxy.count() == 1 and sleep.delays == []  # no time was left to try again


async def test_a_dripping_answer_to_a_write_may_have_been_carried_out(fault_proxy: FaultProxy) -> None:
    fault_proxy.inject("drip", methods={"PUT"})
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, timeout=0.6) as client:
        with pytest.raises(RequestTimeoutError) as info:
            await client.update_poll(PLAT_254604, STARS_POLL)
    assert info.value.maybe_done and "may or may not have been made" in told(info.value)


def test_the_default_deadline_is_long_enough_for_a_slow_web_trigger() -> None:
    client = PollsClient("https://polls.example.com/x1/t", TOKEN)
    assert client.deadline == DEFAULT_DEADLINE == 60.0  # Forge lets a web trigger run 55 s
    assert PollsClient("https://polls.example.com/x1/t", TOKEN, timeout=5).deadline == 5.0


async def test_a_retry_that_would_outlast_the_deadline_is_not_made(fault_proxy: FaultProxy) -> None:
    fault_proxy.retry_after = "5"
    fault_proxy.inject("429")
    waits: list[float] = []
    async with PollsClient(fault_proxy.jira_endpoint, TOKEN, timeout=2.0, on_wait=lambda s, r: waits.append(s)) as client:
        with pytest.raises(RateLimitedError):
            await client.poll_listing(PLAT_254604)
    assert fault_proxy.count() == 1 and waits == []
