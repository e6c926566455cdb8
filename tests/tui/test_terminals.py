"""The terminals people really have: 16 colours (TERM=xterm), NO_COLOR, and small windows.

A 16-colour terminal gets what Rich's colour system makes of the theme's truecolor
(``Color.downgrade(ColorSystem.STANDARD)``, what Textual sends when TERM=xterm). The snapshots
here apply that same downgrade as a line filter, so the SVG shows what such a terminal shows.
"""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter

from tests.tui.test_snapshots import _loaded, demo_app  # noqa: F401  (demo_app is a fixture)

#: Rich's standard palette numbers: 9 is bright red (ESC[91m).
BRIGHT_RED = 9


def _downgraded(style: Style) -> Style:
    return Style(
        color=style.color.downgrade(ColorSystem.STANDARD) if style.color else None,
        bgcolor=style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None,
    )


class SixteenColours(LineFilter):
    """What a TERM=xterm terminal receives: every colour as one of the 16 ANSI colours."""

    def apply(self, segments: list[Segment], background) -> list[Segment]:  # noqa: ANN001
        return [
            Segment(text, (style + _downgraded(style)) if style else style, control)
            for text, style, control in segments
        ]


def sixteen_colours(app) -> None:  # noqa: ANN001
    # Textual has no public hook for output filters; NO_COLOR uses this same list.
    app._filters.append(SixteenColours())


def _screen_styles(app) -> list[tuple[str, Style]]:  # noqa: ANN001
    found = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            if segment.text.strip() or segment.style:
                found.append((segment.text, _downgraded(segment.style or Style())))
    return found


async def test_sixteen_colours_are_calm_and_backgrounds_never_default(demo_app):  # noqa: F811
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await _loaded(pilot)
        for screen_keys in ((), ("p",)):
            for key in screen_keys:
                await pilot.press(key)
                await _loaded(pilot)
            styles = _screen_styles(pilot.app)
            bars = [s for text, s in styles if "█" in text]
            assert bars, "the result bars are on screen"
            red = [text for text, s in styles if s.color is not None and s.color.number == BRIGHT_RED]
            assert not red, f"bright red on screen: {red[:5]}"
            default_bg = [text for text, s in styles if s.bgcolor is None or s.bgcolor.is_default]
            assert not default_bg, f"cells left on the terminal's default background: {default_bg[:5]}"


def test_main_screen_sixteen_colours(snap_compare, demo_app):  # noqa: F811
    sixteen_colours(demo_app)
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")


def test_main_screen_no_color(snap_compare, no_color, demo_app):  # noqa: F811
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)
