"""Simulated voters: settings honoured, deterministic ticks, a real run at about the rate, clean stops,
kept apart from the API's code path, and wired into ``pollstui serve`` and ``pollstui demo``."""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
import threading
import time
import types
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import pytest

from pollstui.server import PollStore, seed_demo_data
from pollstui.server.voters import VoteSimulator, parse_end_date, voting_closed

SINGLE = {"allowSelectionOfMultipleOptions": False}
MULTIPLE = {"allowSelectionOfMultipleOptions": True}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[PollStore]:
    with PollStore(tmp_path / "polls.db") as s:
        yield s


@pytest.fixture
def seeded(store: PollStore) -> PollStore:
    seed_demo_data(store)
    return store


def add_poll(store: PollStore, title: str, n_options: int = 3, content: str = "SIM-1", **settings) -> str:
    body = {
        "title": title,
        "options": [{"id": str(i + 1), "title": f"Option {i + 1}", "order": i} for i in range(n_options)],
        "settings": settings,
    }
    return store.create_poll("jira", "SIM", content, "", body)["id"]


def all_polls(store: PollStore) -> list[dict]:
    return [poll for item in store.contents_with_polls() for poll in store.list_polls(*item)]


def totals(store: PollStore) -> dict[str, tuple[int, int]]:
    """(totalVotes, totalVoters) per poll id."""
    out = {}
    for poll in all_polls(store):
        results = store.results(poll["id"])
        out[poll["id"]] = (results["totalVotes"], results["totalVoters"])
    return out


def record_votes(store: PollStore, monkeypatch) -> list[tuple[str, list[str], str]]:
    """Every add_vote call the simulator makes, still passed through to the store."""
    calls: list[tuple[str, list[str], str]] = []
    real = store.add_vote

    def add_vote(poll_id, option_ids, voter):
        calls.append((poll_id, list(option_ids), voter))
        return real(poll_id, option_ids, voter)

    monkeypatch.setattr(store, "add_vote", add_vote)
    return calls


def voter_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "pollstui-voters"]


# --- end dates ---------------------------------------------------------------------------------


NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("end_date", "passed"),
    [
        ("", False),
        ("   ", False),
        ("2025-06-01T11:59:59Z", True),
        ("2025-06-01T12:00:01Z", False),
        ("2025-06-01T12:00:01", False),  # no offset: UTC
        ("2025-06-01 11:00", True),
        ("2025-06-01T13:30:00+02:00", True),  # 11:30 UTC
        ("2025-06-01T11:30:00-0100", False),  # 12:30 UTC
        ("2025-06-01T11:59:59.999Z", True),
        ("2025-06-01", False),  # a bare date is open all that day
        ("2025-05-31", True),
        ("2024-11-29T17:00:00Z", True),
        ("2031-06-30T17:00:00Z", False),
        ("next Friday", False),  # unreadable: open
        ("2025-02-30", False),
        (None, False),
        (42, False),
    ],
)
def test_voting_closes_on_a_passed_end_date_with_close_poll_on_end_date(end_date, passed):
    assert voting_closed({"endDate": end_date, "closePollOnEndDate": True}, NOW) is passed
    assert voting_closed({"endDate": end_date, "closePollOnEndDate": False}, NOW) is False  # it stays open
    assert voting_closed({"endDate": end_date}, NOW) is False


def test_parse_end_date_is_utc():
    assert parse_end_date("2025-06-01T13:30:00+02:00") == datetime(2025, 6, 1, 11, 30, tzinfo=timezone.utc)
    assert parse_end_date("2025-05-31") == datetime(2025, 6, 1, tzinfo=timezone.utc)
    assert voting_closed(None) is False and voting_closed({}) is False


# --- what a vote respects ----------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0, -1, float("nan"), float("inf"), "2"])
def test_rate_must_be_positive(store, rate):
    with pytest.raises(ValueError):
        VoteSimulator(store, rate)


