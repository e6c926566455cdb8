"""Horizontal result bars, one line per option: label, bar, percent and (unless hidden) count.

Bars are drawn with Unicode eighth blocks, so a bar grows in steps of 1/8 of a cell; they stay
readable without colour (``NO_COLOR``) because the blocks themselves carry the length.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from pollstui.text import cell_width, truncate

_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"


@dataclass(frozen=True)
class BarRow:
    """One option: its label, votes (``None`` when unknown) and share of all votes in percent."""

    label: str
    votes: int | None
    percent: float | None


def bar(fraction: float, width: int) -> str:
    """A bar ``fraction`` (0…1) of ``width`` cells long, in eighth-block steps, padded to ``width``."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    text = _FULL * full + (_EIGHTHS[rest] if rest else "")
    return text.ljust(width)


#: The fewest cells a bar keeps when labels are long: short enough for labels, long enough to compare.
MIN_BAR = 12


def split_width(room: int, longest: int) -> tuple[int, int]:
    """(label width, bar width) for ``room`` cells: labels get what they need, bars keep :data:`MIN_BAR`."""
    label = max(1, min(longest, max(10, room - MIN_BAR)))
    return label, max(4, room - label)


def bars_text(
    rows: list[BarRow], width: int, *, show_counts: bool, bar_style: Style, figure_style: Style, muted: Style
) -> Text:
    """The bars of ``rows`` in ``width`` cells: one line per option (label, bar, percent and,
    when ``show_counts``, the count); the labels get the room they need before the bars."""
    if not rows:
        return Text("No options.", style=muted)
    width = max(20, width)
    counts = show_counts and any(r.votes is not None for r in rows)
    count_width = max((len(str(r.votes)) for r in rows if r.votes is not None), default=1) if counts else 0
    figures = 7 + (count_width + 2 if counts else 0)  # " 100.0%" + "  12"
    longest = max(cell_width(r.label) for r in rows)
    label_width, bar_width = split_width(width - figures - 2, longest)
    from pollstui.api.results import format_percent

    out = Text(no_wrap=True, overflow="crop")
    for index, row in enumerate(rows):
        if index:
            out.append("\n")
        label = truncate(row.label or "(no title)", label_width)
        out.append(label + " " * (label_width - cell_width(label)) + " ")
        if row.percent is None:
            out.append(" " * bar_width + " ")
            out.append("     —".rjust(7), muted)
        else:
            out.append(bar(row.percent / 100.0, bar_width), bar_style)
            out.append(" ")
            out.append(format_percent(row.percent).rjust(6), figure_style)
        if counts:
            value = "—" if row.votes is None else str(row.votes)
            out.append("  " + value.rjust(count_width), muted)
    return out
