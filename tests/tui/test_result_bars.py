"""The detail pane's bars: option labels get the room they need before the bar."""

from __future__ import annotations

from rich.style import Style

from pollstui.tui.widgets.result_bars import MIN_BAR, BarLayout, BarRow, split_width

LONG = "Ship it on the July train with the hotfixes"  # 43 cells


def _rendered(width: int, rows: list[BarRow]) -> list[str]:
    layout = BarLayout.fit(rows, width, show_counts=True, bar_style=Style(), figure_style=Style(), muted=Style())
    return [layout.line(row).plain.rstrip() for row in rows]


def test_a_long_label_is_shown_whole_when_the_bar_keeps_its_room():
    lines = _rendered(80, [BarRow(LONG, 3, 75.0), BarRow("No", 1, 25.0)])
    assert lines[0].startswith(LONG + " "), lines[0]
    assert lines[1].startswith("No" + " " * (len(LONG) - 1)), "labels line up: every bar starts in one column"
    assert "75.0%" in lines[0] and "█" in lines[0]


def test_a_narrow_pane_cuts_the_label_not_the_bar():
    lines = _rendered(50, [BarRow(LONG, 3, 100.0)])
    label = lines[0].split("█")[0]
    assert "…" in label
    assert lines[0].count("█") >= MIN_BAR - 1


def test_split_width():
    assert split_width(60, 8) == (8, 52), "short labels: the bar takes the rest"
    assert split_width(60, 43) == (43, 17), "long labels: whole, while the bar keeps its minimum"
    assert split_width(30, 43) == (18, 12), "too long: the label is cut, the bar keeps MIN_BAR"
    assert split_width(15, 43)[0] == 10, "never under 10 cells of label"
