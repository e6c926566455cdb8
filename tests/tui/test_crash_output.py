"""An unexpected exception in the app: the crash report printed on exit never shows the token.

Textual's default report is rich's traceback with every frame's local variables, so a token held
in a local (a pasted URL, a request's params) reached the terminal, or the page in web mode.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

import pollstui.tui.app as app_module
from pollstui.tui.app import PollsApp

TOKEN = "tok-SECRET-crash-9876"


class CrashingApp(PollsApp):
    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def on_mount(self) -> None:
        pasted = f"https://polls.example/x1/jira?token={TOKEN}&type=polls"  # a local, as in rich's report
        raise RuntimeError(f"boom while opening {pasted}")


async def crash_report() -> str:
    app = CrashingApp(None)
    out = io.StringIO()
    app.error_console = Console(file=out, width=200)
    await app.run_async(headless=True)
    assert app.return_code == 1
    return out.getvalue()


async def test_crash_report_is_one_redacted_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLLSTUI_DEBUG", raising=False)
    text = await crash_report()
    assert "unexpected RuntimeError" in text and "POLLSTUI_DEBUG" in text
    assert TOKEN not in text
    assert "Traceback" not in text


async def test_debug_crash_report_is_a_redacted_traceback_without_locals(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLLSTUI_DEBUG", "1")
    text = await crash_report()
    assert "Traceback" in text and "on_mount" in text
    assert TOKEN not in text
