"""1. Time to first frame: pollstui on the seeded content vs a bare one-Label Textual app.

Both are whole processes under Textual's headless driver (``TEXTUAL_DRIVER``, so neither is
changed to run headless), 100×30, fresh user directories (no polls cache), both in the client
venv (bench/context.py: a client install, no click). pollstui runs as
``pollstui --endpoint … --token … --content PLAT-254604`` through children/first_list.py,
so it ends right after the server's poll list is painted; the bare app ends right after its
first frame. The time is spawn to exit, teardown included on both sides.

Beside it, the same pollstui run from the bench's own venv, where click is installed (uvicorn
brings it): a figure for context, no target. Its first list no longer imports httpx (the first
request is a plain GET), so click costs it nothing unless the GET falls back to the client.
"""

from __future__ import annotations

from bench.context import BenchContext, has_click
from bench.measure import Figure, alternate_many, median, run_process, spread

NAME = "first_frame"
TARGET = 1.5
WHY_NOT = (
    "what is left beyond the bare app: the CLI's own start (argument parsing, the profile and "
    "settings modules), the request thread, the main screen's modules (the table, the detail "
    "pane, the sidebar, the footer, the action registry), composing ~35 widgets instead of one, "
    "and painting a table and a detail pane; the list itself is read without models."
)


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    tui = [ctx.python, ctx.child("first_list.py"), *server.cli_args()]
    dev = [ctx.dev_python, ctx.child("first_list.py"), *server.cli_args()]
    bare = [ctx.python, ctx.child("bare_label.py")]
    a, b, c = alternate_many(
        [
            lambda: run_process(bare, env=ctx.headless_env()),
            lambda: run_process(tui, env=ctx.headless_env()),
            lambda: run_process(dev, env=ctx.headless_env()),
        ],
        ctx.runs,
        warmup=ctx.warmup,
    )
    bare_s, tui_s, dev_s = ([s.seconds for s in side] for side in (a, b, c))
    click = "with click" if has_click(ctx.dev_python) else "without click"
    return [
        Figure(
            NAME, "Time to first poll list (headless)", median(tui_s), "s",
            baseline=median(bare_s), baseline_label="bare Label app", limit=TARGET, runs=ctx.runs,
            note=f"client venv (no click); runs: pollstui {spread(tui_s)} s, bare {spread(bare_s)} s",
            extra={"pollstui_s": tui_s, "bare_s": bare_s}, why_not=WHY_NOT,
        ),
        Figure(
            NAME, f"Time to first poll list (headless), dev venv {click}", median(dev_s), "s",
            baseline=median(bare_s), baseline_label="bare Label app (client venv)", runs=ctx.runs,
            note=f"for context: the bench's own venv; runs {spread(dev_s)} s",
            extra={"dev_s": dev_s},
        ),
    ]  # fmt: skip
