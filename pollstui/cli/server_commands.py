"""Commands that run something: the reference server, the demo, the browser mode, the TUI; and info."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pollstui import __version__, paths
from pollstui.api.address import ContentRef, is_loopback_host
from pollstui.api.errors import PollsError, register_secret
from pollstui.cli.common import PROG, UsageError, check_terminal, connect, connection_kwargs, warn, telling_warnings
from pollstui.cli.errors import MissingExtraError, ServeError
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection, NotConfiguredError, resolve_connection
from pollstui.text import one_line

#: The optional parts of pollstui: each extra, and the modules that tell it is installed.
EXTRAS = {"server": ("starlette", "uvicorn"), "web": ("textual_serve", "aiohttp")}

#: Simulated votes per second in `pollstui demo` (gentle: the bars move, nothing floods).
DEMO_VOTE_RATE = 1.5


def require_extras(command: str, *extras: str) -> None:
    """MissingExtraError naming every extra of ``extras`` that ``pollstui COMMAND`` needs and lacks."""
    import importlib

    def installed(extra: str) -> bool:
        try:
            for module in EXTRAS[extra]:
                importlib.import_module(module)
        except ImportError:
            return False
        return True

    missing = [extra for extra in extras if not installed(extra)]
    if missing:
        what = f"the {' and '.join(missing)} extra{'s' if len(missing) > 1 else ''}"
        raise MissingExtraError(f"{PROG} {command} needs {what}: pip install '{PROG}[{','.join(missing)}]'")


def cmd_serve(args: argparse.Namespace) -> int:
    import secrets
    import sqlite3

    require_extras("serve", "server")
    from pollstui.server import PollStore, serve_forever

    vote_seed = args.vote_seed
    if vote_seed is not None and not args.simulate_votes:
        raise UsageError("--vote-seed seeds the simulated voters: give --simulate-votes RATE as well.")
    token = args.token or secrets.token_urlsafe(24)
    db = Path(args.db) if args.db else paths.server_db()
    if not is_loopback_host(args.host):
        warn(
            f"serving on {args.host}: other machines can reach this server, and the token travels over "
            "plain http. Use --host 127.0.0.1 unless you mean it."
        )
    try:
        paths.ensure_private_dir(db.parent, ours=not args.db)
        store = PollStore(db)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"Cannot open the database {db}: {exc}.") from None
    try:
        voters = _simulated_voters(store, args.simulate_votes, vote_seed)
        if voters is not None:
            seeded = "" if vote_seed is None else f", seed {vote_seed}"
            print(
                f"Simulated voters: {args.simulate_votes:g} votes per second{seeded} "
                "(a demo mechanism; voting is not part of the Polls REST API).",
                flush=True,
            )
        serve_forever(store, token, args.host, args.port, seed=args.seed, seed_items=args.seed_items, voters=voters)
    except OSError as exc:
        raise ServeError(
            f"Cannot listen on {args.host}:{args.port}: {exc.strerror or exc}. "
            "Choose another --port, or stop the program using it."
        ) from None
    finally:
        store.close()
    return 0


def _simulated_voters(store: Any, rate: float | None, seed: int | None = None) -> Any:
    """Simulated voters for ``store`` at ``rate`` votes per second (None without a rate), their
    random choices seeded with ``seed`` when given (the same votes every run); not started yet."""
    if not rate:
        return None
    import random

    from pollstui.server.voters import VoteSimulator

    return VoteSimulator(store, rate, rng=None if seed is None else random.Random(seed))


def cmd_demo(args: argparse.Namespace) -> int:
    """The reference server, seeded, on a free loopback port, simulated voters, and the app on it.

    The app gets a throwaway profile store holding one "demo" profile whose pinned (and recent)
    items are the seeded Jira issues, so the sidebar and All items have them and the user's own
    profiles file is not touched.
    """
    import contextlib
    import secrets
    import tempfile

    require_extras("demo --web" if args.web else "demo", "server", *(["web"] if args.web else []))
    if not args.web:
        check_terminal("pollstui demo")
    from pollstui.tui.app import run_tui
    from pollstui.server import PollStore, ServerThread, create_app, endpoint_urls, seed_demo_data

    if args.db:
        db = Path(args.db)
    else:
        db = paths.demo_db()
        for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            leftover.unlink(missing_ok=True)
    paths.ensure_private_dir(db.parent, ours=not args.db)
    store = PollStore(db)
    try:
        seed_demo_data(store)
        token = secrets.token_urlsafe(24)
        register_secret(token)
        refs = [
            ContentRef.create("jira", item.workspace, item.content)
            for item in store.contents_with_polls()
            if item.product == "jira"
        ]
        with (
            tempfile.TemporaryDirectory(prefix="pollstui-demo-") as scratch,
            ServerThread(create_app(store, token, pages=True)) as server,
            _simulated_voters(store, None if args.no_votes else DEMO_VOTE_RATE) or contextlib.nullcontext(),
        ):
            endpoint = endpoint_urls(server.base_url)["jira"]
            demo_profiles = ProfileStore(Path(scratch) / "profiles.toml").load()
            # The server is the demo's site too (pollstui.server.pages): `o` and present mode's QR code work.
            # A scratch profile: its token stays out of the keyring.
            # Its items are pinned, so All items (g) has every seeded poll to show.
            demo_profiles.add(
                Profile("demo", endpoint, token, "jira", recents=refs, pinned=list(refs), site=server.base_url),
                keyring=False,
            )
            connection = Connection(
                endpoint=endpoint,
                token=token,
                product="jira",
                profile_name="demo",
                ref=refs[0] if refs else None,
            )
            if args.web:
                from pollstui.web import serve_demo

                result = serve_demo(connection, refs, port=args.port, site=server.base_url)
            else:
                result = run_tui(connection, profile_store=demo_profiles)
    finally:
        store.close()
    return result if isinstance(result, int) else 0


def cmd_web(args: argparse.Namespace) -> int:
    """The app in a browser, on the connection the options, the environment or a profile give."""
    require_extras("web", "web")
    connection, _ = connect(args, need_ref=False)
    from pollstui.web import serve_connection

    return serve_connection(connection, port=args.port)


def cmd_tui(args: argparse.Namespace) -> int:
    """The full-screen app. Its first request leaves before Textual is imported (a thread sends
    it while the app starts: :mod:`pollstui.session.prefetch`). The garbage collector waits for
    the app's first frame (:mod:`pollstui.tui.heap`)."""
    from pollstui.tui import heap

    check_terminal("pollstui's full-screen app")
    heap.pause()
    try:
        return _run_tui(args)
    finally:
        heap.resume()


