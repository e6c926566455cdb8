"""Result bars for the big screen: wide, thick when there is room, and moving smoothly.

Each option is a label line (the option, then its percent and count at the right edge) and a
bar across the whole width below it, so the full width is 100 %. The bars are the ones
:func:`pollstui.tui.widgets.result_bars.bar` draws (Unicode eighth blocks: a bar grows in
steps of 1/8 of a cell), one to six lines thick depending on the height available; when even
one line each does not fit, the options fall back to one line each (label, bar, figures).

New values do not jump: :meth:`LiveBars.set_rows` animates the reactive :attr:`progress` from
0 to 1 over half a second and every bar is drawn between where it was and where it goes.
Textual skips the animation when animations are turned off (``TEXTUAL_ANIMATIONS=none``).
Without colour (``NO_COLOR``) the blocks still carry the length.

Drawn only when something drawn changes, for a projector left on for an hour: Textual's animator
steps :attr:`progress` at its own frame rate, but the widget redraws only when a bar's length in
eighths of a cell (:meth:`LiveBars.drawn_lengths`) differs from what is on screen, at most
:data:`FRAMES_PER_SECOND` times a second (the last step is always drawn). Rows equal to the ones
shown draw nothing at all.
"""

from __future__ import annotations

import time

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from pollstui.text import cell_width, truncate
from pollstui.tui.widgets.result_bars import BarRow, bar

#: How long bars take to reach new values, in seconds.
ANIMATION_SECONDS = 0.5

#: The most a gliding bar is redrawn per second: plenty for a projector (a glide of half a second
#: is 12 frames), and a fraction of the animator's 60.
FRAMES_PER_SECOND = 24

#: The thickest a bar gets, in lines.
MAX_THICKNESS = 6


def plan_layout(options: int, height: int) -> tuple[str, int, int]:
    """``(mode, thickness, gap)`` for ``options`` options in ``height`` lines.

    ``stacked``: a label line then ``thickness`` bar lines per option, ``gap`` blank lines
    between options. ``inline``: one line per option.
    """
    options = max(options, 1)
    for thickness in range(MAX_THICKNESS, 0, -1):
        gap = 2 if thickness >= 4 else 1
        if options * (1 + thickness) + (options - 1) * gap <= height:
            return "stacked", thickness, gap
    if options * 2 <= height:
        return "stacked", 1, 0
    return "inline", 1, 0


def figures_text(row: BarRow, *, show_count: bool, count_width: int, unit: bool) -> tuple[str, str]:
    """The percent (``"42.9%"``) and count (``"3 votes"`` or ``"3"``) of a row, as shown."""
    from pollstui.api.results import format_percent

    percent = "—" if row.percent is None else format_percent(row.percent)
    if not show_count:
        return percent, ""
    if row.votes is None:
        return percent, "—".rjust(count_width)
    count = str(row.votes).rjust(count_width)
    if unit:
        count += " vote" if row.votes == 1 else " votes"
    return percent, count


