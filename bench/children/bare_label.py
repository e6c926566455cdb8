"""The floor for a Textual app's first frame: one Label, then exit right after the first frame.

``--stay`` keeps it running (the tmux benchmark watches for the label, then kills it).
"""

import sys

from textual.app import App
from textual.widgets import Label

LABEL = "bare textual app: first frame"


class BareApp(App[None]):
    def compose(self):
        yield Label(LABEL)

    def on_mount(self) -> None:
        if "--stay" not in sys.argv:
            self.call_after_refresh(self.exit)


if __name__ == "__main__":
    BareApp().run()
