"""Starts the measured processes, so their peak memory is their own.

A child's ``ru_maxrss`` includes the memory of the process it was forked from (Linux counts the
pre-exec image, and vfork shares it outright), so children of the bench itself would inherit
its peak. This small process (standard library only, run with ``python -S``) forks them
instead: its own ~10 MiB is the floor, below anything measured.

Protocol, one JSON object per line each way:
request ``{"argv": [...], "env": {...}, "cwd": str|null, "timeout": s, "stdout": path, "stderr": path}``,
reply ``{"seconds": s, "maxrss_kb": n, "returncode": n}`` or ``{"error": "..."}``.
"""

import json
import os
import subprocess
import sys
import threading
import time


def run(request: dict) -> dict:
    with open(request["stdout"], "wb") as out, open(request["stderr"], "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            request["argv"], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=request["env"], cwd=request.get("cwd")
        )
        killer = threading.Timer(request.get("timeout", 120), proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": seconds, "maxrss_kb": usage.ru_maxrss, "returncode": proc.returncode}


def main() -> None:
    for line in sys.stdin:
        try:
            reply = run(json.loads(line))
        except Exception as exc:  # reported to the bench, which raises it there
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
