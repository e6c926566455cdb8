"""Horizontal result bars, one line per option: label, bar, percent and (unless hidden) count.

Bars are drawn with Unicode eighth blocks, so a bar grows in steps of 1/8 of a cell; they stay
readable without colour (``NO_COLOR``) because the blocks themselves carry the length.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

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


class ResultBars(Widget):
    """The options of a poll as bars. Set :attr:`rows` via :meth:`set_rows`."""

    DEFAULT_CSS = """
    ResultBars { height: auto; }
    ResultBars > .result-bars--bar { color: $accent; }
    ResultBars > .result-bars--figure { text-style: bold; }
    ResultBars > .result-bars--muted { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"result-bars--bar", "result-bars--figure", "result-bars--muted"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[BarRow] = []
        self.show_counts = True

    def set_rows(self, rows: list[BarRow], *, show_counts: bool) -> None:
        """Show ``rows``; a layout (which places the whole screen again) only when the height changes."""
        if rows == self.rows and show_counts == self.show_counts:
            return  # the same bars: nothing to paint
        laid_out = bool(self.content_size.width) and self.display
        same_height = laid_out and self.content_size.height == max(1, len(rows))
        self.rows = list(rows)
        self.show_counts = show_counts
        self.refresh(layout=not same_height)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return max(1, len(self.rows))

    def render(self) -> Text:
        if not self.rows:
            return Text("No options.", style=self.get_component_rich_style("result-bars--muted"))
        width = max(20, self.content_region.width or self.size.width or 60)
        bar_style = self.get_component_rich_style("result-bars--bar")
        figure_style = self.get_component_rich_style("result-bars--figure")
        muted = self.get_component_rich_style("result-bars--muted")
        counts = self.show_counts and any(r.votes is not None for r in self.rows)
        count_width = max((len(str(r.votes)) for r in self.rows if r.votes is not None), default=1) if counts else 0
        figures = 7 + (count_width + 2 if counts else 0)  # " 100.0%" + "  12"
        longest = max(cell_width(r.label) for r in self.rows)
        label_width, bar_width = split_width(width - figures - 2, longest)
        from pollstui.api.tally import format_percent

        out = Text(no_wrap=True, overflow="crop")
        for index, row in enumerate(self.rows):
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
