"""The core never imports the UI, and the CLI's quick paths import nothing heavy.

Each check runs in a fresh interpreter, since this test process has imported everything already
(the idea is harlequin's tests/unit_tests/test_import_hygiene.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("textual", "httpx", "pydantic")


def loaded_after(code: str, *, timeout: float = 60) -> set[str]:
    """Top-level package names in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    script = textwrap.dedent(code) + textwrap.dedent(
        """
        import json as _json, sys as _sys
        print("\\n@@" + _json.dumps(sorted({m.split(".")[0] for m in _sys.modules})))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    marker = next(line for line in result.stdout.splitlines() if line.startswith("@@"))
    return set(json.loads(marker[2:]))


def imported_by_entry_point(*argv: str) -> set[str]:
    """Modules ``python -m pollstui ARGV`` imports, read from ``-X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pollstui", *argv],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name.split(".")[0])
    assert "pollstui" in names
    return names


@pytest.mark.parametrize(
    "module",
    [
        "pollstui.api", "pollstui.api.client", "pollstui.api.models", "pollstui.profiles", "pollstui.settings",
        "pollstui.cli", "pollstui.session", "pollstui.session.saving", "pollstui.session.changes",
    ],
)  # fmt: skip
def test_core_modules_do_not_import_textual(module):
    assert "textual" not in loaded_after(f"import {module}")


@pytest.mark.parametrize(
    "module",
    [
        "pollstui.api.address", "pollstui.api.errors", "pollstui.paths", "pollstui.profiles", "pollstui.settings",
        "pollstui.cli", "pollstui.cli.output",
    ],
)  # fmt: skip
def test_startup_modules_are_stdlib_only(module):
    loaded = loaded_after(f"import {module}")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_the_session_layer_works_without_textual(ref_server):
    """Not only importing: loading, saving and undoing run without Textual ever being imported."""
    loaded = loaded_after(
        f"""
        import asyncio
        from pollstui.api.address import ContentRef
        from pollstui.session.session import Session
        from pollstui.settings import Connection

        class Yes:
            async def confirm(self, question):
                return True

        async def main():
            ref = ContentRef.create("jira", "PLAT", "PLAT-254604")
            session = Session(Connection({ref_server.jira_endpoint!r}, {ref_server.token!r}, "jira"))
            listing = await session.load(ref)
            poll = listing.polls[0].model()
            edited = poll.clone()
            edited.description = "changed"
            assert (await session.save(ref, edited, poll, Yes())).saved
            assert (await session.undo(Yes())).done
            await session.aclose()

        asyncio.run(main())
        """
    )
    assert "textual" not in loaded and "httpx" in loaded


def test_resolving_a_connection_and_saving_a_profile_stay_light():
    loaded = loaded_after(
        """
        from pollstui.profiles import Profile, ProfileStore
        from pollstui.settings import resolve_connection
        store = ProfileStore().load()
        store.add(Profile("p", "https://x.example/x1", "tok-12345678"))
        resolve_connection(env={}, content="PLAT-1")
        """
    )
    assert not loaded & set(HEAVY)


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["list", "--help"], ["results", "--help"], ["info"]])
def test_quick_commands_import_nothing_heavy(argv):
    imported = imported_by_entry_point(*argv)
    assert not imported & set(HEAVY), imported & set(HEAVY)


def _list_json_modules(ref_server) -> set[str]:
    return loaded_after(
        f"""
        import runpy, sys
        sys.argv = ["pollstui", "list", "--json", "--endpoint", {ref_server.jira_endpoint!r},
                    "--token", {ref_server.token!r}, "--content", "PLAT-254604"]
        try:
            runpy.run_module("pollstui", run_name="__main__")
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        """
    )


def test_list_json_does_not_import_textual(ref_server):
    loaded = _list_json_modules(ref_server)
    # It did talk to the server (it exited 0 with the list) …
    assert "httpx" not in loaded  # … with one plain GET (http.client): a clean answer needs no httpx
    assert "h11" not in loaded
    assert "textual" not in loaded


def test_list_json_does_not_import_pydantic(ref_server):
    assert "pydantic" not in _list_json_modules(ref_server)


def test_overview_does_not_import_textual(ref_server):
    loaded = loaded_after(
        f"""
        import runpy, sys
        sys.argv = ["pollstui", "overview", "--json", "--endpoint", {ref_server.jira_endpoint!r},
                    "--token", {ref_server.token!r}, "PLAT-254604,MOBI-1207"]
        try:
            runpy.run_module("pollstui", run_name="__main__")
        except SystemExit as exc:
            assert exc.code == 0, exc.code
        """
    )
    assert "textual" not in loaded
