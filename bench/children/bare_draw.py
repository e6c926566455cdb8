"""The 1,000-poll draw's floor: a bare Textual app adds 1,000 rows to a DataTable and paints them.

Headless, 100×30. Once the empty table is on screen (as pollstui's table is when the answer
comes), the clock starts, the rows of the poll table's shape are added (bare_table.fill) and the
clock stops when Textual has painted them (the same ``call_after_refresh`` mark scale_draw.py
takes for pollstui). Prints JSON: {"drawn": seconds}.
"""

import json
import time

from textual.app import App
from textual.widgets import DataTable

from bare_table import fill


class BareDrawApp(App[None]):
    def compose(self):
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self.draw)

    def draw(self) -> None:
        self.start = time.perf_counter()
        fill(self.query_one(DataTable))
        self.call_after_refresh(self.drawn)

    def drawn(self) -> None:
        self.seconds = time.perf_counter() - self.start
        self.exit()


if __name__ == "__main__":
    app = BareDrawApp()
    app.run()
    print(json.dumps({"drawn": app.seconds}))
