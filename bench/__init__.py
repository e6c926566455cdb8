"""`make bench`: pollstui's speed and memory against the floor, measured in the same run.

Every figure is a ratio to a baseline measured in the same run, so a busy machine does not
decide the result: whole processes (spawn to exit, peak RSS from ``os.wait4``), one warm-up
of each side, then the median of at least 10 alternating runs (A B A B …).

- :mod:`.measure`      running processes, alternating runs, medians, ratios, the Figure row
- :mod:`.context`      isolated user directories and the reference servers the benchmarks use
- :mod:`.first_frame`  1. time to the first poll list (headless) vs a bare Textual app
- :mod:`.terminal`     2. first poll on screen in tmux vs the bare app's first frame
- :mod:`.cli_list`     3. ``pollstui list --json`` vs a minimal httpx script (curl beside it)
- :mod:`.memory`       4. peak RSS of the TUI vs a bare app with a 1,000-row DataTable
- :mod:`.scale`        5. 1,000 polls × 10 options: draw time, highlight moves, memory
- :mod:`.connections`  6. 200 requests through PollsClient vs a bare httpx loop; connections
- :mod:`.collector`    7. the garbage-collector moves of pollstui.tui.heap, each vs the code without it
- :mod:`.present`      8. present mode for a minute, votes arriving and not: CPU per second and
                       bytes to the terminal vs a bare static app; ``--soak``: its memory over 10 minutes
- :mod:`.keyring_token` 9. the first poll (``list --json``) with a token in the keyring vs one in the file
- :mod:`.overview`     10. an overview of 40 items (0.25 s each, 4 in flight) vs httpx; g vs enter in the TUI
- :mod:`.editor_options` 11. opening the editor on 1,000 options vs on 5
- ``children/``        the small programs the benchmarks run as child processes, and
                       ``launcher.py``, which starts them (so their peak memory is their own)

Run ``python -m bench`` (``--quick`` for a smoke run, ``--only NAME`` for one benchmark, ``--soak``
for present mode's ten-minute memory soak, outside the default table).
"""

BENCHMARKS = (
    "first_frame", "terminal", "cli_list", "memory", "scale", "connections", "collector", "present", "keyring_token",
    "overview", "editor_options",
)  # fmt: skip
