"""11. The editor on a long poll: opening it on 1,000 options vs on 5, same run.

A server may send any number of options (the reference server refuses more than 200; others
need not). The editor builds a window of option rows, not one per option, so opening it on a long
poll costs little more than on a short one: children/open_editor.py times the push of the editor
to the end of its first paint, in a pollstui process on the seeded content, alternating the two
sizes. Target ≤ 3×.
"""

from __future__ import annotations

import json

from bench.context import BenchContext
from bench.measure import Figure, alternate, median, run_process, spread

NAME = "editor_options"
TARGET = 3.0
SHORT, LONG = 5, 1000


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()

    def opened(n: int) -> float:
        argv = [ctx.python, ctx.child("open_editor.py"), str(n), server.endpoint, server.token, server.content]
        return json.loads(run_process(argv, env=ctx.headless_env()).stdout)["open_ms"]

    short, long = alternate(lambda: opened(SHORT), lambda: opened(LONG), ctx.runs, warmup=ctx.warmup)
    return [
        Figure(
            NAME, f"Opening the editor on {LONG:,} options", median(long), "ms",
            baseline=median(short), baseline_label=f"the editor on {SHORT} options", limit=TARGET, runs=ctx.runs,
            note=f"push to first paint, in-process (100×30); runs: {LONG:,} {spread(long)} ms, {SHORT} {spread(short)} ms",
            extra={"long_ms": long, "short_ms": short},
        ),
    ]  # fmt: skip
