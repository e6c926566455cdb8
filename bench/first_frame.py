"""1. Time to first frame: pollstui on the seeded content vs a bare one-Label Textual app.

Both are whole processes under Textual's headless driver (``TEXTUAL_DRIVER``, so neither is
changed to run headless), 100×30, fresh user directories (no polls cache). pollstui runs as
``pollstui --endpoint … --token … --content PLAT-254604`` through children/first_list.py,
so it ends right after the server's poll list is painted; the bare app ends right after its
first frame. The time is spawn to exit, teardown included on both sides.
"""

from __future__ import annotations

from bench.context import BenchContext
from bench.measure import Figure, alternate, median, run_process, spread

NAME = "first_frame"
TARGET = 1.5
WHY_NOT = (
    "beyond the bare app, the path to the list imports pydantic and builds the models (~100 ms), "
    "imports httpx (~40 ms), creates the client (~15 ms: OpenSSL builds a context even for http), "
    "composes the main screen with its footer (~40 ms), and paints a table and a detail pane. "
    "1.4x leaves ~100 ms for all of it: it needs a list drawn without pydantic and httpx on the path."
)


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    tui = [ctx.python, ctx.child("first_list.py"), *server.cli_args()]
    bare = [ctx.python, ctx.child("bare_label.py")]
    a, b = alternate(
        lambda: run_process(bare, env=ctx.headless_env()),
        lambda: run_process(tui, env=ctx.headless_env()),
        ctx.runs,
        warmup=ctx.warmup,
    )
    bare_s, tui_s = [s.seconds for s in a], [s.seconds for s in b]
    return [
        Figure(
            NAME, "Time to first poll list (headless)", median(tui_s), "s",
            baseline=median(bare_s), baseline_label="bare Label app", limit=TARGET, runs=ctx.runs,
            note=f"runs: pollstui {spread(tui_s)} s, bare {spread(bare_s)} s",
            extra={"pollstui_s": tui_s, "bare_s": bare_s}, why_not=WHY_NOT,
        )
    ]  # fmt: skip
