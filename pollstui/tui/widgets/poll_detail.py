"""The detail pane: everything about the highlighted poll.

Description, the options in display order with result bars (percent and count — the count
hidden when the poll hides absolute numbers, unless the user asked to see it), every setting in
words, and the raw JSON of anything this client does not understand (fields the API docs do not
name, at any level, and a results object of an unknown shape).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from pollstui.dates import describe_end_date
from pollstui.text import one_line, plural, sanitize, votes
from pollstui.tui.widgets.result_bars import BarRow, ResultBars

if TYPE_CHECKING:
    from pollstui.api.listing import UnreadablePoll
    from pollstui.api.models import Poll

#: resultsVisibility values in words; anything else is shown as sent.
VISIBILITY_WORDS = {
    "alwaysPublic": "always public",
    "afterVote": "after the voter has voted",
    "afterClose": "once the poll is closed",
}


#: Characters of a description the pane shows: a server can send megabytes, and laying them out
#: would freeze the app (the poll itself keeps every character).
MAX_SHOWN = 20_000


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """``text``, cut at ``limit`` characters with a note saying how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters not shown)"


def settings_lines(poll: Poll) -> list[tuple[str, str]]:
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


def not_understood(poll: Poll) -> dict[str, Any]:
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


def bar_rows(poll: Poll) -> list[BarRow]:
    from pollstui.api.tally import percent

    view = poll.results_view
    rows = []
    for option in poll.ordered_options():
        if view is None:
            rows.append(BarRow(one_line(option.title), None, None))
        else:
            count = view.votes_for(option.id)
            rows.append(BarRow(one_line(option.title), count, percent(count, view.total_votes)))
    return rows


def _same_height(widget: Widget, height: int) -> bool:
    """Whether ``widget``, laid out already, is ``height`` lines tall now (its content area)."""
    size = widget.content_size
    return bool(size.width) and widget.display and size.height == height


def _text_key(content: Any) -> tuple[Any, ...] | None:
    """What decides how a Text looks (its text, styles, alignment); None for other renderables."""
    if not isinstance(content, Text):
        return None
    return (content.plain, str(content.style), tuple(content.spans), content.justify, content.no_wrap, content.overflow)


def _height(widget: Static, content: Any, plain: str | None) -> int:
    """How many lines ``content`` takes in ``widget``: when every line of its text (``plain``, or
    the Text's own) fits the width, one per line, without rendering it; else measured the way
    Textual lays it out."""
    width = widget.content_size.width
    if plain is None and isinstance(content, Text):
        plain = content.plain
    if plain is not None and width:
        lines = plain.split("\n")
        if all(cell_len(line) <= width for line in lines):
            return len(lines)
    return widget.get_content_height(widget.container_size, widget.app.size, width)


def set_static(widget: Static, content: Any, plain: str | None = None) -> None:
    """``widget.update(content)``, doing only the work a change needs.

    Text that looks the same as what is shown is not set again (moving between polls of one list
    mostly changes some parts of the pane, not all); a layout, which places every widget of the
    screen again, is asked for only when the height changes. ``plain``: the text lines another
    renderable (a grid) shows, to know its height without rendering it.
    """
    key = _text_key(content)
    if key is not None and key == _text_key(widget.content):
        return
    widget.update(content, layout=False)
    if not _same_height(widget, _height(widget, content, plain)):
        widget.refresh(layout=True)


