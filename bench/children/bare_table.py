"""The memory floor: a bare Textual app with a 1,000-row DataTable, ending after its first frame.

The rows have the poll table's shape (a title and five short columns) so the comparison is
about what pollstui keeps beside its table, not about the table. ``bare_table.py deps``: the same
app with pydantic, pollstui's models and httpx imported (for context).
"""

import sys

from textual.app import App
from textual.widgets import DataTable

ROWS = 1000


def fill(table: DataTable) -> None:
    table.add_columns("Title", "Opts", "Votes", "Ends", "Flags")
    for n in range(ROWS):
        table.add_row(f"Row {n:04d}: which option should win this round of the benchmark?", "10", str(n), "2031-06-30", "M·C·E")


class BareTableApp(App[None]):
    def __init__(self, *, exit_after_first_frame: bool = True) -> None:
        super().__init__()
        self.exit_after_first_frame = exit_after_first_frame

    def compose(self):
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        fill(self.query_one(DataTable))
        if self.exit_after_first_frame:
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    if sys.argv[1:] == ["deps"]:
        # The same app with pydantic, pollstui's models and httpx loaded (with httpx._main, and
        # click, rich.syntax and pygments when click is installed): what pollstui's first list
        # loaded before it was drawn from plain JSON. For context.
        import httpx  # noqa: F401
        import pollstui.api.models  # noqa: F401
    BareTableApp().run()
