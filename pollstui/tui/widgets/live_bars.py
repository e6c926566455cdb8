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

Drawn only where something drawn changes, for a projector left on for an hour. The widget draws
line by line (Textual's line API, :meth:`LiveBars.render_line`) from a plan of its lines worked
out once per rows and size (:class:`_Plan`), and asks Textual to redraw only the cells that
change:

- new rows redraw the lines whose text changed (the figures), not the bars, which start where
  they are;
- a step of the glide redraws only the cells between where each bar's end was drawn and where
  it is now, and only when a bar's length in eighths of a cell (:meth:`LiveBars.drawn_lengths`)
  changed, at most :data:`FRAMES_PER_SECOND` times a second;
- once every bar is drawn at its new length the glide ends there (the eased tail of the
  animation would move nothing drawn), and rows equal to the ones shown draw nothing at all.

The cells, not the early end, are what this saves: with votes arriving (``bench/present.py``,
100×30), the whole widget redrawn at each step costs 3.3–3.5 % of a core and 14 kB/s to the
terminal (what an SSH link carries) even with the early end, against 1.7–1.9 % and 2.2 kB/s.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
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


@dataclass
class _Plan:
    """What each line of :class:`LiveBars` shows, for one set of rows in one size and style."""

    key: tuple[object, ...]
    #: Per line (y): the line as drawn, or the index of the option whose bar it is.
    lines: list[Strip | int]
    bar_x: int  # where bars start, in cells
    bar_width: int
    bars: int  # options whose bar is drawn (in one line per option, the rest are "… more")
    known: list[bool]  # whether each option's share is known (else its bar is an empty track)
    bar_lines: list[list[int]]  # the lines of each option's bar
    prefix: list[Strip]  # one line per option: what goes before and after its bar
    suffix: list[Strip]
    styles: dict[str, Style]
    base: Style  # the widget's own style, under every part
    bar_strips: dict[tuple[int, int], Strip] = field(default_factory=dict)  # (option, eighths) -> its bar

    def bar_strip(self, index: int, eighths: int) -> Strip:
        """The line of option ``index``'s bar at ``eighths`` eighths of a cell (with its label and
        figures when it shares their line)."""
        key = (index, eighths)
        strip = self.bar_strips.get(key)
        if strip is None:
            track, filled_style = self.styles["track"], self.styles["track"] + self.styles["bar"]
            filled = ""
            if self.known[index]:
                full, rest = divmod(eighths, 8)
                filled = bar(eighths / (8 * self.bar_width), self.bar_width)[: full + (1 if rest else 0)]
            cells = [Segment(filled, filled_style), Segment(" " * (self.bar_width - len(filled)), track)]
            cells = [cell for cell in cells if cell.text]
            strip = Strip.join([self.prefix[index], Strip(cells, self.bar_width).apply_style(self.base), self.suffix[index]])
            self.bar_strips[key] = strip
        return strip


def _line_key(plan: _Plan, line: Strip | int) -> object:
    """What a line of ``plan`` draws, but for the length of its bar."""
    if isinstance(line, Strip):
        return line
    return (line, plan.known[line], plan.prefix[line], plan.suffix[line], plan.bar_width)


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
    #: itself: :meth:`watch_progress` redraws the cells of the bars whose drawn length changes.
    progress: reactive[float] = reactive(1.0, repaint=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[BarRow] = []
        self.show_counts = True
        self.empty_text = "No options."
        self._start: list[float] = []
        self._target: list[float] = []
        self._version = 0  # changes with the rows, the counts shown or the empty text
        self._plan: _Plan | None = None
        self._drawn: tuple[int, ...] = ()  # each bar's eighths as drawn (or about to be)
        self._drawn_at = 0.0  # time.monotonic() of the last step of a glide drawn
        self._glide = 0  # which glide is running (an early end is for that one only)
        self._ending = 0  # the glide whose early end is asked for
        self._painted = True
        #: How many times the widget has been drawn, whole or in part (for tests and the bench).
        self.renders = 0
        #: How many cells it asked to have drawn again, in all.
        self.cells_drawn = 0

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
        self.show_counts = show_counts
        self.empty_text = empty_text
        self._version += 1
        self._start = start
        self._target = [(r.percent or 0.0) / 100.0 for r in rows]
        self._glide += 1
        if self._start == self._target:
            self.set_reactive(LiveBars.progress, 1.0)
        else:
            self.set_reactive(LiveBars.progress, 0.0)
            self.animate("progress", 1.0, duration=ANIMATION_SECONDS, easing="out_cubic")
        self._redraw_changed_lines()

    def fractions(self) -> list[float]:
        """Where each bar is drawn right now (0…1), mid-animation included."""
        p = min(max(self.progress, 0.0), 1.0)
        return [s + (t - s) * p for s, t in zip(self._start, self._target)]

    @property
    def target_fractions(self) -> list[float]:
        return list(self._target)

    def drawn_lengths(self) -> tuple[int, ...]:
        """Each drawn bar's length in eighths of a cell as it would be drawn now, after the bar
        width (only the bars that fit: a poll may have thousands of options)."""
        plan = self._current_plan()
        if plan is None:
            return ()
        return (plan.bar_width, *self._lengths(plan, self.fractions()))

    @staticmethod
    def _lengths(plan: _Plan, fractions: list[float]) -> tuple[int, ...]:
        width = plan.bar_width * 8
        return tuple(round(min(max(f, 0.0), 1.0) * width) for f in fractions[: plan.bars])

    # --- the glide ---------------------------------------------------------------------------

    def watch_progress(self, value: float) -> None:
        """A step of the glide: redraw the cells of the bars whose drawn length changed, at most
        :data:`FRAMES_PER_SECOND` times a second; end the glide once every bar is drawn where it goes."""
        plan = self._current_plan()
        if plan is None:
            return
        lengths = self._lengths(plan, self.fractions())
        final = lengths == self._lengths(plan, self._target)
        if lengths != self._drawn:
            if not final and value < 1.0 and time.monotonic() - self._drawn_at < 1.0 / FRAMES_PER_SECOND:
                return
            self._redraw_bars(plan, lengths)
        if final and value < 1.0 and self._ending != self._glide:
            self._ending = self._glide
            self.call_later(self._end_glide, self._glide)

    async def _end_glide(self, glide: int) -> None:
        if glide == self._glide:  # no newer rows meanwhile
            await self.stop_animation("progress", complete=True)

    def _redraw_bars(self, plan: _Plan, lengths: tuple[int, ...]) -> None:
        """Redraw the cells where each bar's end moved from what is drawn to ``lengths``."""
        regions = []
        for index, (was, now) in enumerate(zip(self._drawn, lengths)):
            if was != now and plan.known[index]:
                x0, x1 = min(was, now) // 8, -(-max(was, now) // 8)
                regions += [Region(plan.bar_x + x0, y, max(1, x1 - x0), 1) for y in plan.bar_lines[index]]
        self._drawn = lengths
        self._drawn_at = time.monotonic()
        if regions:
            self._paint(*regions)

    def _redraw_changed_lines(self) -> None:
        """After new rows: redraw the lines that differ from those drawn (all of them when the
        layout changed)."""
        old, self._plan = self._plan, None
        was_drawn = self._drawn
        plan = self._current_plan()
        if plan is None or old is None or len(old.lines) != len(plan.lines) or old.bar_x != plan.bar_x:
            self._paint()
            return
        bars_moved = {i for i, (was, now) in enumerate(zip(was_drawn, self._drawn)) if was != now}
        bars_moved |= set(range(min(len(was_drawn), len(self._drawn)), max(len(was_drawn), len(self._drawn))))
        changed = [
            Region(0, y, self.size.width, 1)
            for y, (was, now) in enumerate(zip(old.lines, plan.lines))
            if _line_key(old, was) != _line_key(plan, now) or (isinstance(now, int) and now in bars_moved)
        ]
        if changed:
            self._paint(*changed)

    def _paint(self, *regions: Region) -> None:
        """Ask Textual to draw ``regions`` again (the whole widget without any)."""
        self._painted = False
        self.cells_drawn += sum(r.area for r in regions) if regions else self.size.area
        self.refresh(*regions)

    # --- the plan of lines -------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._plan = None  # the theme or the CSS changed: every line is drawn again

    def _current_plan(self) -> _Plan | None:
        """The plan for the rows and size now (worked out again when either changed)."""
        width, height = self.size
        if not width or not height:
            return None
        key = (self._version, width, height)
        if self._plan is None or self._plan.key != key:
            self._plan = self._make_plan(key, width, height)
            self._drawn = self._lengths(self._plan, self.fractions())
        return self._plan

    def _make_plan(self, key: tuple[object, ...], width: int, height: int) -> _Plan:
        width = max(10, width)
        styles = self._styles()
        base = self.rich_style
        plan = _Plan(key, [], 0, width, 0, [r.percent is not None for r in self.rows],
                     [[] for _ in self.rows], [], [], styles, base)  # fmt: skip
        blank = Strip.blank(width, base)
        if not self.rows:
            plan.lines = [self._strip(Text(self.empty_text, style=styles["muted"]), width, base)]
        elif plan_layout(len(self.rows), height)[0] == "inline":
            self._plan_inline(plan, width, height)
        else:
            self._plan_stacked(plan, width, height)
        plan.lines += [blank] * (height - len(plan.lines))
        return plan

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        return Strip(segments).crop_extend(0, width, None).apply_style(base).simplify()

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

    def _plan_stacked(self, plan: _Plan, width: int, height: int) -> None:
        _, thickness, gap = plan_layout(len(self.rows), height)
        styles, base = plan.styles, plan.base
        count_width = self._count_width()
        figures = [figures_text(r, show_count=self.show_counts, count_width=count_width, unit=True) for r in self.rows]
        percent_width = max(cell_width(p) for p, _ in figures)
        count_cells = max((cell_width(c) for _, c in figures), default=0)
        figure_width = percent_width + (2 + count_cells if count_cells else 0)
        used = len(self.rows) * (1 + thickness) + (len(self.rows) - 1) * gap
        blank = Strip.blank(width, base)
        lines = plan.lines
        lines += [blank] * max(0, (height - used) // 2)
        empty = Strip([])
        for index, (row, (percent, count)) in enumerate(zip(self.rows, figures)):
            if index:
                lines += [blank] * gap
            label_width = max(1, width - figure_width - 2)
            label = truncate(row.label or "(no title)", label_width)
            out = Text(no_wrap=True, overflow="crop")
            out.append(label, styles["label"])
            out.append(" " * (width - cell_width(label) - figure_width))
            out.append(percent.rjust(percent_width), styles["percent"] if row.percent is not None else styles["muted"])
            if count_cells:
                out.append("  " + count.ljust(count_cells), styles["count"])
            lines.append(self._strip(out, width, base))
            for _ in range(thickness):
                plan.bar_lines[index].append(len(lines))
                lines.append(index)
            plan.prefix.append(empty)
            plan.suffix.append(empty)
        plan.bars = len(self.rows)

    def _plan_inline(self, plan: _Plan, width: int, height: int) -> None:
        styles, base = plan.styles, plan.base
        count_width = self._count_width()
        label_width, bar_width = self._fit_inline(width)
        rows = self.rows
        hidden = 0
        if len(rows) > height:
            hidden = len(rows) - (height - 1)
            rows = rows[: height - 1]
        figures = [figures_text(r, show_count=self.show_counts, count_width=count_width, unit=False) for r in rows]
        percent_width = max(cell_width(p) for p, _ in figures)
        lines = plan.lines
        lines += [Strip.blank(width, base)] * max(0, (height - len(rows) - (1 if hidden else 0)) // 2)
        plan.bar_x, plan.bar_width, plan.bars = label_width + 1, bar_width, len(rows)
        for index, (row, (percent, count)) in enumerate(zip(rows, figures)):
            label = truncate(row.label or "(no title)", label_width)
            prefix = Text(label + " " * (label_width - cell_width(label) + 1), styles["label"], no_wrap=True)
            suffix = Text(" " + percent.rjust(percent_width), styles["percent"], no_wrap=True)
            if self.show_counts:
                suffix.append("  " + count, styles["count"])
            plan.prefix.append(self._strip(prefix, label_width + 1, base))
            plan.suffix.append(self._strip(suffix, max(0, width - label_width - 1 - bar_width), base))
            plan.bar_lines[index].append(len(lines))
            lines.append(index)
        if hidden:
            more = f"… {hidden:,} more option{'s' if hidden != 1 else ''} (make the window taller)"
            lines.append(self._strip(Text(more, styles["muted"]), width, base))

    def _fit_inline(self, width: int) -> tuple[int, int]:
        """(label width, bar width) of the one-line-per-option layout."""
        figures = [figures_text(r, show_count=self.show_counts, count_width=self._count_width(), unit=False) for r in self.rows]
        percent_width = max(cell_width(p) for p, _ in figures)
        figure_width = percent_width + (2 + self._count_width() if self.show_counts else 0)
        longest = max(cell_width(r.label or "(no title)") for r in self.rows)
        label_width = min(longest, max(8, (width - figure_width) // 3))
        return label_width, max(1, width - label_width - figure_width - 2)

    # --- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if not self._painted:
            self._painted = True
            self.renders += 1
        plan = self._current_plan()
        if plan is None or y >= len(plan.lines):
            return Strip.blank(self.size.width, self.rich_style)
        line = plan.lines[y]
        if isinstance(line, Strip):
            return line
        return plan.bar_strip(line, self._drawn[line])
