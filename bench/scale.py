"""5. Scale: one content item with 1,000 polls × 10 options, with results.

- Drawn: in a pollstui process (headless, ends after the first list), the time from the moment
  the response body is in to the moment the list is painted (children/scale_draw.py), vs the time
  to parse the same body alone into pollstui's models — ``json.loads`` then
  one validation of the array as ``list[Poll]`` — in a fresh process with the models imported
  (children/parse_only.py), the issue's baseline, kept so figures compare across rounds (the
  app itself no longer builds models to draw the list: it reads views of the JSON). Beside them,
  for comparison, Textual's stock table in the same window: a bare app adding 1,000 rows of the
  same shape to a DataTable and painting them (children/bare_draw.py); pollstui's list is its own
  line-API widget that draws only the rows on screen. Alternating processes. Target ≤ 1.5×.
- Highlight moves: 100 presses of ↓ in Textual's test harness (children/moves.py), each timed from
  the key to the end of its paint (no message left in any widget's queue, nothing left to lay
  out or paint); the figure is the slowest of the 100, median over the runs.
  Target ≤ 16 ms absolute (mean ≤ 8 ms). Baselines in the same run: a bare 1,000-row DataTable,
  and the same table in a screen of pollstui's shape and widget count with a pane of plain Statics
  that follows the cursor (children/bare_pane.py): Textual's floor for such a screen.
- Memory: peak RSS of ``pollstui`` on this content vs ``pollstui`` on the seeded content,
  alternating. Target ≤ 2×.
"""

from __future__ import annotations

import json
import statistics

from bench.context import BenchContext, fetch
from bench.measure import Figure, alternate, alternate_many, median, run_process, spread

