"""4. Memory: peak RSS of pollstui on the seeded content vs a bare app with a 1,000-row DataTable.

Beside them, in the same run, the bare app with pydantic, pollstui's models and httpx imported:
what the first list loaded before it was drawn from plain JSON (it loads none of them now, unless
the first request falls back to the client), for context.

Both whole processes, headless, each ending after its first frame (pollstui: after the server's
poll list is painted); the peak is the child's ``ru_maxrss`` from ``os.wait4``.
"""

from __future__ import annotations

from bench.context import BenchContext
from bench.measure import Figure, alternate_many, median, run_process, spread

NAME = "memory"
TARGET = 1.25
WHY_NOT = (
    "pydantic and httpx are no longer loaded for the first list; what is left is pollstui's own modules, "
    "its main screen (~35 widgets beside the table, the detail pane), the request thread and the list's JSON."
)


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    tui = [ctx.python, ctx.child("first_list.py"), *server.cli_args()]
    bare = [ctx.python, ctx.child("bare_table.py")]
    deps = [ctx.python, ctx.child("bare_table.py"), "deps"]
    a, b, c = alternate_many(
        [
            lambda: run_process(bare, env=ctx.headless_env()),
            lambda: run_process(tui, env=ctx.headless_env()),
            lambda: run_process(deps, env=ctx.headless_env()),
        ],
        ctx.runs,
        warmup=ctx.warmup,
    )
    bare_kib, tui_kib, deps_kib = ([s.maxrss_kb for s in side] for side in (a, b, c))
    return [
        Figure(
            NAME, "Peak memory, seeded content", median(tui_kib), "KiB", baseline=median(bare_kib),
            baseline_label="bare 1,000-row DataTable", limit=TARGET, runs=ctx.runs,
            note=(
                f"the bare table with pydantic, the models and httpx imported: {median(deps_kib) / 1024:.1f} MiB "
                f"({median(deps_kib) / median(bare_kib):.2f}x); runs: pollstui {spread([k / 1024 for k in tui_kib])} MiB, "
                f"bare {spread([k / 1024 for k in bare_kib])} MiB"
            ),
            extra={"pollstui_kib": tui_kib, "bare_kib": bare_kib, "deps_kib": deps_kib}, why_not=WHY_NOT,
        )
    ]  # fmt: skip
