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


@dataclass(frozen=True)
class BarLayout:
    """Where each part of a bar line goes, for one list of rows in one width (:meth:`fit`);
    :meth:`line` draws one row, so a long list is drawn a line at a time, as it is scrolled to."""

    label_width: int
    bar_width: int
    count_width: int  # 0: no counts
    bar_style: Style
    figure_style: Style
    muted: Style

    @classmethod
    def fit(
        cls, rows: list[BarRow], width: int, *, show_counts: bool, bar_style: Style, figure_style: Style, muted: Style
    ) -> BarLayout:
        """The labels get the room they need before the bars; figures are the percent and, when
        ``show_counts`` and some count is known, the count."""
        width = max(20, width)
        counts = show_counts and any(r.votes is not None for r in rows)
        count_width = max((len(str(r.votes)) for r in rows if r.votes is not None), default=1) if counts else 0
        figures = 7 + (count_width + 2 if counts else 0)  # " 100.0%" + "  12"
        longest = max((cell_width(r.label) for r in rows), default=1)
        label_width, bar_width = split_width(width - figures - 2, longest)
        return cls(label_width, bar_width, count_width, bar_style, figure_style, muted)

    def line(self, row: BarRow) -> Text:
        """One option: label, bar, percent and (when counts are shown) count."""
        from pollstui.api.results import format_percent

        out = Text(no_wrap=True, overflow="crop")
        label = truncate(row.label or "(no title)", self.label_width)
        out.append(label + " " * (self.label_width - cell_width(label)) + " ")
        if row.percent is None:
            out.append(" " * self.bar_width + " ")
            out.append("     —".rjust(7), self.muted)
        else:
            out.append(bar(row.percent / 100.0, self.bar_width), self.bar_style)
            out.append(" ")
            out.append(format_percent(row.percent).rjust(6), self.figure_style)
        if self.count_width:
            value = "—" if row.votes is None else str(row.votes)
            out.append("  " + value.rjust(self.count_width), self.muted)
        return out
