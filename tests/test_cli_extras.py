"""Commands whose extra is not installed name it, in one line, and exit 2.

Each case runs pollstui in a fresh interpreter where an import hook makes the extra's packages
look uninstalled (as in a core-only install), so nothing here depends on what the test venv has.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

#: Runs `pollstui ARGS...` with the top-level packages named in BLOCKED unimportable.
_RUNNER = textwrap.dedent(
    """
    import importlib.abc, sys

    BLOCKED = set(sys.argv[1].split(",")) - {""}

    class NotInstalled(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NotInstalled())
    from pollstui.cli import main
    code = main(sys.argv[2:])
    print("TUI-IMPORTED" if "pollstui.tui.app" in sys.modules else "", file=sys.stderr)
    sys.exit(code)
    """
)


def pollstui_without(blocked: tuple[str, ...], *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _RUNNER, ",".join(blocked), *argv],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


SERVER = ("starlette", "uvicorn")
WEB = ("textual_serve", "aiohttp")


@pytest.mark.parametrize(
    ("blocked", "argv", "line"),
    [
        (SERVER, ["serve"], "pollstui serve needs the server extra: pip install 'pollstui[server]'"),
        (("uvicorn",), ["serve", "--seed"], "pollstui serve needs the server extra: pip install 'pollstui[server]'"),
        (SERVER, ["demo"], "pollstui demo needs the server extra: pip install 'pollstui[server]'"),
        (
            (*SERVER, *WEB), ["demo", "--web"],
            "pollstui demo --web needs the server and web extras: pip install 'pollstui[server,web]'",
        ),
        (WEB, ["web", "--endpoint", "http://127.0.0.1:9/x1/jira", "--token", "abcdefgh"],
         "pollstui web needs the web extra: pip install 'pollstui[web]'"),
    ],
    ids=["serve", "serve-half-installed", "demo", "demo-web-both-missing", "web"],
)
def test_missing_extra_is_one_line_exit_2(blocked, argv, line):
    result = pollstui_without(blocked, *argv)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = [text for text in result.stderr.splitlines() if text]
    assert lines == [line]  # and, in particular, no traceback and the TUI never started


def test_client_commands_work_without_the_extras(tmp_path):
    """A core install: list reaches a server (here, nothing listens) and info works, no extra asked for."""
    blocked = (*SERVER, *WEB)
    info = pollstui_without(blocked, "info")
    assert info.returncode == 0 and "config file" in info.stdout
    listed = pollstui_without(blocked, "list", "--endpoint", "http://127.0.0.1:9/x1/jira", "--token", "abcdefgh", "--content", "PLAT-1")
    assert listed.returncode == 6 and "extra" not in listed.stderr  # a network error, not a missing extra
