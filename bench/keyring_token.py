"""9. The first poll with a token kept in the keyring, beside the same with the token in the file.

Two profiles in one profiles file, for the same seeded content: ``kr`` keeps its token in the
keyring (a backend configured in keyring's ``keyringrc.cfg``: bench/children/file_keyring.py,
since the bench machine has no desktop keyring), ``file`` in the file. ``pollstui list --json
--profile kr`` and ``--profile file`` alternate; both must print the same JSON. The ratio is
what a keyring-stored token costs the first request (importing ``keyring``, loading the backend,
one read in a thread under the time limit). Reported for context: no target.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.context import CHILDREN, BenchContext
from bench.measure import BenchError, Figure, alternate, median, run_process, spread

NAME = "keyring_token"


def run(ctx: BenchContext) -> list[Figure]:
    server = ctx.seeded_server()
    env = ctx.env()
    keyring_config = Path(env["XDG_CONFIG_HOME"]) / "python_keyring"  # keyring's own config folder
    keyring_config.mkdir(parents=True)
    (keyring_config / "keyringrc.cfg").write_text(
        f"[backend]\ndefault-keyring=file_keyring.FileKeyring\nkeyring-path={CHILDREN}\n"
    )
    for name, extra in (("kr", []), ("file", ["--insecure-storage"])):
        add = [ctx.pollstui, "profile", "add", name, "--endpoint", server.endpoint, "--token", server.token, *extra]
        run_process(add, env=env)
    profiles = run_process([ctx.pollstui, "profile", "list", "--json"], env=env)
    places = {p["name"]: p["tokenStorage"] for p in json.loads(profiles.stdout)}
    if places != {"kr": "keyring", "file": "file"}:
        raise BenchError(f"the profiles did not keep their tokens where asked: {places}")

    def first_poll(profile: str):  # noqa: ANN202
        return lambda: run_process([ctx.pollstui, "list", "--json", "--profile", profile, "--content", server.content], env=env)

    keyring_runs, file_runs = alternate(first_poll("kr"), first_poll("file"), ctx.runs, warmup=ctx.warmup)
    if json.loads(keyring_runs[-1].stdout) != json.loads(file_runs[-1].stdout):
        raise BenchError("the keyring and the file profile printed different JSON")
    ours, base = [s.seconds for s in keyring_runs], [s.seconds for s in file_runs]
    return [
        Figure(
            NAME, "pollstui list --json, token in the keyring", median(ours), "s", baseline=median(base),
            baseline_label="token in the profiles file", runs=ctx.runs,
            note=f"for reference: no target. runs: keyring {spread(ours)} s, file {spread(base)} s",
            extra={"keyring_s": ours, "file_s": base},
        )
    ]  # fmt: skip
