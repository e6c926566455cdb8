"""Textual's floor for a screen of pollstui's shape: the bare 1,000-row DataTable (bare_table.py)
beside a pane of plain Statics that follows the cursor, a header, a sidebar, a status line and a
footer with ten keys — about as many widgets as pollstui's main screen (33), doing no work of its
own. On every highlight the pane shows the row: its title, a description line and ten option
lines (as pollstui's detail does, without its bars). Used by moves.py (``pane``).

``bare_pane.py first``: the same screen with two rows, ending after its first frame: the floor of
the first-frame figure for a screen of pollstui's shape (a bare Label app is the floor of an app).
``bare_pane.py first --stay``: the same, staying up (terminal.py waits for a row's title in tmux).
"""

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

from bare_table import ROWS, fill

FIRST = sys.argv[1:2] == ["first"]
STAY = "--stay" in sys.argv[2:]
#: A row's title: on screen once the table is drawn.
SHAPE_ROW = "Which release train should 4.2 ship on?"

KEYS = "nedu/rpqbs"


class BarePaneApp(App[None]):
    CSS = """
    #sidebar { width: 25; }
    #pane { height: 1fr; padding: 0 1; }
    DataTable { height: 1fr; }
    .heading { text-style: bold; margin-top: 1; }
    """
    BINDINGS = [Binding(key, "bell", f"Key {key}") for key in KEYS]

    def compose(self) -> ComposeResult:
        yield Static("bare pane  │  no profile  │  Jira", id="header")
        with Horizontal():
            yield Static("▼ SCALE\n└ ● SCALE-1000", id="sidebar")
            with Vertical():
                yield Static("SCALE-1000 · 1000 rows", id="status")
                yield Input(id="filter")
                yield DataTable(cursor_type="row", zebra_stripes=True)
                yield Static("", id="empty")
                with VerticalScroll(id="pane"):
                    yield Static("", id="title")
                    yield Static("", id="description")
                    yield Static("Options", classes="heading")
                    yield Static("", id="options")
                    yield Static("", id="totals")
                    yield Static("Settings", classes="heading")
                    yield Static("", id="settings")
                    yield Static("", id="row-id")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        self.query_one("#empty").display = False
        table = self.query_one(DataTable)
        if FIRST:
            table.add_columns("Title", "Opts", "Votes", "Ends", "Flags")
            table.add_row("Stars from one to five", "5", "9", "—", "·····")
            table.add_row(SHAPE_ROW, "3", "7", "2031-06-30", "··C·E")
            if not STAY:
                self.call_after_refresh(self.exit)
        else:
            fill(table)
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.data_table.get_row_at(event.cursor_row)
        self.query_one("#title", Static).update(row[0])
        self.query_one("#description", Static).update(f"Row {event.cursor_row} of {ROWS}.")
        self.query_one("#options", Static).update("\n".join(f"Option {n} of row {event.cursor_row}" for n in range(10)))
        self.query_one("#totals", Static).update(f"{row[2]} votes")
        self.query_one("#row-id", Static).update(f"id {event.cursor_row}")
        self.query_one("#settings", Static).update(f"Flags  {row[4]}")


if __name__ == "__main__":
    BarePaneApp().run()