def test_single_choice_one_option_multiple_choice_several(seeded, monkeypatch):
    calls = record_votes(seeded, monkeypatch)
    polls = {p["id"]: p for p in all_polls(seeded)}
    assert VoteSimulator(seeded, 5, rng=random.Random(1)).tick(400) == 400
    assert len(calls) == 400
    sizes_on_multiple = set()
    for poll_id, options, _ in calls:
        poll = polls[poll_id]
        known = [o["id"] for o in poll["options"]]
        assert len(set(options)) == len(options) and set(options) <= set(known)
        if poll["settings"]["allowSelectionOfMultipleOptions"]:
            sizes_on_multiple.add(len(options))
        else:
            assert len(options) == 1
    assert 1 in sizes_on_multiple and max(sizes_on_multiple) > 1


def test_closed_and_optionless_polls_get_nothing(store, monkeypatch):
    closed = [
        add_poll(store, "closed, date-time", endDate="2024-11-29T17:00:00Z", closePollOnEndDate=True),
        add_poll(store, "closed, date", endDate="2020-01-01", closePollOnEndDate=True),
        add_poll(store, "closed, offset", endDate="2021-03-04T05:06:07+05:00", closePollOnEndDate=True),
    ]
    empty = add_poll(store, "no options", n_options=0)
    open_ = [
        add_poll(store, "no end date", endDate=""),
        add_poll(store, "future", endDate="2999-12-31T23:59:59Z"),
        add_poll(store, "unreadable date", endDate="when the cows come home", closePollOnEndDate=True),
        add_poll(store, "ended, but not closing on it", endDate="2020-01-01", closePollOnEndDate=False),
        add_poll(store, "no settings at all"),
    ]
    calls = record_votes(store, monkeypatch)
    VoteSimulator(store, 1, rng=random.Random(7)).tick(200)
    voted = {poll_id for poll_id, _, _ in calls}
    assert voted == set(open_)
    for poll_id in [*closed, empty]:
        assert store.results(poll_id)["totalVotes"] == 0


def test_seeded_closed_polls_keep_their_results(seeded):
    before = totals(seeded)
    closed = [p["id"] for p in all_polls(seeded) if voting_closed(p["settings"])]
    assert len(closed) == 2  # the app icon and the retro format
    VoteSimulator(seeded, 1, rng=random.Random(3)).tick(300)
    after = totals(seeded)
    assert all(after[i] == before[i] for i in closed)
    assert sum(v for v, _ in after.values()) > sum(v for v, _ in before.values())


def test_new_voters_make_totals_grow(store):
    poll_id = add_poll(store, "plain", allowRevote=False)
    simulator = VoteSimulator(store, 1, rng=random.Random(5))
    assert simulator.tick(25) == 25
    results = store.results(poll_id)
    assert (results["totalVotes"], results["totalVoters"]) == (25, 25)
    assert simulator.tick(5) == 5 and simulator.votes_cast == 30
    assert store.results(poll_id)["totalVoters"] == 30


def test_revotes_only_where_allowed(store, monkeypatch):
    revote = add_poll(store, "revote", allowRevote=True)
    once = add_poll(store, "once", allowRevote=False)
    calls = record_votes(store, monkeypatch)
    VoteSimulator(store, 1, rng=random.Random(11)).tick(400)
    voters = {poll_id: [voter for p, _, voter in calls if p == poll_id] for poll_id in (revote, once)}
    assert len(set(voters[once])) == len(voters[once])  # every vote a new voter
    assert len(set(voters[revote])) < len(voters[revote])  # some voters came back
    results = store.results(revote)
    assert results["totalVotes"] == results["totalVoters"] == len(set(voters[revote]))  # a revote replaces
    assert all(v.startswith("sim-") for v in voters[revote] + voters[once])


def test_tick_is_deterministic_with_a_seeded_rng(tmp_path):
    outcomes = []
    for name in ("a", "b"):
        with PollStore(tmp_path / f"{name}.db") as store:
            seed_demo_data(store)
            VoteSimulator(store, 1, rng=random.Random(2024)).tick(150)
            outcomes.append({p["id"]: store.results(p["id"]) for p in all_polls(store)})
    assert outcomes[0] == outcomes[1]


def test_polls_changed_meanwhile_are_skipped_quietly(store, monkeypatch):
    add_poll(store, "going away")

    def gone(poll_id, option_ids, voter):
        raise KeyError(poll_id)

    monkeypatch.setattr(store, "add_vote", gone)
    simulator = VoteSimulator(store, 1, rng=random.Random(1))
    assert simulator.tick(5) == 0 and simulator.votes_cast == 0


