"""7. What pollstui.tui.heap's two collector moves are worth, each against the same code without it.

- The start-up pause (``heap.pause`` … ``heap.resume``): time to the first poll list, headless
  (children/first_list.py as in 1.), with the pause vs ``--no-gc-pause``. Alternating processes.
- The freeze after the first list (``heap.settle``: ``gc.freeze``): highlight moves on the
  1,000-poll content item (children/moves.py as in 5.), ``app`` vs ``app-unfrozen``; the slowest
  of 100 moves and the mean, median over runs.

Each is kept only while its ratio stays below 1 (a limit of 1.0: the move must pay for itself).
"""

from __future__ import annotations

import json
import statistics

from bench.context import BenchContext
from bench.measure import Figure, alternate, median, run_process, spread

NAME = "collector"


def run(ctx: BenchContext) -> list[Figure]:
    seeded = ctx.seeded_server()
    paused = [ctx.python, ctx.child("first_list.py"), *seeded.cli_args()]
    unpaused = [ctx.python, ctx.child("first_list.py"), "--no-gc-pause", *seeded.cli_args()]
    a, b = alternate(
        lambda: run_process(unpaused, env=ctx.headless_env()).seconds,
        lambda: run_process(paused, env=ctx.headless_env()).seconds,
        ctx.runs,
        warmup=ctx.warmup,
    )
    figures = [
        Figure(
            NAME, "First poll list with the collector paused for the start", median(b), "s", baseline=median(a),
            baseline_label="the same without the pause", limit=1.0, runs=ctx.runs,
            note=f"runs: paused {spread(b)} s, not paused {spread(a)} s",
            extra={"paused_s": b, "unpaused_s": a},
        )
    ]  # fmt: skip

    server = ctx.scale_server()
    frozen = [ctx.python, ctx.child("moves.py"), "app", server.endpoint, server.token, server.content]
    unfrozen = [ctx.python, ctx.child("moves.py"), "app-unfrozen", server.endpoint, server.token, server.content]
    a, b = alternate(
        lambda: json.loads(run_process(unfrozen, env=ctx.env()).stdout),
        lambda: json.loads(run_process(frozen, env=ctx.env()).stdout),
        ctx.runs,
        warmup=ctx.warmup,
    )
    slowest = {side: [max(r["moves_ms"]) for r in runs] for side, runs in (("frozen", b), ("unfrozen", a))}
    mean = {side: median([statistics.fmean(r["moves_ms"]) for r in runs]) for side, runs in (("frozen", b), ("unfrozen", a))}
    in_gc = {side: median([sum(r["gc_ms"]) for r in runs]) for side, runs in (("frozen", b), ("unfrozen", a))}
    figures.append(
        Figure(
            NAME, "Highlight move, slowest of 100, with gc.freeze after the first list", median(slowest["frozen"]), "ms",
            baseline=median(slowest["unfrozen"]), baseline_label="the same without the freeze", limit=1.0,
            runs=ctx.runs,
            note=(
                f"mean move {mean['frozen']:.1f} ms frozen, {mean['unfrozen']:.1f} ms not; time in the collector "
                f"over 100 moves {in_gc['frozen']:.1f} ms frozen, {in_gc['unfrozen']:.1f} ms not; slowest per run "
                f"{spread(slowest['frozen'])} ms frozen, {spread(slowest['unfrozen'])} ms not"
            ),
            extra={"frozen": b, "unfrozen": a},
        )
    )  # fmt: skip
    return figures