def _run_tui(args: argparse.Namespace) -> int:
    from pollstui.session import prefetch

    with telling_warnings(ProfileStore()) as store:
        try:
            connection: Connection | None = resolve_connection(**connection_kwargs(args), store=store)
        except NotConfiguredError:
            connection = None
    profile = _profile_of(store, connection)
    early = prefetch.start(connection, profile)
    try:
        from pollstui.tui.app import run_tui

        result = run_tui(connection, profile_store=store if store.load_error is None else None, prefetch=early)
    finally:
        if early is not None:
            early.cancel()  # a no-op once the app has used it or closed it
    return result if isinstance(result, int) else 0


def _profile_of(store: ProfileStore, connection: Connection | None) -> Profile | None:
    if connection is None or not connection.profile_name or store.load_error is not None:
        return None
    try:
        return store.get(connection.profile_name)
    except PollsError:
        return None


def info_data() -> dict[str, Any]:
    """What `pollstui info` reports: the version and every file pollstui may write.

    The one source for both the text and the ``--json`` output: add a location here (or to
    :func:`pollstui.paths.all_locations`) and both show it.
    """
    files = [{"what": label, "path": str(path), "exists": path.exists()} for label, path in paths.all_locations().items()]
    return {"version": __version__, "files": files, "tokens": _token_places()}


def _token_places() -> list[dict[str, str]]:
    """Where each profile's token lives ("keyring" or "file"), read from the profiles file only
    (no keyring is asked); POLLS_TOKEN, when set, comes first: it wins over both."""
    import os

    from pollstui.settings import ENV_TOKEN

    places = [{"profile": "", "storage": ENV_TOKEN}] if os.environ.get(ENV_TOKEN, "").strip() else []
    store = ProfileStore()
    try:
        store.load()
    except PollsError:
        return places
    return places + [{"profile": name, "storage": p.token_place} for name, p in store.profiles.items()]


def cmd_info(args: argparse.Namespace) -> int:
    data = info_data()
    if getattr(args, "json", False):
        import json

        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{PROG} {data['version']}")
    width = max(len(entry["what"]) for entry in data["files"])
    for entry in data["files"]:
        state = "exists" if entry["exists"] else "not created yet"
        print(f"{entry['what']:<{width}}  {entry['path']}  ({state})")
    for place in data["tokens"]:
        if place["profile"]:
            where = "the keyring" if place["storage"] == "keyring" else "the config file"
            print(one_line(f"token of {place['profile']!r}: in {where}"))
        else:
            print(f"token: {place['storage']} is set, and used instead of a profile's token unless --profile names one")
    return 0
