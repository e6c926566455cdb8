"""Measuring: whole processes, alternating runs, medians and ratios, and the result row.

A figure is never an absolute time alone: the machine may be busy (two cores, other people's
tests), so each side of a comparison is run alternately (A B A B …) after a warm-up of each,
and the figure is the ratio of the two medians.
"""

from __future__ import annotations

import atexit
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


class BenchError(RuntimeError):
    """A child process failed or did not produce what the benchmark needs."""


@dataclass(frozen=True)
class Sample:
    """One whole-process run: wall time from spawn to exit, and the child's peak RSS."""

    seconds: float
    maxrss_kb: int
    returncode: int
    stdout: bytes
    stderr: bytes


def run_process(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 120.0,
    check: bool = True,
) -> Sample:
    """Run ``argv`` to its end: wall time from just before the spawn to the reap, and peak RSS.

    The child is started by a small launcher process (children/launcher.py), which times it and
    reaps it with ``os.wait4`` (``ru_maxrss``, KiB on Linux): spawned from the bench itself, the
    child's peak would include the bench's own memory. Output goes to temporary files, so no
    pipe can fill up and stall the child.
    """
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        out, err = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        reply = _launcher().run(
            {
                "argv": list(argv),
                "env": dict(env if env is not None else os.environ),
                "cwd": cwd,
                "timeout": timeout,
                "stdout": out,
                "stderr": err,
            }
        )
        with open(out, "rb") as file:
            stdout = file.read()
        with open(err, "rb") as file:
            stderr = file.read()
    sample = Sample(reply["seconds"], int(reply["maxrss_kb"]), int(reply["returncode"]), stdout, stderr)
    if check and sample.returncode != 0:
        tail = sample.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise BenchError(f"{argv[0]} … exited with {sample.returncode}: " + " | ".join(tail))
    return sample


