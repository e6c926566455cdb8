"""pollstui as its command line starts it, ending once the server's poll list is painted.

The benchmarks' way to time "to the first list" without a switch inside the app: the main
screen's ``watch_listing`` is wrapped here so that a FRESH listing (the server's answer, not the
cache) makes the app exit after that frame. Usage: first_list.py [pollstui's arguments…]
"""

import sys

from pollstui.cli import main
from pollstui.session.listing import Source
from pollstui.tui.screens.main import MainScreen

_watch_listing = MainScreen.watch_listing


def watch_listing(self):
    _watch_listing(self)
    if self.listing.source is Source.FRESH:
        self.call_after_refresh(self.app.exit)


MainScreen.watch_listing = watch_listing

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
