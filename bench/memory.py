"""4. Memory: peak RSS of pollstui on the seeded content vs a bare app with a 1,000-row DataTable.

Both whole processes, headless, each ending after its first frame (pollstui: after the server's
poll list is painted); the peak is the child's ``ru_maxrss`` from ``os.wait4``.
"""

from __future__ import annotations

from bench.context import BenchContext
from bench.measure import Figure, alternate, median, run_process, spread

NAME = "memory"
TARGET = 1.25
WHY_NOT = (
    "pydantic with the models (~10 MiB) and httpx, httpcore and anyio (~7.5 MiB) come on top of Textual; "
    "1.25x of the bare app leaves ~10 MiB for everything pollstui adds."
)


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    tui = [ctx.python, ctx.child("first_list.py"), *server.cli_args()]
    bare = [ctx.python, ctx.child("bare_table.py")]
    a, b = alternate(
        lambda: run_process(bare, env=ctx.headless_env()),
        lambda: run_process(tui, env=ctx.headless_env()),
        ctx.runs,
        warmup=ctx.warmup,
    )
    bare_kib, tui_kib = [s.maxrss_kb for s in a], [s.maxrss_kb for s in b]
    return [
        Figure(
            NAME, "Peak memory, seeded content", median(tui_kib), "KiB", baseline=median(bare_kib),
            baseline_label="bare 1,000-row DataTable", limit=TARGET, runs=ctx.runs,
            note=f"runs: pollstui {spread([k / 1024 for k in tui_kib])} MiB, bare {spread([k / 1024 for k in bare_kib])} MiB",
            extra={"pollstui_kib": tui_kib, "bare_kib": bare_kib}, why_not=WHY_NOT,
        )
    ]  # fmt: skip