NAME = "scale"
DRAW_TARGET = 1.5
MOVE_TARGET_MS = 16.0
MOVE_MEAN_TARGET_MS = 8.0
MEMORY_TARGET = 2.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.scale_server()
    seeded = ctx.seeded_server()
    body = ctx.tmp / "scale-body.json"
    body.write_bytes(fetch(server.url(results=True)))
    polls = len(json.loads(body.read_bytes()))
    figures = []

    draw = [ctx.python, ctx.child("scale_draw.py"), server.endpoint, server.token, server.content]
    parse = [ctx.python, ctx.child("parse_only.py"), str(body)]
    bare_draw = [ctx.python, ctx.child("bare_draw.py")]
    a, b, c = alternate_many(
        [
            lambda: json.loads(run_process(parse, env=ctx.headless_env()).stdout),
            lambda: json.loads(run_process(draw, env=ctx.headless_env()).stdout)["response_to_drawn"],
            lambda: json.loads(run_process(bare_draw, env=ctx.headless_env()).stdout)["drawn"],
        ],
        ctx.runs,
        warmup=ctx.warmup,
    )
    parse_s, read_s = [r["parse"] for r in a], [r["read"] for r in a]
    figures.append(
        Figure(
            NAME, f"{polls} polls: response → list drawn", median(b), "s", baseline=median(parse_s),
            baseline_label="json.loads + list[Poll] validation", limit=DRAW_TARGET, runs=ctx.runs,
            note=(
                f"floor in the same run: a bare DataTable adding {polls} rows and painting them "
                f"{median(c) * 1000:.0f} ms ({median(b) / median(c):.2f}x of it); the app's own reading of the "
                f"body (json.loads + read_poll_listing) {median(read_s) * 1000:.0f} ms; runs: drawn {spread(b)} s, "
                f"parse {spread(parse_s)} s, bare draw {spread(c)} s; body {body.stat().st_size / 1024:.0f} KiB"
            ),
            extra={"drawn_s": b, "parse_s": parse_s, "read_s": read_s, "bare_draw_s": c},
            why_not="the list draws only the rows on screen, so the window is reading the body (views, no "
            "models), the screen's layout and paint, and the cache write in a thread; see the note's runs.",
        )
    )  # fmt: skip

    moves_app = [ctx.python, ctx.child("moves.py"), "app", server.endpoint, server.token, server.content]
    moves_bare = [ctx.python, ctx.child("moves.py"), "bare"]
    moves_pane = [ctx.python, ctx.child("moves.py"), "pane"]
    a, b, c = alternate_many(
        [
            lambda: json.loads(run_process(moves_bare, env=ctx.env()).stdout),
            lambda: json.loads(run_process(moves_app, env=ctx.env()).stdout),
            lambda: json.loads(run_process(moves_pane, env=ctx.env()).stdout),
        ],
        ctx.runs,
        warmup=ctx.warmup,
    )
    app_max, bare_max, pane_max = ([max(r["moves_ms"]) for r in side] for side in (b, a, c))
    app_mean, bare_mean, pane_mean = (median([statistics.fmean(r["moves_ms"]) for r in side]) for side in (b, a, c))
    app_p95 = median([percentile(r["moves_ms"], 95) for r in b])
    app_max_no_gc = median([max(m - g for m, g in zip(r["moves_ms"], r["gc_ms"])) for r in b])
    pane_max_no_gc = median([max(m - g for m, g in zip(r["moves_ms"], r["gc_ms"])) for r in c])
    figures.append(
        Figure(
            NAME, "Highlight move, slowest of 100", median(app_max), "ms", baseline=median(pane_max),
            baseline_label="bare DataTable + Static pane, same screen shape", limit=MOVE_TARGET_MS, absolute=True,
            runs=ctx.runs,
            note=(
                f"mean move {app_mean:.1f} ms (same-shape bare pane {pane_mean:.1f} ms, bare DataTable alone "
                f"{bare_mean:.1f} ms, slowest {median(bare_max):.1f} ms), 95th percentile {app_p95:.1f} ms, "
                f"slowest without its garbage-collection time {app_max_no_gc:.1f} ms "
                f"(bare pane {pane_max_no_gc:.1f} ms); slowest per run {spread(app_max)} ms"
            ),
            extra={"pollstui": b, "bare": a, "pane": c},
            why_not="a move redraws two lines of the list and the detail pane's changed parts; a move that "
            "scrolls repaints every visible row, and Textual lays out the scrolled region again; the bare "
            "DataTable and the same-shape bare pane (the note) are Textual's stock table for comparison.",
        )
    )  # fmt: skip
    figures.append(
        Figure(
            NAME, "Highlight move, mean of 100", app_mean, "ms", baseline=pane_mean,
            baseline_label="bare DataTable + Static pane, same screen shape", limit=MOVE_MEAN_TARGET_MS, absolute=True,
            runs=ctx.runs,
            note=f"median over runs of each run's mean; bare DataTable alone {bare_mean:.1f} ms in the same run",
            why_not="the same per-move work as the slowest move, paid on every move: the detail pane's "
            "repaint is most of it.",
        )
    )  # fmt: skip

    tui = [ctx.python, ctx.child("first_list.py"), *server.cli_args()]
    tui_seeded = [ctx.python, ctx.child("first_list.py"), *seeded.cli_args()]
    a, b = alternate(
        lambda: run_process(tui_seeded, env=ctx.headless_env()).maxrss_kb,
        lambda: run_process(tui, env=ctx.headless_env()).maxrss_kb,
        ctx.runs,
        warmup=ctx.warmup,
    )
    figures.append(
        Figure(
            NAME, f"Peak memory, {polls} polls", median(b), "KiB", baseline=median(a),
            baseline_label="pollstui, seeded content", limit=MEMORY_TARGET, runs=ctx.runs,
            note=f"runs: {spread([k / 1024 for k in b])} MiB; seeded {spread([k / 1024 for k in a])} MiB",
            extra={"scale_kib": b, "seeded_kib": a},
        )
    )  # fmt: skip
    return figures
