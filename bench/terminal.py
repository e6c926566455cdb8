"""2. First poll on screen in a real terminal: tmux, 100×30.

One tmux server on its own socket (no user config) stays up for the whole benchmark; each run
is a new detached session whose command is the program. The clock starts just before
``tmux new-session`` and stops when ``tmux capture-pane -p`` (polled about every 10 ms) first
shows the text: a seeded poll's title that only the poll list shows, or the bare app's Label.
Beside them, the floor for a screen of pollstui's shape in a terminal: the bare app of the same
widgets (children/bare_pane.py ``first --stay``), until its table's second row is on screen.
Then the session is killed and the next run waits until the program's process is gone.
The capture polling costs both sides the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

from bench.context import SEEDED_TITLE, BenchContext
from bench.measure import BenchError, Figure, alternate_many, median, shape_note, spread

NAME = "terminal"
TARGET = 1.6
#: Seconds the far server's proxy holds each request, and the target for that figure.
FAR_DELAY = 0.4
FAR_TARGET = 1.0
POLL_INTERVAL = 0.010
TIMEOUT = 30.0
BARE_LABEL = "bare textual app: first frame"
SHAPE_ROW = "Which release train should 4.2 ship on?"  # children/bare_pane.py's second row
WHY_NOT_FAR = (
    "the request leaves at process start, so the wait overlaps Textual's start-up; what is left is the "
    "app's start beyond the bare app's (the first figure), paid after the answer when it comes first."
)
WHY_NOT = (
    "most of it is the screen: a bare app of pollstui's shape takes the 'shape' ratio in the note; the "
    "rest is the start-up work of the headless figure (the CLI, pollstui's modules, the theme's "
    "stylesheet refresh), with no teardown on either side to dilute it."
)


class Tmux:
    def __init__(self, socket_name: str) -> None:
        self.socket = socket_name
        self.count = 0

    def __call__(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True, timeout=30
        )
        if check and result.returncode != 0:
            raise BenchError(f"tmux {args[0]} failed: {result.stderr.strip()}")
        return result.stdout

    def start_server(self) -> None:
        # A session that keeps the server up, so no run pays for starting tmux itself.
        self("new-session", "-d", "-s", "keep", "-x", "100", "-y", "30", "sleep 86400")

    def kill_server(self) -> None:
        self("kill-server", check=False)

    def time_until(self, argv: list[str], env: dict[str, str], needle: str) -> float:
        """Seconds from starting ``argv`` in a fresh 100×30 session until ``needle`` is on screen."""
        self.count += 1
        session = f"run{self.count}"
        assignments = [f"{k}={v}" for k, v in env.items()]
        start = time.perf_counter()
        pid = self(
            "new-session", "-d", "-P", "-F", "#{pane_pid}", "-s", session, "-x", "100", "-y", "30",
            "env", "-i", *assignments, *argv,
        ).strip()  # fmt: skip
        try:
            while True:
                screen = self("capture-pane", "-p", "-t", session, check=False)
                now = time.perf_counter()
                if needle in screen:
                    return now - start
                if now - start > TIMEOUT:
                    raise BenchError(f"{needle!r} did not appear within {TIMEOUT:g} s; the screen was:\n{screen}")
                time.sleep(max(0.0, POLL_INTERVAL - (time.perf_counter() - now)))
        finally:
            self("kill-session", "-t", session, check=False)
            _wait_gone(int(pid) if pid.isdigit() else None)


def _wait_gone(pid: int | None, timeout: float = 10.0) -> None:
    if pid is None:
        return
    deadline = time.monotonic() + timeout
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.01)


def run(ctx: BenchContext) -> list[Figure]:
    name = "First poll on screen in tmux 100×30"
    if shutil.which("tmux") is None:
        return [Figure(NAME, name, None, "s", limit=TARGET, skipped="tmux not installed")]
    server = ctx.seeded_server()
    tmux = Tmux(f"pollstui-bench-{os.getpid()}")
    tmux.start_server()
    try:

        def terminal_env() -> dict[str, str]:
            env = ctx.env()
            env.pop("COLUMNS")  # the pane's size decides
            env.pop("LINES")
            env["TERM"] = "tmux-256color" if _has_terminfo("tmux-256color") else "screen-256color"
            return env

        bare = [ctx.python, ctx.child("bare_label.py"), "--stay"]
        tui = [ctx.pollstui, *server.cli_args()]
        far = [ctx.pollstui, *ctx.delayed(server, FAR_DELAY).cli_args()]
        shape = [ctx.python, ctx.child("bare_pane.py"), "first", "--stay"]
        a, b, c, d = alternate_many(
            [
                lambda: tmux.time_until(bare, terminal_env(), BARE_LABEL),
                lambda: tmux.time_until(tui, terminal_env(), SEEDED_TITLE),
                lambda: tmux.time_until(far, terminal_env(), SEEDED_TITLE),
                lambda: tmux.time_until(shape, terminal_env(), SHAPE_ROW),
            ],
            ctx.runs,
            warmup=ctx.warmup,
        )
    finally:
        tmux.kill_server()
    note = f"capture-pane every {POLL_INTERVAL * 1000:.0f} ms"
    return [
        Figure(
            NAME, name, median(b), "s", baseline=median(a), baseline_label="bare app's Label", limit=TARGET,
            runs=ctx.runs, note=(
                f"{shape_note(b, d, a)}; runs: pollstui {spread(b)} s, bare {spread(a)} s; {note}"
            ),
            extra={"pollstui_s": b, "bare_s": a, "shape_s": d}, why_not=WHY_NOT,
        ),
        Figure(
            NAME, "First frame of a bare app of pollstui's screen shape in tmux 100×30", median(d), "s",
            baseline=median(a), baseline_label="bare app's Label", runs=ctx.runs,
            note=f"the floor for the first figure's screen; runs {spread(d)} s; {note}", extra={"shape_s": d},
        ),
        Figure(
            NAME, f"First poll on screen, server {FAR_DELAY:g} s away", median(c), "s",
            baseline=median(a) + FAR_DELAY, baseline_label=f"bare app's Label + {FAR_DELAY:g} s", limit=FAR_TARGET,
            runs=ctx.runs, note=f"runs: pollstui {spread(c)} s; a proxy holds each request {FAR_DELAY:g} s; {note}",
            extra={"pollstui_far_s": c, "bare_s": a}, why_not=WHY_NOT_FAR,
        ),
    ]  # fmt: skip


def _has_terminfo(name: str) -> bool:
    return subprocess.run(["infocmp", name], capture_output=True).returncode == 0 if shutil.which("infocmp") else False