class LiveBars(Widget):
    """Results of one poll as big bars. Call :meth:`set_rows` with new values."""

    DEFAULT_CSS = """
    LiveBars { height: 1fr; }
    LiveBars > .live-bars--bar { color: $accent; }
    LiveBars > .live-bars--track { background: $foreground 10%; }
    LiveBars > .live-bars--label { text-style: bold; }
    LiveBars > .live-bars--percent { text-style: bold; }
    LiveBars > .live-bars--count { color: $text-muted; }
    LiveBars > .live-bars--muted { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES = {
        "live-bars--bar",
        "live-bars--track",
        "live-bars--label",
        "live-bars--percent",
        "live-bars--count",
        "live-bars--muted",
    }

    #: 0 → the bars stand where they were, 1 → where the new values put them. Not a repaint by
    #: itself: :meth:`watch_progress` redraws when a drawn length changes.
    progress: reactive[float] = reactive(1.0, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[BarRow] = []
        self.show_counts = True
        self.empty_text = "No options."
        self._start: list[float] = []
        self._target: list[float] = []
        self._drawn: tuple[int, ...] | None = None  # the eighths on screen, as last rendered
        self._drawn_at = 0.0  # time.monotonic() of that render
        self._widths: tuple[object, tuple[int, int]] = (None, (0, 0))  # _inline_widths' last answer, and for what
        #: How many times the widget has been rendered (for tests and the bench: what was drawn).
        self.renders = 0

    # --- values ------------------------------------------------------------------------------

    def set_rows(self, rows: list[BarRow], *, show_counts: bool, empty_text: str = "No options.",
                 from_zero: bool = False) -> None:
        """Show ``rows``; bars move from where they are (or from zero) to the new values. The same
        rows as shown (and not ``from_zero``) draw nothing."""
        if (
            not from_zero
            and rows == self.rows
            and show_counts == self.show_counts
            and empty_text == self.empty_text
            and self.progress >= 1.0
        ):
            return
        same_options = [r.label for r in rows] == [r.label for r in self.rows]
        start = self.fractions() if same_options and not from_zero else [0.0] * len(rows)
        self.rows = list(rows)
        self._widths = (None, (0, 0))
        self.show_counts = show_counts
        self.empty_text = empty_text
        self._start = start
        self._target = [(r.percent or 0.0) / 100.0 for r in rows]
        if self._start == self._target:
            self.progress = 1.0
            self.refresh()
            return
        self.set_reactive(LiveBars.progress, 0.0)
        self.animate("progress", 1.0, duration=ANIMATION_SECONDS, easing="out_cubic")
        self.refresh()

    def fractions(self) -> list[float]:
        """Where each bar is drawn right now (0…1), mid-animation included."""
        p = min(max(self.progress, 0.0), 1.0)
        return [s + (t - s) * p for s, t in zip(self._start, self._target)]

    @property
    def target_fractions(self) -> list[float]:
        return list(self._target)

    def watch_progress(self, value: float) -> None:
        """A step of the glide: redraw only when a drawn length changes, at most
        :data:`FRAMES_PER_SECOND` times a second; the last step is always drawn."""
        lengths = self.drawn_lengths()
        if lengths == self._drawn:
            return
        if value < 1.0 and time.monotonic() - self._drawn_at < 1.0 / FRAMES_PER_SECOND:
            return
        self.refresh()

    def drawn_lengths(self) -> tuple[int, ...]:
        """Each drawn bar's length in eighths of a cell as it would be drawn now (the width first;
        only the bars that fit: a poll may have thousands of options)."""
        width = self._bar_width()
        height = max(1, self.content_region.height or self.size.height or 1)
        return (width, *(round(min(max(f, 0.0), 1.0) * width * 8) for f in self.fractions()[:height]))

    def _bar_width(self) -> int:
        width = max(10, self.content_region.width or self.size.width or 60)
        if not self.rows:
            return width
        height = max(1, self.content_region.height or self.size.height or 1)
        if plan_layout(len(self.rows), height)[0] == "stacked":
            return width
        return self._inline_widths(width)[1]

    def _inline_widths(self, width: int) -> tuple[int, int]:
        """(label width, bar width) of the one-line-per-option layout (worked out once per rows and width)."""
        key = (width, self.show_counts)
        if self._widths[0] != key:
            self._widths = (key, self._fit_inline(width))
        return self._widths[1]

    def _fit_inline(self, width: int) -> tuple[int, int]:
        figures = [figures_text(r, show_count=self.show_counts, count_width=self._count_width(), unit=False) for r in self.rows]
        percent_width = max(cell_width(p) for p, _ in figures)
        figure_width = percent_width + (2 + self._count_width() if self.show_counts else 0)
        longest = max(cell_width(r.label or "(no title)") for r in self.rows)
        label_width = min(longest, max(8, (width - figure_width) // 3))
        return label_width, max(1, width - label_width - figure_width - 2)

    # --- drawing -----------------------------------------------------------------------------

    def render(self) -> Text:
        self.renders += 1
        self._drawn = self.drawn_lengths()
        self._drawn_at = time.monotonic()
        width = max(10, self.content_region.width or self.size.width or 60)
        height = max(1, self.content_region.height or self.size.height or 1)
        if not self.rows:
            return Text(self.empty_text, style=self.get_component_rich_style("live-bars--muted"))
        mode, thickness, gap = plan_layout(len(self.rows), height)
        if mode == "inline":
            return self._render_inline(width, height)
        return self._render_stacked(width, height, thickness, gap)

    def _styles(self) -> dict[str, Style]:
        names = ("bar", "label", "percent", "count", "muted")
        styles = {name: self.get_component_rich_style(f"live-bars--{name}", partial=True) for name in names}
        # The track's background is translucent: only the full style has it blended with ours.
        styles["track"] = Style(bgcolor=self.get_component_rich_style("live-bars--track").bgcolor)
        return styles

    def _count_width(self) -> int:
        if not self.show_counts:
            return 0
        return max((len(str(r.votes)) for r in self.rows if r.votes is not None), default=1)

    def _bar(self, out: Text, fraction: float, width: int, styles: dict[str, Style], known: bool) -> None:
        if width <= 0:
            return
        if not known:
            out.append(" " * width, styles["track"])
            return
        filled = bar(fraction, width).rstrip(" ")
        out.append(filled, styles["track"] + styles["bar"])
        out.append(" " * (width - cell_width(filled)), styles["track"])

    def _render_stacked(self, width: int, height: int, thickness: int, gap: int) -> Text:
        styles = self._styles()
        count_width = self._count_width()
        shown = self.fractions()
        figures = [figures_text(r, show_count=self.show_counts, count_width=count_width, unit=True) for r in self.rows]
        percent_width = max(cell_width(p) for p, _ in figures)
        count_cells = max((cell_width(c) for _, c in figures), default=0)
        figure_width = percent_width + (2 + count_cells if count_cells else 0)
        used = len(self.rows) * (1 + thickness) + (len(self.rows) - 1) * gap
        out = Text(no_wrap=True, overflow="crop")
        out.append("\n" * max(0, (height - used) // 2))
        for index, (row, (percent, count)) in enumerate(zip(self.rows, figures)):
            if index:
                out.append("\n" * (1 + gap))
            label_width = max(1, width - figure_width - 2)
            label = truncate(row.label or "(no title)", label_width)
            out.append(label, styles["label"])
            out.append(" " * (width - cell_width(label) - figure_width))
            out.append(percent.rjust(percent_width), styles["percent"] if row.percent is not None else styles["muted"])
            if count_cells:
                out.append("  " + count.ljust(count_cells), styles["count"])
            for _ in range(thickness):
                out.append("\n")
                self._bar(out, shown[index] if index < len(shown) else 0.0, width, styles, row.percent is not None)
        return out

    def _render_inline(self, width: int, height: int) -> Text:
        styles = self._styles()
        count_width = self._count_width()
        shown = self.fractions()
        label_width, bar_width = self._inline_widths(width)
        rows = self.rows
        hidden = 0
        if len(rows) > height:
            hidden = len(rows) - (height - 1)
            rows = rows[: height - 1]
        figures = [figures_text(r, show_count=self.show_counts, count_width=count_width, unit=False) for r in rows]
        percent_width = max(cell_width(p) for p, _ in figures)
        out = Text(no_wrap=True, overflow="crop")
        out.append("\n" * max(0, (height - len(rows) - (1 if hidden else 0)) // 2))
        for index, (row, (percent, count)) in enumerate(zip(rows, figures)):
            if index:
                out.append("\n")
            label = truncate(row.label or "(no title)", label_width)
            out.append(label + " " * (label_width - cell_width(label) + 1), styles["label"])
            self._bar(out, shown[index] if index < len(shown) else 0.0, bar_width, styles, row.percent is not None)
            out.append(" " + percent.rjust(percent_width), styles["percent"])
            if self.show_counts:
                out.append("  " + count, styles["count"])
        if hidden:
            out.append("\n")
            out.append(f"… {hidden:,} more option{'s' if hidden != 1 else ''} (make the window taller)", styles["muted"])
        return out