class _Launcher:
    """The launcher process (one for the whole run), spoken to over its stdin and stdout."""

    def __init__(self) -> None:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "children", "launcher.py")
        self._proc = subprocess.Popen(
            [sys.executable, "-S", "-u", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self._lock = threading.Lock()
        atexit.register(self.close)

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(json.dumps(request) + "\n")
            self._proc.stdin.flush()
            line = self._proc.stdout.readline()
        if not line:
            raise BenchError("the launcher process ended unexpectedly")
        reply = json.loads(line)
        if "error" in reply:
            raise BenchError(f"could not run {request['argv'][0]}: {reply['error']}")
        return reply

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.close()
            self._proc.wait(timeout=10)
            self._proc.stdout.close()


_launcher_instance: _Launcher | None = None


def _launcher() -> _Launcher:
    global _launcher_instance
    if _launcher_instance is None:
        _launcher_instance = _Launcher()
    return _launcher_instance


def alternate(a: Callable[[], T], b: Callable[[], T], runs: int, *, warmup: int = 1) -> tuple[list[T], list[T]]:
    """Run ``a`` and ``b`` alternately, ``runs`` times each after ``warmup`` unrecorded rounds."""
    results = alternate_many([a, b], runs, warmup=warmup)
    return results[0], results[1]


def alternate_many(sides: Sequence[Callable[[], T]], runs: int, *, warmup: int = 1) -> list[list[T]]:
    """Like :func:`alternate` for any number of sides: A B C A B C …"""
    for _ in range(warmup):
        for side in sides:
            side()
    results: list[list[T]] = [[] for _ in sides]
    for _ in range(runs):
        for index, side in enumerate(sides):
            results[index].append(side())
    return results


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def ratio(value: float, baseline: float) -> float:
    """``value / baseline``; infinite when the baseline is zero and the value is not."""
    if baseline == 0:
        return 0.0 if value == 0 else float("inf")
    return value / baseline


def shape_note(app: Sequence[float], shape: Sequence[float], bare: Sequence[float]) -> str:
    """What the first-frame figures say of the same-run floor: a bare app of pollstui's screen
    shape (``shape``), against the bare Label app (``bare``), and pollstui (``app``) against it."""
    return (
        f"a bare app of pollstui's screen shape (bare_pane.py first) {median(shape) * 1000:.0f} ms (shape "
        f"{median(shape) / median(bare):.2f}x the bare Label app; pollstui {median(app) / median(shape):.2f}x of it)"
    )


def spread(values: Sequence[float]) -> str:
    """``min–max`` of the runs, for the notes (how noisy the machine was)."""
    return f"{min(values):.3g}–{max(values):.3g}"


# --- the result row ----------------------------------------------------------------------------


@dataclass
class Figure:
    """One row of the table: a measured value against a same-run baseline and a target.

    ``limit`` is the largest acceptable ratio (or, with ``absolute``, the largest acceptable
    value); ``met`` is None for figures reported for context only, and for skipped ones.
    """

    bench: str
    name: str
    value: float | None
    unit: str  # "s", "ms", "KiB", "x", "core" (CPU s per s), "B/s" or "" (a count or a yes/no)
    baseline: float | None = None
    baseline_label: str = ""
    limit: float | None = None
    absolute: bool = False
    note: str = ""
    why_not: str = ""  # shown only when the target is not met: what stands between it and the target
    skipped: str = ""
    runs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    met: bool | None = None

    def __post_init__(self) -> None:
        if self.met is None and not self.skipped and self.limit is not None and self.value is not None:
            measured = self.value if self.absolute else self.ratio
            self.met = measured is not None and measured <= self.limit

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None:
            return None
        return ratio(self.value, self.baseline)

    @property
    def target(self) -> str:
        if self.limit is None:
            return "—" if not self.extra.get("target") else str(self.extra["target"])
        if self.absolute:
            return f"≤ {format_value(self.limit, self.unit)}"
        return f"≤ {self.limit:g}×"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["target"] = self.target
        if self.met is not False:
            data["why_not"] = ""
        return data


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "KiB":
        return f"{value / 1024:.1f} MiB"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "core":  # CPU seconds per wall second
        return f"{value * 100:.2f} % of a core"
    if unit == "B/s":
        return f"{value / 1000:.1f} kB/s" if value >= 1000 else f"{value:.0f} B/s"
    if unit == "bool":
        return "yes" if value else "no"
    return f"{value:g}"


def format_table(figures: Sequence[Figure]) -> str:
    """The figures as a plain-text table (also pasted into the README as Markdown)."""
    header = ("figure", "value", "baseline", "ratio", "target", "met?")
    rows = []
    for f in figures:
        if f.skipped:
            rows.append((f.name, f"skipped: {f.skipped}", "", "", f.target, "—"))
            continue
        baseline = format_value(f.baseline, f.unit) if f.baseline is not None else "—"
        if f.baseline_label and f.baseline is not None:
            baseline = f"{baseline} ({f.baseline_label})"
        rows.append(
            (
                f.name,
                format_value(f.value, f.unit),
                baseline,
                f"{f.ratio:.2f}×" if f.ratio is not None else "—",
                f.target,
                {True: "yes", False: "NO", None: "—"}[f.met],
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def format_markdown(figures: Sequence[Figure]) -> str:
    lines = ["| Figure | Value | Baseline (same run) | Ratio | Target | Met |", "|---|---|---|---|---|---|"]
    for f in figures:
        if f.skipped:
            lines.append(f"| {f.name} | skipped: {f.skipped} | | | {f.target} | — |")
            continue
        baseline = format_value(f.baseline, f.unit) if f.baseline is not None else "—"
        if f.baseline_label and f.baseline is not None:
            baseline = f"{baseline} ({f.baseline_label})"
        ratio_text = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[f.met]
        lines.append(f"| {f.name} | {format_value(f.value, f.unit)} | {baseline} | {ratio_text} | {f.target} | {met} |")
    return "\n".join(lines)