def test_nothing_to_vote_on(store):
    add_poll(store, "closed", endDate="2000-01-01", closePollOnEndDate=True)
    assert VoteSimulator(store, 1).tick(10) == 0


def test_follows_polls_created_later(store):
    simulator = VoteSimulator(store, 1, rng=random.Random(1))
    assert simulator.tick(3) == 0
    poll_id = add_poll(store, "late")
    assert simulator.tick(3) == 3 and store.results(poll_id)["totalVotes"] == 3


# --- the thread --------------------------------------------------------------------------------


def test_real_run_keeps_roughly_to_the_rate(seeded):
    rate = 40.0
    simulator = VoteSimulator(seeded, rate, rng=random.Random(9))
    started = time.monotonic()
    simulator.start()
    time.sleep(0.6)  # time is the subject: the votes cast in a stretch of it
    simulator.stop()
    elapsed = time.monotonic() - started
    assert not simulator.running
    assert rate * elapsed * 0.25 <= simulator.votes_cast <= rate * elapsed + 2, (simulator.votes_cast, elapsed)


def test_thread_starts_and_stops_cleanly(seeded):
    simulator = VoteSimulator(seeded, 1000, rng=random.Random(9))
    with simulator:
        assert simulator.running
        (thread,) = voter_threads()
        assert thread.daemon
        with pytest.raises(RuntimeError):
            simulator.start()
        assert wait_for(lambda: simulator.votes_cast > 0)  # it is voting
    assert not simulator.running and not voter_threads()
    simulator.stop()  # idempotent
    cast = simulator.votes_cast
    time.sleep(0.05)  # time is the subject: a stretch in which nothing may happen
    assert simulator.votes_cast == cast  # nothing after stop


def test_a_closed_store_ends_the_thread_quietly(tmp_path):
    store = PollStore(tmp_path / "closing.db")
    seed_demo_data(store)
    simulator = VoteSimulator(store, 200, rng=random.Random(1)).start()
    assert wait_for(lambda: simulator.votes_cast > 0)  # it is voting
    store.close()
    assert wait_for(lambda: not simulator.running)
    simulator.stop()


# --- apart from the API ------------------------------------------------------------------------


