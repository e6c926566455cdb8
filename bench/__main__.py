"""``python -m bench``: run every benchmark, print the table, write bench/results.json."""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import sys
import time
import traceback
from importlib import metadata
from pathlib import Path

from bench import BENCHMARKS
from bench.context import bench_context
from bench.measure import Figure, format_markdown, format_table

RESULTS = Path(__file__).resolve().parent / "results.json"
SOAK_RESULTS = Path(__file__).resolve().parent / "soak.json"


def machine() -> dict[str, object]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "textual": version("textual"),
        "httpx": version("httpx"),
        "pydantic": version("pydantic"),
        "pollstui": version("pollstui"),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run every benchmark, print the table and write bench/results.json."
    )
    parser.add_argument("--quick", action="store_true", help="3 runs per side instead of 10: a smoke test, not figures")
    parser.add_argument("--runs", type=int, help="alternating runs per side (default 10, or 3 with --quick)")
    parser.add_argument("--only", action="append", choices=BENCHMARKS, help="run only this benchmark (repeatable)")
    parser.add_argument("--output", type=Path, help=f"where to write the results (default {RESULTS}; --soak: {SOAK_RESULTS})")
    parser.add_argument("--soak", action="store_true", help="only present mode's memory soak (10 minutes; outside the default table)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for the README)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 10)
    names = ["present"] if args.soak else args.only or list(BENCHMARKS)

    facts = machine()
    started = datetime.datetime.now(datetime.timezone.utc)
    print(
        f"pollstui bench: {runs} alternating runs per side after 1 warm-up · python {facts['python']} · "
        f"textual {facts['textual']} · {facts['cpu_count']} CPUs · load {_load(facts)}",
        flush=True,
    )
    figures: list[Figure] = []
    failures: dict[str, str] = {}
    clock = time.monotonic()
    with bench_context(runs=runs, warmup=1, quick=args.quick) as ctx:
        for name in names:
            module = importlib.import_module(f"bench.{name}")
            t = time.monotonic()
            print(f"  {name} …", end="", flush=True)
            try:
                found = module.soak(ctx) if args.soak else module.run(ctx)
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                failures[name] = f"{type(exc).__name__}: {exc}"
                print(f" FAILED ({failures[name]})", flush=True)
                if os.environ.get("BENCH_DEBUG"):
                    traceback.print_exc()
                continue
            figures += found
            print(f" {time.monotonic() - t:.0f} s", flush=True)
    elapsed = time.monotonic() - clock
    facts["load_average_after"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None

    print()
    print(format_table(figures))
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    if notes:
        print("\nNotes:")
        print("\n".join(notes))
    if args.markdown:
        print()
        print(format_markdown(figures))
    reasons = [f"- {f.name}: {f.why_not}" for f in figures if f.met is False and f.why_not]
    if reasons:
        print("\nNot met, and why:")
        print("\n".join(reasons))
    missed = [f.name for f in figures if f.met is False]
    print(
        f"\n{len(figures)} figure{'s' if len(figures) != 1 else ''} in {elapsed:.0f} s; "
        + (f"targets not met: {', '.join(missed)}" if missed else "every target with a figure is met")
        + (f"; failed: {', '.join(failures)}" if failures else "")
    )

    results = {
        "date": started.isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "runs": runs,
        "warmup": 1,
        "quick": args.quick,
        "machine": facts,
        "figures": [f.to_json() for f in figures],
        "failed": failures,
    }
    output = args.output or (SOAK_RESULTS if args.soak else RESULTS)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {output}")
    return 1 if failures else 0


def _load(facts: dict[str, object]) -> str:
    load = facts.get("load_average")
    return "/".join(f"{x:.2f}" for x in load) if isinstance(load, list) else "?"


if __name__ == "__main__":
    sys.exit(main())