class PollDetail(VerticalScroll):
    """Shows one poll; call :meth:`show_poll`."""

    DEFAULT_CSS = """
    PollDetail { height: 1fr; padding: 0 1; }
    PollDetail > Static { width: 1fr; }
    PollDetail .detail--heading { text-style: bold; margin-top: 1; }
    PollDetail #detail-title { text-style: bold; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.poll: Poll | UnreadablePoll | None = None
        self.show_numbers = False
        self._empty_text = ""
        self._settings_shown: list[tuple[str, str]] | None = None  # what the settings part shows
        self._drawn: tuple[Any, bool, str] | None = None  # the poll, show_numbers, empty_text drawn

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", markup=False)
        yield Static("", id="detail-description", markup=False)
        yield Static("Options and results", classes="detail--heading", id="detail-options-heading")
        yield ResultBars(id="detail-bars")
        yield Static("", id="detail-totals", markup=False)
        yield Static("Settings", classes="detail--heading", id="detail-settings-heading")
        yield Static("", id="detail-settings", markup=False)
        yield Static("Not understood by pollstui (kept as it is)", classes="detail--heading", id="detail-unknown-heading")
        yield Static("", id="detail-unknown", markup=False)
        yield Static("", id="detail-id", markup=False)

    def on_mount(self) -> None:
        self._render_poll()

    def show_poll(
        self, poll: Poll | UnreadablePoll | None, *, show_numbers: bool | None = None, empty_text: str = ""
    ) -> None:
        self.poll = poll
        if show_numbers is not None:
            self.show_numbers = show_numbers
        self._empty_text = empty_text
        drawn = self._drawn
        if drawn is not None and drawn[0] is poll and drawn[1:] == (self.show_numbers, empty_text):
            return  # already on screen (the first list draws it at once, then its highlight says it again)
        if self.is_mounted:
            self._render_poll()

    def _render_poll(self) -> None:
        from pollstui.session.listing import is_unreadable

        self._drawn = (self.poll, self.show_numbers, self._empty_text)
        if is_unreadable(self.poll):
            self._render_unreadable(self.poll)  # type: ignore[arg-type]
            return
        poll = self.poll
        parts = {w.id: w for w in self.query(Static) if w.id}
        bars = self.query_one(ResultBars)
        has_poll = poll is not None
        unknown = not_understood(poll) if poll is not None else {}
        for widget in self.children:
            shown = has_poll or widget.id == "detail-title"
            if widget.id in ("detail-unknown-heading", "detail-unknown"):
                shown = shown and bool(unknown)
            if widget.display != shown:  # setting it, even unchanged, asks for a layout
                widget.display = shown
        if poll is None:
            set_static(parts["detail-title"], Text(sanitize(self._empty_text) or "No poll selected.", style="italic"))
            return
        # Everything the server wrote passes through pollstui.text on its way in (never as markup).
        set_static(parts["detail-title"], Text(one_line(poll.title) or "(untitled)"))
        description = Text(sanitize(clip(poll.description))) if poll.description else Text("No description.", style="italic")
        set_static(parts["detail-description"], description)

        hidden = poll.settings.hide_absolute_numbers and not self.show_numbers
        bars.set_rows(bar_rows(poll), show_counts=not hidden)
        set_static(parts["detail-totals"], self._totals(poll, hidden))

        lines = settings_lines(poll)
        if lines != self._settings_shown:  # polls of one list often share their settings
            self._settings_shown = lines
            settings = Table.grid(padding=(0, 2))
            settings.add_column(no_wrap=True, style="bold")
            settings.add_column()
            names = max(cell_len(name) for name, _ in lines)
            shown = [(name, sanitize(value)) for name, value in lines]
            for name, value in shown:
                settings.add_row(name, Text(value))
            plain = "\n".join(f"{name:<{names}}  {value}" for name, value in shown)
            set_static(parts["detail-settings"], settings, plain)

        if unknown:
            set_static(parts["detail-unknown"], unknown_text(unknown))
        set_static(parts["detail-id"], Text(f"id {one_line(poll.id) or '(none)'}", style="dim"))

    def _render_unreadable(self, item: UnreadablePoll) -> None:
        """A poll pollstui cannot read: why, and its JSON as the server sent it (it can be deleted)."""
        from pollstui.session.listing import raw_title

        parts = {w.id: w for w in self.query(Static) if w.id}
        shown = ("detail-title", "detail-description", "detail-unknown-heading", "detail-unknown", "detail-id")
        for widget in self.children:
            if widget.display != (widget.id in shown):
                widget.display = widget.id in shown
        title = Text("Unreadable poll", style="bold reverse")
        if raw_title(item.raw):
            title.append(" " + one_line(raw_title(item.raw)))
        set_static(parts["detail-title"], title)
        set_static(
            parts["detail-description"],
            Text(
                f"pollstui cannot read this poll ({sanitize(item.reason)}), so it cannot be edited or presented. "
                "It can be deleted (d) or copied as JSON (y).",
                style="italic",
            ),
        )
        set_static(parts["detail-unknown"], Text(sanitize(clip(json.dumps(item.raw, indent=2, ensure_ascii=False)))))
        set_static(parts["detail-id"], Text(f"id {one_line(item.id or '') or '(none)'}", style="dim"))

    def _totals(self, poll: Poll, hidden: bool) -> Text:
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
