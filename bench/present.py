"""7. Present mode for an hour: CPU and bytes to the terminal, beside a bare static Textual app.

Each program runs in a pseudo-terminal of its own (100×30, ``TERM=xterm-256color``), as in a
terminal window: the bench reads everything it writes (as a terminal, or an SSH link, would
carry it). After :data:`SETTLE` seconds (start-up, the first list, present mode opening), the
window of :data:`SECONDS` opens: CPU seconds of the process (user + system, all its threads,
from ``/proc/PID/stat``) per wall second, and bytes written to the terminal per second.

- pollstui in present mode at the 2 s refresh on a server whose simulated voters cast
  :data:`VOTE_RATE` votes a second across the seeded polls, about one a second on the poll shown
  (a room voting): bars glide, counts change at most refreshes. The voters are seeded
  (:data:`VOTE_SEED`, ``pollstui serve --vote-seed``): every run gets the same votes on the same
  polls, so runs differ by the machine, not by where the votes fell. After the window the
  server's database says how many votes the poll shown got in it, and in how many of its 2 s
  slots (the figure's note);
- the same on a server with no voters: every refresh brings the same counts;
- beside them, in the same run, a bare Textual app showing one Label and nothing else
  (children/bare_label.py ``--stay``): what a static Textual screen costs here.

One window per side (a minute each by default): long windows, not many runs, make the figure.
``--quick`` shortens them to seconds (a smoke run, not figures). ``python -m bench --soak``
runs :func:`soak` instead (outside the default table): memory after ten minutes at a 1 s refresh
against memory after the first minute.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import sqlite3
import struct
import subprocess
import termios
import threading
import time
from datetime import datetime
from typing import NamedTuple

from bench.context import BenchContext, Server
from bench.measure import BenchError, Figure

NAME = "present"
CPU_TARGET_VOTES = 0.03
CPU_TARGET_QUIET = 0.005
SECONDS = 60.0
SETTLE = 8.0
VOTE_RATE = 10.0  # across the 11 seeded polls open to votes: about one a second on the poll shown
VOTE_SEED = 21
REFRESH = 2.0  # present mode's refresh (present_mode.py's PRESENT_INTERVAL default)
SOAK_SECONDS = 600.0
SOAK_FIRST = 60.0
SOAK_TARGET_KIB = 2048


class Terminal:
    """A program in a pseudo-terminal of 100×30, every byte it writes counted."""

    def __init__(self, argv: list[str], env: dict[str, str], *, columns: int = 100, lines: int = 30) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.master = master
        self.bytes = 0
        self.head = bytearray()  # the first bytes written, for an error message
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, name="bench-pty", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.bytes += len(chunk)
                if len(self.head) < 4096:
                    self.head += chunk[: 4096 - len(self.head)]

    def cpu_seconds(self) -> float:
        """User + system CPU of the process so far (every thread), from /proc."""
        try:
            with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError as exc:
            raise BenchError(f"the process ended early (exit {self.process.poll()})") from exc
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self) -> int:
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as file:
            for line in file:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise BenchError("no VmRSS in /proc")

    def written(self) -> int:
        with self._lock:
            return self.bytes

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        self._reader.join(5)


class Window(NamedTuple):
    cpu_per_s: float  # CPU seconds per wall second
    bytes_per_s: float  # bytes written to the terminal per second
    started: float  # time.time() at the window's start and end
    ended: float


def window(argv: list[str], env: dict[str, str], seconds: float, settle: float) -> Window:
    """CPU and bytes per second of ``argv`` over ``seconds`` after ``settle`` seconds."""
    terminal = Terminal(argv, env)
    try:
        time.sleep(settle)
        if terminal.process.poll() is not None:
            said = bytes(terminal.head).decode(errors="replace")[-300:]
            raise BenchError(f"{argv[1]} … exited with {terminal.process.returncode} before the window: {said!r}")
        cpu0, bytes0, t0, wall0 = terminal.cpu_seconds(), terminal.written(), time.monotonic(), time.time()
        time.sleep(seconds)
        cpu1, bytes1, t1, wall1 = terminal.cpu_seconds(), terminal.written(), time.monotonic(), time.time()
    finally:
        terminal.close()
    return Window((cpu1 - cpu0) / (t1 - t0), (bytes1 - bytes0) / (t1 - t0), wall0, wall1)


def shown_poll_votes(server: Server, started: float, ended: float) -> tuple[int, int, int]:
    """(votes, slots with a vote, slots): the votes the poll present mode shows (the content
    item's first) got between ``started`` and ``ended`` (``time.time()``), from the server's
    database, and how many of the :data:`REFRESH` slots since ``started`` had one. Votes are
    stamped to the second, so a slot is an estimate of a refresh; a vote later changed counts
    once, at its change."""
    if server.db is None:
        raise BenchError("the voting server's database is not known")
    with contextlib.closing(sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)) as db:
        (poll_id,) = db.execute(
            "SELECT id FROM polls WHERE workspace=? AND content=? ORDER BY seq LIMIT 1", (server.workspace, server.content)
        ).fetchone()
        stamps = db.execute("SELECT DISTINCT voter, created_at FROM votes WHERE poll_id=?", (poll_id,)).fetchall()
    times = [datetime.fromisoformat(stamp).timestamp() + 0.5 for _, stamp in stamps]
    inside = [t - started for t in times if started <= t < ended]
    slots = int((ended - started) // REFRESH)
    return len(inside), len({int(t // REFRESH) for t in inside if t < slots * REFRESH}), slots


def terminal_env(ctx: BenchContext, **extra: str) -> dict[str, str]:
    env = ctx.env(TERM="xterm-256color", **extra)
    env.pop("COLUMNS")  # the pseudo-terminal's size decides
    env.pop("LINES")
    return env


def run(ctx: BenchContext) -> list[Figure]:
    seconds, settle = (6.0, 5.0) if ctx.quick else (SECONDS, SETTLE)
    quiet = ctx.seeded_server()
    voting = ctx.voting_server(VOTE_RATE, VOTE_SEED)
    present = [ctx.python, ctx.child("present_mode.py")]
    bare_cpu, bare_bytes, *_ = window([ctx.python, ctx.child("bare_label.py"), "--stay"], terminal_env(ctx), seconds, settle)
    votes_cpu, votes_bytes, started, ended = window([*present, *voting.cli_args()], terminal_env(ctx), seconds, settle)
    quiet_cpu, quiet_bytes, *_ = window([*present, *quiet.cli_args()], terminal_env(ctx), seconds, settle)
    shown_votes, changed, slots = shown_poll_votes(voting, started, ended)
    window_note = f"one {seconds:g} s window per side after {settle:g} s, 100×30 pty"
    bare = "bare static Textual app"
    return [
        Figure(
            NAME, "Present mode, votes arriving: CPU per second", votes_cpu, "core", baseline=bare_cpu,
            baseline_label=bare, limit=CPU_TARGET_VOTES, absolute=True, runs=1,
            note=f"{VOTE_RATE:g} simulated votes/s across the seeded polls (seed {VOTE_SEED}), 2 s refresh; the poll "
            f"shown got {shown_votes} votes in the window, in {changed} of its {slots} two-second slots; {window_note}",
            extra={"cpu_per_s": votes_cpu, "bare_cpu_per_s": bare_cpu, "shown_votes": shown_votes,
                   "shown_slots_changed": changed, "slots": slots},
        ),
        Figure(
            NAME, "Present mode, no votes: CPU per second", quiet_cpu, "core", baseline=bare_cpu,
            baseline_label=bare, limit=CPU_TARGET_QUIET, absolute=True, runs=1,
            note=f"the same counts at every 2 s refresh; {window_note}",
            extra={"cpu_per_s": quiet_cpu, "bare_cpu_per_s": bare_cpu},
        ),
        Figure(
            NAME, "Present mode, votes arriving: bytes to the terminal", votes_bytes, "B/s", baseline=bare_bytes,
            baseline_label=bare, runs=1, note=f"what an SSH link carries; no votes: {quiet_bytes:.0f} B/s; {window_note}",
            extra={"votes_bytes_per_s": votes_bytes, "quiet_bytes_per_s": quiet_bytes, "bare_bytes_per_s": bare_bytes},
        ),
    ]  # fmt: skip


def soak(ctx: BenchContext) -> list[Figure]:
    """Present mode for :data:`SOAK_SECONDS` at a 1 s refresh with votes arriving: resident memory
    at the end against after the first minute (``--quick``: 30 s against 10 s)."""
    total, first = (30.0, 10.0) if ctx.quick else (SOAK_SECONDS, SOAK_FIRST)
    voting = ctx.voting_server(VOTE_RATE, VOTE_SEED)
    terminal = Terminal([ctx.python, ctx.child("present_mode.py"), *voting.cli_args()], terminal_env(ctx, PRESENT_INTERVAL="1"))
    try:
        time.sleep(first)
        early = terminal.rss_kib()
        time.sleep(total - first)
        late = terminal.rss_kib()
    finally:
        terminal.close()
    return [
        Figure(
            NAME, f"Present mode soak: memory growth from {first:g} s to {total:g} s", late - early, "KiB",
            limit=SOAK_TARGET_KIB, absolute=True, runs=1,
            note=f"RSS {early / 1024:.1f} MiB after {first:g} s, {late / 1024:.1f} MiB after {total:g} s; 1 s refresh, "
            f"{VOTE_RATE:g} votes/s",
            extra={"early_kib": early, "late_kib": late},
        )
    ]  # fmt: skip