def test_the_http_app_never_imports_the_simulator():
    import pollstui.server.app as app_module

    tree = ast.parse(Path(app_module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {
        f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert not {name for name in imported if "voters" in name}, imported
    code = (
        "import sys, pollstui.server, pollstui.server.app\n"
        "assert 'pollstui.server.voters' not in sys.modules, 'imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_writes_only_through_add_vote(seeded, monkeypatch):
    before = {p["id"]: p for p in all_polls(seeded)}
    for name in ("create_poll", "replace_poll", "delete_poll"):
        monkeypatch.setattr(seeded, name, lambda *a, _n=name, **k: pytest.fail(f"the simulator called {_n}"))
    VoteSimulator(seeded, 1, rng=random.Random(4)).tick(50)
    assert {p["id"]: p for p in all_polls(seeded)} == before


# --- pollstui serve and pollstui demo ----------------------------------------------------------


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def total_votes(store: PollStore) -> int:
    return sum(votes for votes, _ in totals(store).values())


def test_serve_simulate_votes(capsys, monkeypatch, tmp_path):
    from pollstui.cli import main

    seen = {}

    def fake_serve(store, token, host, port, seed=False, seed_items=0, out=None, voters=None):
        seen["voters"] = voters

    monkeypatch.setattr("pollstui.server.serve_forever", fake_serve)
    code = main(["serve", "--simulate-votes", "50", "--db", str(tmp_path / "s.db")])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert isinstance(seen["voters"], VoteSimulator) and seen["voters"].rate == 50
    assert not seen["voters"].running  # serve_forever starts them, once the store is seeded
    assert "50 votes per second" in out and "not part of the Polls REST API" in out


def test_serve_without_simulate_votes_has_no_voters(capsys, monkeypatch, tmp_path):
    from pollstui.cli import main

    seen = {}
    monkeypatch.setattr("pollstui.server.serve_forever", lambda *a, **k: seen.update(voters=k.get("voters")))
    assert main(["serve", "--db", str(tmp_path / "s.db")]) == 0
    assert seen == {"voters": None}
    assert "Simulated voters" not in capsys.readouterr().out


def first_voters(tmp_path: Path, name: str, *argv: str, count: int = 12) -> list[tuple[str, str]]:
    """(poll id, voter) of the first ``count`` simulated voters of a real ``pollstui serve --seed
    ARGV`` on a fresh database, in the order they first voted."""
    import contextlib
    import signal
    import sqlite3

    db = tmp_path / f"{name}.db"

    def voters() -> list[tuple[str, str]]:
        try:
            with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
                rows = conn.execute("SELECT DISTINCT poll_id, voter FROM votes WHERE voter LIKE 'sim-%'").fetchall()
        except sqlite3.OperationalError:  # not made yet
            return []
        return sorted(rows, key=lambda row: int(row[1].rsplit("-", 1)[1]))

    argv = ["serve", "--port", "0", "--seed", "--token", "vote-seed-token", "--db", str(db), *argv]
    process = subprocess.Popen([sys.executable, "-m", "pollstui", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: len(voters()) >= count, timeout=30)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0 and "Traceback" not in err, err
    return voters()[:count]


def test_serve_vote_seed_casts_the_same_votes_from_the_first_each_run(tmp_path):
    """Seeded voters start once the seeded polls are all there, so two runs agree from the first
    vote (the voters' names, the polls they vote on, in order); another seed votes otherwise."""
    first = first_voters(tmp_path, "a", "--simulate-votes", "100", "--vote-seed", "21")
    assert first == first_voters(tmp_path, "b", "--simulate-votes", "100", "--vote-seed", "21")
    assert len(first) == 12 and len({poll for poll, _ in first}) > 1  # spread over the polls
    assert first != first_voters(tmp_path, "c", "--simulate-votes", "100", "--vote-seed", "22")


def test_serve_vote_seed_needs_simulated_voters(capsys, tmp_path):
    from pollstui.cli import main

    assert main(["serve", "--vote-seed", "21", "--db", str(tmp_path / "s.db")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--simulate-votes" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "s.db").exists()


@pytest.mark.parametrize("rate", ["0", "-2", "abc", "nan", "inf"])
def test_serve_simulate_votes_needs_a_positive_rate(capsys, rate):
    from pollstui.cli import main

    assert main(["serve", f"--simulate-votes={rate}"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("pollstui: error: ") and len(err.strip().splitlines()) == 1


@pytest.fixture
def demo_tui(monkeypatch):
    """A stand-in for the TUI that reads the demo's results twice, a moment apart."""
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")  # no terminal here
    seen: dict = {}

    def run_tui(connection, profile_store=None):
        def total() -> int:
            query = urlencode({"token": connection.token, "type": "polls", "expand": "results", **connection.ref.query()})
            with urllib.request.urlopen(f"{connection.endpoint}?{query}") as response:
                return sum(p["results"]["totalVotes"] for p in json.loads(response.read()))

        start = total()
        seen["threads"] = len(voter_threads())
        seen["grew"] = wait_for(lambda: total() > start, timeout=1.0 if not seen["threads"] else 5.0)
        return 0

    module = types.ModuleType("pollstui.tui.app")
    module.run_tui = run_tui
    monkeypatch.setitem(sys.modules, "pollstui.tui.app", module)
    return seen


def test_demo_has_simulated_voters_by_default(capsys, monkeypatch, demo_tui):
    from pollstui.cli import server_commands as cli

    assert cli.DEMO_VOTE_RATE <= 3  # gentle
    monkeypatch.setattr(cli, "DEMO_VOTE_RATE", 50.0)
    from pollstui.cli import main

    assert main(["demo"]) == 0
    assert demo_tui == {"threads": 1, "grew": True}
    assert not voter_threads()  # stopped on exit


def test_demo_no_votes(capsys, demo_tui):
    from pollstui.cli import main

    assert main(["demo", "--no-votes"]) == 0
    assert demo_tui == {"threads": 0, "grew": False}
