"""10. An overview of 40 content items on a server that answers each after 0.25 s, 4 in flight.

The server: the reference server with the larger seed (``pollstui serve --seed --seed-items 40``:
polls on OPS-1 … OPS-40) behind the delay proxy (bench/context.py: each request reaches it 0.25 s
late, as from a server far away).

- ``pollstui overview --json`` on the 40 items vs a bare httpx script that fetches the same 40
  with 4 in flight (children/httpx_many.py: one AsyncClient, a semaphore): whole processes,
  alternating. The floor is ten rounds of 0.25 s plus the start of a Python process; both must
  print the same polls for the same items. Target: within 1.15×.
- In the TUI, from the key press to the first row: ``g`` (All items: the first item's answer in
  the table) vs ``enter`` on a sidebar item (its list on the main screen), both from the server,
  alternating in one app (children/overview_keys.py). Target: no later (1.0×).
"""

from __future__ import annotations

import json

from bench.context import BenchContext
from bench.measure import BenchError, Figure, alternate_many, median, run_process, spread

NAME = "overview"
ITEMS = 40
DELAY = 0.25
CONCURRENCY = 4
TARGET_CLI = 1.15
TARGET_TUI = 1.0


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.delayed(ctx.overview_server(ITEMS), DELAY)
    contents = [f"OPS-{n}" for n in range(1, ITEMS + 1)]
    ours = [ctx.pollstui, "overview", "--json", "--endpoint", server.endpoint, "--token", server.token,
            "--concurrency", str(CONCURRENCY), ",".join(contents)]  # fmt: skip
    floor = [ctx.python, ctx.child("httpx_many.py"), server.endpoint, server.token, "OPS", str(CONCURRENCY), *contents]
    a, b = alternate_many([lambda: run_process(ours, env=ctx.env()), lambda: run_process(floor, env=ctx.env())],
                          ctx.runs, warmup=ctx.warmup)  # fmt: skip
    mine, base = json.loads(a[-1].stdout), json.loads(b[-1].stdout)
    if mine.get("errors") or mine["polls"] != base["polls"]:
        raise BenchError("pollstui overview --json and the httpx script printed different polls")
    ours_s, base_s = [s.seconds for s in a], [s.seconds for s in b]
    figures = [
        Figure(
            NAME, f"pollstui overview --json, {ITEMS} items, {DELAY:g} s each, {CONCURRENCY} in flight", median(ours_s),
            "s", baseline=median(base_s), baseline_label="httpx script, 4 in flight", limit=TARGET_CLI, runs=ctx.runs,
            note=f"{len(mine['polls'])} polls; runs: pollstui {spread(ours_s)} s, httpx {spread(base_s)} s",
            extra={"pollstui_s": ours_s, "httpx_s": base_s},
        )
    ]  # fmt: skip
    keys = run_process([ctx.python, ctx.child("overview_keys.py"), server.endpoint, server.token, str(ITEMS), str(ctx.runs)],
                       env=ctx.headless_env())  # fmt: skip
    timings = json.loads(keys.stdout)
    g_s, enter_s = timings["g"], timings["enter"]
    figures.append(
        Figure(
            NAME, "TUI: key press to first row, g (All items)", median(g_s), "s", baseline=median(enter_s),
            baseline_label="enter on a sidebar item", limit=TARGET_TUI, runs=len(g_s),
            note=f"runs: g {spread(g_s)} s, enter {spread(enter_s)} s", extra={"g_s": g_s, "enter_s": enter_s},
        )
    )  # fmt: skip
    return figures
