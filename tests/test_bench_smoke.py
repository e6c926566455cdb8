"""The benchmarks' machinery, quickly: the modules import, and the measuring helpers measure.

Not the benchmarks themselves (`make bench` runs those, for minutes).
"""

from __future__ import annotations

import importlib
import math
import socket
import sys
import threading
import time

import pytest

from bench import BENCHMARKS
from bench.connections import CountingProxy
from bench.measure import BenchError, Figure, alternate, format_markdown, format_table, median, ratio, run_process


@pytest.mark.parametrize("name", ["bench.measure", "bench.context", "bench.__main__", *(f"bench.{b}" for b in BENCHMARKS)])
def test_bench_modules_import(name):
    module = importlib.import_module(name)
    if name.removeprefix("bench.") in BENCHMARKS:
        assert callable(module.run)


def test_median_and_ratio():
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(0.0, 0.0) == 0.0
    assert math.isinf(ratio(1.0, 0.0))
    with pytest.raises(ValueError):
        median([])


def test_alternate_runs_a_warm_up_then_a_b_a_b():
    calls: list[str] = []

    def side(name: str):
        def run() -> str:
            calls.append(name)
            return f"{name}{len(calls)}"

        return run

    a, b = alternate(side("A"), side("B"), 3, warmup=1)
    assert calls == ["A", "B"] * 4
    assert a == ["A3", "A5", "A7"] and b == ["B4", "B6", "B8"]


def test_run_process_times_a_whole_process_and_reads_its_peak_memory():
    sample = run_process([sys.executable, "-c", "import sys; sys.stdout.write('hi')"])
    assert sample.returncode == 0 and sample.stdout == b"hi"
    assert 0 < sample.seconds < 30
    assert sample.maxrss_kb > 1000  # an interpreter needs more than a MiB

    big = run_process([sys.executable, "-c", "x = bytearray(64 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"])
    assert big.maxrss_kb - sample.maxrss_kb > 50 * 1024  # the child's own peak, not ours


def test_run_process_raises_on_a_failing_child():
    with pytest.raises(BenchError, match="exited with 3"):
        run_process([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert run_process([sys.executable, "-c", "import sys; sys.exit(3)"], check=False).returncode == 3


def test_a_slower_command_has_the_larger_median_and_ratio():
    fast = [sys.executable, "-c", "pass"]
    slow = [sys.executable, "-c", "import time; time.sleep(0.3)"]  # time is the subject: a slower command
    a, b = alternate(lambda: run_process(fast).seconds, lambda: run_process(slow).seconds, 3, warmup=0)
    assert median(b) - median(a) >= 0.25
    assert ratio(median(b), median(a)) > 1.0


def test_figure_met_and_table():
    ok = Figure("t", "ratio figure", 1.3, "s", baseline=1.0, limit=1.4)
    slow = Figure("t", "slow figure", 2.0, "s", baseline=1.0, limit=1.4)
    absolute = Figure("t", "absolute figure", 12.0, "ms", baseline=3.0, limit=16.0, absolute=True)
    context = Figure("t", "context figure", 0.01, "s", baseline=0.2)
    skipped = Figure("t", "skipped figure", None, "s", limit=2.0, skipped="tmux not installed")
    assert ok.met is True and slow.met is False and absolute.met is True
    assert context.met is None and skipped.met is None
    assert ok.ratio == pytest.approx(1.3) and absolute.target == "≤ 16.0 ms"
    table = format_table([ok, slow, absolute, context, skipped])
    assert "NO" in table and "skipped: tmux not installed" in table and "1.30×" in table
    assert "| slow figure | 2.0 s |" not in format_markdown([slow])  # seconds below 10 show as ms
    assert "| slow figure | 2000 ms |" in format_markdown([slow])
    assert ok.to_json()["ratio"] == pytest.approx(1.3)


def test_counting_proxy_relays_and_counts_connections():
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(10)

        def echo_twice() -> None:
            for _ in range(2):
                conn, _ = server.accept()
                with conn:
                    conn.sendall(conn.recv(100).upper())

        thread = threading.Thread(target=echo_twice, daemon=True)
        thread.start()
        with CountingProxy(server.getsockname()[:2]) as proxy:
            for word in (b"one", b"two"):
                with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as client:
                    client.sendall(word)
                    assert client.recv(100) == word.upper()
            thread.join(timeout=10)
            assert proxy.accepted == 2


@pytest.mark.parametrize(
    "child, prints",
    [("first_list.py", None), ("scale_draw.py", "response_to_drawn")],
)
def test_the_children_that_hook_into_pollstui_still_find_their_marks(ref_server, monkeypatch, child, prints):
    """The children wrap pollstui's own functions to time it; a rename or a new path past them
    (the first answer shown without a load) must fail here, not in `make bench` an hour later."""
    import json
    import os
    from pathlib import Path

    from tests.conftest import TOKEN

    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    script = Path(__file__).parent.parent / "bench" / "children" / child
    args = ["--endpoint", ref_server.jira_endpoint, "--token", TOKEN, "--content", "PLAT-254604"]
    if child == "scale_draw.py":
        args = args[1::2]  # ENDPOINT TOKEN CONTENT
    sample = run_process([sys.executable, str(script), *args], env=dict(os.environ), timeout=60)
    assert sample.returncode == 0, sample.stderr
    if prints:
        assert json.loads(sample.stdout)[prints] > 0


def test_the_present_bench_counts_what_a_program_writes_to_its_terminal_and_its_cpu():
    from bench.present import Terminal

    code = "import sys, time; print('x' * 3000, flush=True); sys.stdout.write(str(sys.stdout.isatty())); sys.stdout.flush(); time.sleep(2)"
    terminal = Terminal([sys.executable, "-c", code], {"PATH": "/usr/bin:/bin"})
    try:
        deadline = time.monotonic() + 10
        while terminal.written() < 3006 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert terminal.written() == 3006  # 3,000 x, CR LF, "True": a terminal, every byte counted
        assert bytes(terminal.head).endswith(b"True")
        assert terminal.cpu_seconds() >= 0 and terminal.rss_kib() > 1000
    finally:
        terminal.close()
