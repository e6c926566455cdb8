"""The larger seed (`pollstui serve --seed-items N`): polls on OPS-1 … OPS-N for an overview."""

from __future__ import annotations

from datetime import datetime, timezone

from pollstui.dates import parse_end_date
from pollstui.server import PollStore, seed_overview_items
from pollstui.server.seed import overview_items


def test_forty_items_each_with_polls_ending_at_all_sorts_of_times(tmp_path):
    now = datetime(2030, 3, 1, 12, tzinfo=timezone.utc)
    with PollStore(tmp_path / "s.sqlite3") as store:
        added = seed_overview_items(store, 40, now=now)
        items = overview_items(40)
        lists = [store.list_polls(*item) for item in items]
        assert [item.content for item in items][:2] == ["OPS-1", "OPS-2"] and len(items) == 40
        assert all(lists) and sum(len(polls) for polls in lists) == added
        ends = [parse_end_date(p["settings"]["endDate"]) for polls in lists for p in polls]
        assert any(e is None for e in ends) and any(e and e < now for e in ends) and any(e and e > now for e in ends)
        assert seed_overview_items(store, 40, now=now) == 0  # seeded once
