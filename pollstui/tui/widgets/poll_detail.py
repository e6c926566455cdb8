"""The detail pane: everything about the highlighted poll.

Description, the options in display order with result bars (percent and count — the count
hidden when the poll hides absolute numbers, unless the user asked to see it), every setting in
words, and the raw JSON of anything this client does not understand (fields the API docs do not
name, at any level, and a results object of an unknown shape).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pollstui.dates import describe_end_date
from pollstui.text import one_line, plural, sanitize, votes
from pollstui.tui.widgets.result_bars import BarLayout, BarRow

if TYPE_CHECKING:
    from pollstui.api.listing import UnreadablePoll
    from pollstui.api.poll_view import PollView
    from pollstui.session.listing import Row

#: resultsVisibility values in words; anything else is shown as sent.
VISIBILITY_WORDS = {
    "alwaysPublic": "always public",
    "afterVote": "after the voter has voted",
    "afterClose": "once the poll is closed",
}


#: Above the parts of a poll pollstui does not understand, shown as JSON.
UNKNOWN_HEADING = "Not understood by pollstui (kept as it is)"


#: Rendered settings grids kept: a list's polls share a few dozen combinations of settings.
_SETTINGS_KEPT = 256


class _Settings(NamedTuple):
    """The settings part of the pane: (name, value) lines, drawn as a two-column grid."""

    lines: tuple[tuple[str, str], ...]


class _Bars(NamedTuple):
    """The options and their results, one line each: drawn a line at a time, as they are scrolled
    to (a poll may have thousands of options)."""

    rows: list[BarRow]
    layout: BarLayout


#: Characters of a description the pane shows: a server can send megabytes, and laying them out
#: would freeze the app (the poll itself keeps every character).
MAX_SHOWN = 20_000


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text``, cut at ``limit`` characters with a note saying how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"


def settings_lines(poll: PollView) -> list[tuple[str, str]]:
    """Every setting as (name, value in words)."""
    s = poll.settings
    visibility = VISIBILITY_WORDS.get(
        s.results_visibility, f"{s.results_visibility!r} (a value pollstui does not know; kept as it is)"
    )
    if s.close_poll_on_end_date:
        closes = "yes, on the end date" if s.end_date else "yes, but there is no end date"
    else:
        closes = "no"
    return [
        ("Choice", "multiple: voters may pick several options" if s.allow_selection_of_multiple_options else "single: one option per voter"),
        ("Results shown", visibility),
        ("End date", describe_end_date(s.end_date)),
        ("Closes at end", closes),
        ("Vote counts", "hidden from voters (percentages only)" if s.hide_absolute_numbers else "shown to voters"),
        ("Revote", "allowed" if s.allow_revote else "not allowed"),
        ("Voter names", "saved" if s.save_participant_names else "not saved"),
        ("Comments", "allowed" if s.allow_comment else "not allowed"),
    ]


def not_understood(poll: PollView) -> dict[str, Any]:
    """The parts of ``poll`` this client does not understand, as JSON-able data."""
    unknown: dict[str, Any] = {}
    if poll.extra_fields:
        unknown["poll"] = poll.extra_fields
    if poll.settings.extra_fields:
        unknown["settings"] = poll.settings.extra_fields
    options = {opt.id: opt.extra_fields for opt in poll.options if opt.extra_fields}
    if options:
        unknown["options (by id)"] = options
    if poll.results is not None and poll.results_view is None:
        unknown["results"] = poll.results
    return unknown


def unknown_text(unknown: dict[str, Any]) -> Text:
    """One line per unknown field: where it is, then its raw JSON."""
    text = Text()
    rows: list[tuple[str, Any]] = []
    for section, value in unknown.items():
        if section == "results":
            rows.append(("results", value))
        elif section == "options (by id)":
            for option_id, fields in value.items():
                rows.extend((f"option {option_id}: {key}", v) for key, v in fields.items())
        else:
            rows.extend((f"{section}: {key}", v) for key, v in value.items())
    for index, (where, value) in enumerate(rows):
        if index:
            text.append("\n")
        text.append(one_line(where), style="bold")
        text.append("  ")
        text.append(sanitize(json.dumps(value, ensure_ascii=False)))
    return text


def bar_rows(poll: PollView) -> list[BarRow]:
    from pollstui.api.results import percent

    view = poll.results_view
    rows = []
    for option in poll.ordered_options():
        if view is None:
            rows.append(BarRow(one_line(option.title), None, None))
        else:
            count = view.votes_for(option.id)
            rows.append(BarRow(one_line(option.title), count, percent(count, view.total_votes)))
    return rows


def _shown_id(poll: Row | None) -> object:
    """What tells one poll from another in the pane: its id (a poll without one is only itself)."""
    poll_id = getattr(poll, "id", None)
    return poll_id if poll_id else id(poll)


def _end_said(poll: Row | None) -> str | None:
    """The pane's words for ``poll``'s end date, which change with the clock ("(passed)")."""
    settings = getattr(poll, "settings", None)
    return describe_end_date(settings.end_date) if settings is not None else None


class PollDetail(ScrollView, can_focus=True):
    """Shows one poll; call :meth:`show_poll`.

    A line-API widget: the pane is rendered into lines once per poll and width (the settings
    grid once per distinct settings and width: polls of one list mostly share them), and a move
    to another poll repaints this one widget. It scrolls when the poll is taller than the pane:
    another poll starts at its top, a reload of the same poll (same id) stays where it was.
    """

    COMPONENT_CLASSES = {"poll-detail--title", "poll-detail--heading", "poll-detail--bar", "poll-detail--figure",
                         "poll-detail--muted"}  # fmt: skip

    DEFAULT_CSS = """
    PollDetail {
        height: 1fr;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        & > .poll-detail--title { text-style: bold; }
        & > .poll-detail--heading { text-style: bold; }
        & > .poll-detail--bar { color: $accent; }
        & > .poll-detail--figure { text-style: bold; }
        & > .poll-detail--muted { color: $text-muted; }
        &:focus { background: $foreground 5%; }  /* as the poll list: tab shows where it went */
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.poll: Row | None = None
        self.show_numbers = False
        self._empty_text = ""
        self._end_said: str | None = None  # the end date's words as drawn
        self._strips: list[Strip | None] = []  # None: a bar line not drawn yet
        self._bars: tuple[int, _Bars] | None = None  # the first line of the bars, and the bars
        self._version = 0  # one more each time what the pane shows changes
        self._strips_for: tuple[Any, ...] = ()  # (version, width, base style) of _strips
        self._settings_lines: dict[tuple[Any, ...], list[list[Segment]]] = {}  # rendered settings grids

    @property
    def text(self) -> str:
        """The whole pane as plain text, scrolled out of view or not (one line per line)."""
        lines = self._lines()
        return "\n".join(self._line(index).text.rstrip() for index in range(len(lines)))

    def show_poll(
        self, poll: Row | None, *, show_numbers: bool | None = None, empty_text: str = ""
    ) -> None:
        numbers = self.show_numbers if show_numbers is None else show_numbers
        end_said = _end_said(poll)
        if poll is self.poll and (numbers, empty_text, end_said) == (self.show_numbers, self._empty_text, self._end_said):
            return  # already on screen (the first list draws it at once, then its highlight says it again)
        if _shown_id(poll) != _shown_id(self.poll):  # another poll starts at its top; a reload stays
            self.scroll_to(y=0, animate=False)
        self.poll, self.show_numbers, self._empty_text, self._end_said = poll, numbers, empty_text, end_said
        self._version += 1
        self._fit()

    # --- drawing ---------------------------------------------------------------------------------

    def _fit(self) -> None:
        """Render the lines for the width the pane has (when it has one) and repaint it."""
        self._lines()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._settings_lines.clear()
        self._strips_for = ()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._lines()  # once per paint: the lines for this width and look
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + round(self.scroll_y)
        if index < len(self._strips):
            return self._line(index)
        return Strip.blank(self.scrollable_content_region.width, self._strips_for[-1] if self._strips_for else None)

    def _line(self, index: int) -> Strip:
        """Line ``index`` of the pane, a bar line drawn now if it was not yet."""
        strip = self._strips[index]
        if strip is None and self._bars is not None:
            first, bars = self._bars
            width, base = self._strips_for[1], self._strips_for[2]
            console = self.app.console
            text = bars.layout.line(bars.rows[index - first])
            options = console.options.update(width=width, min_width=width, max_width=width, height=None)
            line = console.render_lines(text, options, pad=False)[0]
            strip = self._strips[index] = Strip(Segment.apply_style(line, base)).adjust_cell_length(width, base)
        return strip or Strip.blank(self.scrollable_content_region.width)

    def _lines(self) -> list[Strip | None]:
        width = self.scrollable_content_region.width
        if not width:
            return []
        base = self.rich_style
        key = (self._version, width, base)
        if key != self._strips_for:
            self._strips_for = key
            console = self.app.console
            options = console.options.update(width=width, min_width=width, max_width=width, height=None,
                                             no_wrap=False, highlight=False, markup=False)  # fmt: skip
            lines: list[list[Segment] | None] = []
            self._bars = None
            for part in self._parts(width):
                if isinstance(part, _Settings):
                    lines.extend(self._settings_grid(part.lines, console, options))
                elif isinstance(part, _Bars):
                    self._bars = (len(lines), part)
                    lines.extend([None] * len(part.rows))
                else:
                    lines.extend(console.render_lines(part, options, pad=False))
            self._strips = [
                None if line is None else Strip(Segment.apply_style(line, base)).adjust_cell_length(width, base)
                for line in lines
            ]
            # Here, not only in _fit: a scrollbar that comes or goes changes the width without a
            # resize, and the text wraps into another number of lines.
            size = Size(width, len(self._strips))
            if self.virtual_size != size:
                self.virtual_size = size
        return self._strips

    def _settings_grid(self, shown: tuple[tuple[str, str], ...], console: Any, options: Any) -> list[list[Segment]]:
        key = (shown, options.max_width)
        if key not in self._settings_lines:
            if len(self._settings_lines) >= _SETTINGS_KEPT:  # a window dragged through many widths
                self._settings_lines.clear()
            grid = Table.grid(padding=(0, 2))
            grid.add_column(no_wrap=True, style=self.get_component_rich_style("poll-detail--heading"))
            grid.add_column()
            for name, value in shown:
                grid.add_row(name, Text(value))
            self._settings_lines[key] = console.render_lines(grid, options, pad=False)
        return self._settings_lines[key]

    def _parts(self, width: int) -> list[Any]:
        from pollstui.session.listing import is_unreadable

        poll = self.poll
        title = self.get_component_rich_style("poll-detail--title")
        heading = self.get_component_rich_style("poll-detail--heading")
        if is_unreadable(poll):
            return self._unreadable_parts(poll, heading)
        if poll is None:
            return [Text(sanitize(self._empty_text) or "No poll selected.", style="italic")]
        # Everything the server wrote passes through pollstui.text on its way in (never as markup).
        description = Text(sanitize(clip(poll.description))) if poll.description else Text("No description.", style="italic")
        hidden = poll.settings.hide_absolute_numbers and not self.show_numbers
        rows, muted = bar_rows(poll), self.get_component_rich_style("poll-detail--muted")
        layout = BarLayout.fit(
            rows, width, show_counts=not hidden, bar_style=self.get_component_rich_style("poll-detail--bar"),
            figure_style=self.get_component_rich_style("poll-detail--figure"), muted=muted,
        )  # fmt: skip
        bars = _Bars(rows, layout) if rows else Text("No options.", style=muted)
        parts: list[Any] = [
            Text(one_line(poll.title) or "(untitled)", style=title), description,
            Text(""), Text("Options and results", style=heading), bars, self._totals(poll, hidden),
            Text(""), Text("Settings", style=heading),
            _Settings(tuple((name, sanitize(value)) for name, value in settings_lines(poll))),
        ]  # fmt: skip
        unknown = not_understood(poll)
        if unknown:
            parts += [Text(""), Text(UNKNOWN_HEADING, style=heading), unknown_text(unknown)]
        parts.append(Text(f"id {one_line(poll.id) or '(none)'}", style="dim"))
        return parts

    def _unreadable_parts(self, item: UnreadablePoll, heading: Style) -> list[Any]:
        """A poll pollstui cannot read: why, and its JSON as the server sent it (it can be deleted)."""
        from pollstui.session.listing import raw_title

        title = Text("Unreadable poll", style="bold reverse")
        if raw_title(item.raw):
            title.append(" " + one_line(raw_title(item.raw)))
        why = Text(
            f"pollstui cannot read this poll ({sanitize(item.reason)}), so it cannot be edited or presented. "
            "It can be deleted (d) or copied as JSON (y).",
            style="italic",
        )
        raw = Text(sanitize(clip(json.dumps(item.raw, indent=2, ensure_ascii=False))))
        return [title, why, Text(""), Text(UNKNOWN_HEADING, style=heading), raw,
                Text(f"id {one_line(item.id or '') or '(none)'}", style="dim")]  # fmt: skip

    def _totals(self, poll: PollView, hidden: bool) -> Text:
        view = poll.results_view
        if poll.results is None:
            return Text("The server sent no results for this poll.", style="italic")
        if view is None:
            return Text("Results in a shape pollstui does not know: shown as JSON below.", style="italic")
        if hidden:
            return Text("Counts hidden by this poll · h shows them", style="italic")
        voters = f" from {plural(view.total_voters, 'voter')}" if view.total_voters is not None else ""
        text = Text(f"{votes(view.total_votes)}{voters}")
        if poll.settings.hide_absolute_numbers:
            text.append(" · voters see percentages only · h hides counts", style="italic")
        return text
