"""1. Time to first frame: pollstui on the seeded content vs a bare one-Label Textual app.

Both are whole processes under Textual's headless driver (``TEXTUAL_DRIVER``, so neither is
changed to run headless), 100×30, fresh user directories (no polls cache), both in the client
venv (bench/context.py: a client install, no click). pollstui runs as
``pollstui --endpoint … --token … --content PLAT-254604`` through children/first_list.py,
so it ends right after the server's poll list is painted; the bare app ends right after its
first frame. The time is spawn to exit, teardown included on both sides.

Beside it, the floor for a screen of pollstui's shape: a bare app composing the same kind and
number of widgets (header, sidebar, status line, hidden filter, a two-row DataTable, a pane of
Statics, a footer with ten keys: children/bare_pane.py ``first``), ending after its first frame.
And the same pollstui run from the bench's own venv, where click is installed (uvicorn
brings it): a figure for context, no target. Its first list no longer imports httpx (the first
request is a plain GET), so click costs it nothing unless the GET falls back to the client.
"""

from __future__ import annotations

from bench.context import BenchContext, has_click
from bench.measure import Figure, alternate_many, median, run_process, shape_note, spread

NAME = "first_frame"
TARGET = 1.5
WHY_NOT = (
    "a screen of pollstui's shape is most of it: a bare app composing the same widgets takes ~1.4x the "
    "bare Label app alone (the note). Beyond that: pollstui's own modules (~20 ms to import: the CLI, "
    "profiles and settings, the session, the screen and its widgets; their dataclasses alone ~6 ms), "
    "the request thread, and the screen's extra widgets and rows. No models and no httpx are loaded "
    "for it, and the garbage collector waits for the first frame (which the bare apps do not do)."
)


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    tui = [ctx.python, ctx.child("first_list.py"), *server.cli_args()]
    dev = [ctx.dev_python, ctx.child("first_list.py"), *server.cli_args()]
    bare = [ctx.python, ctx.child("bare_label.py")]
    shape = [ctx.python, ctx.child("bare_pane.py"), "first"]
    a, b, c, d = alternate_many(
        [
            lambda: run_process(bare, env=ctx.headless_env()),
            lambda: run_process(tui, env=ctx.headless_env()),
            lambda: run_process(dev, env=ctx.headless_env()),
            lambda: run_process(shape, env=ctx.headless_env()),
        ],
        ctx.runs,
        warmup=ctx.warmup,
    )
    bare_s, tui_s, dev_s, shape_s = ([s.seconds for s in side] for side in (a, b, c, d))
    click = "with click" if has_click(ctx.dev_python) else "without click"
    return [
        Figure(
            NAME, "Time to first poll list (headless)", median(tui_s), "s",
            baseline=median(bare_s), baseline_label="bare Label app", limit=TARGET, runs=ctx.runs,
            note=(
                f"client venv (no click); pollstui's garbage collector waits for its first frame, the bare "
                f"apps' does not; {shape_note(tui_s, shape_s, bare_s)}; runs: pollstui {spread(tui_s)} s, "
                f"bare {spread(bare_s)} s"
            ),
            extra={"pollstui_s": tui_s, "bare_s": bare_s, "shape_s": shape_s}, why_not=WHY_NOT,
        ),
        Figure(
            NAME, "First frame of a bare app of pollstui's screen shape (headless)", median(shape_s), "s",
            baseline=median(bare_s), baseline_label="bare Label app", runs=ctx.runs,
            note=f"the floor for the first figure's screen: ~35 widgets, two rows; runs {spread(shape_s)} s",
        ),
        Figure(
            NAME, f"Time to first poll list (headless), dev venv {click}", median(dev_s), "s",
            baseline=median(bare_s), baseline_label="bare Label app (client venv)", runs=ctx.runs,
            note=f"for context: the bench's own venv; runs {spread(dev_s)} s",
            extra={"dev_s": dev_s},
        ),
    ]  # fmt: skip
