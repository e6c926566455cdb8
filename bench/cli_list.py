"""3. ``pollstui list --json`` vs the floor for any httpx-based CLI, and curl beside it.

Three whole processes alternate (A B C …): ``pollstui list --json`` on the seeded content, a
minimal script that does the same GET with httpx and prints the body, and ``curl -s`` of the same
URL (context only: the floor for any program at all). All three must print the same JSON.
pollstui itself makes that GET with the standard library when the answer is clean (no httpx
loaded), so it can be below the httpx script.
Then, from ``-X importtime``: ``pollstui --version`` and ``--help`` import none of textual,
httpx, pydantic.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from bench.context import BenchContext
from bench.measure import BenchError, Figure, alternate_many, median, run_process, spread

NAME = "cli_list"
TARGET = 1.0
HEAVY = ("textual", "httpx", "pydantic")


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    url = server.url()
    pollstui = [ctx.pollstui, "list", "--json", *server.cli_args()]
    floor = [ctx.python, ctx.child("httpx_get.py"), url]
    sides = [lambda: run_process(pollstui, env=ctx.env()), lambda: run_process(floor, env=ctx.env())]
    curl = shutil.which("curl")
    if curl:
        sides.append(lambda: run_process([curl, "-s", "--fail", url], env=ctx.env()))
    results = alternate_many(sides, ctx.runs, warmup=ctx.warmup)
    bodies = [json.loads(side[-1].stdout) for side in results]
    if any(body != bodies[0] for body in bodies):
        raise BenchError("pollstui list --json, the httpx script and curl printed different JSON")
    ours, base = [s.seconds for s in results[0]], [s.seconds for s in results[1]]
    figures = [
        Figure(
            NAME, "pollstui list --json", median(ours), "s", baseline=median(base), baseline_label="httpx script",
            limit=TARGET, runs=ctx.runs, note=f"runs: pollstui {spread(ours)} s, httpx {spread(base)} s",
            extra={"pollstui_s": ours, "httpx_s": base},
        )
    ]  # fmt: skip
    if curl:
        curl_s = [s.seconds for s in results[2]]
        figures.append(
            Figure(
                NAME, "curl -s (context)", median(curl_s), "s", baseline=median(base), baseline_label="httpx script",
                runs=ctx.runs, note="for reference: no target", extra={"curl_s": curl_s},
            )
        )  # fmt: skip
    else:
        figures.append(Figure(NAME, "curl -s (context)", None, "s", skipped="curl not installed"))
    for flag in ("--version", "--help"):
        heavy = sorted(set(imported_modules(ctx, flag)) & set(HEAVY))
        figures.append(
            Figure(
                NAME, f"pollstui {flag} imports textual/httpx/pydantic", float(bool(heavy)), "bool",
                met=not heavy, note=("imports " + ", ".join(heavy)) if heavy else "none of them",
                extra={"target": "no"},
            )
        )  # fmt: skip
    return figures


def imported_modules(ctx: BenchContext, *argv: str) -> set[str]:
    """Top-level packages ``python -X importtime -m pollstui ARGV`` imports."""
    result = subprocess.run(
        [ctx.python, "-X", "importtime", "-m", "pollstui", *argv], capture_output=True, text=True, env=ctx.env(), timeout=60
    )
    if result.returncode != 0:
        raise BenchError(f"pollstui {' '.join(argv)} failed: {result.stderr[-300:]}")
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name.split(".")[0])
    return names
