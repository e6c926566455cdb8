"""pollstui's present mode on the first poll of the content item, as a facilitator leaves it.

pollstui starts as its command line starts it; when the main screen's module is imported, its
``watch_listing`` is wrapped (as first_list.py does) so that the first FRESH listing opens
present mode on the first poll, refreshing every ``PRESENT_INTERVAL`` seconds (default 2). It
then runs until the benchmark ends it. Usage: present_mode.py [pollstui's arguments…]
"""

import os
import sys

from first_list import Hook  # (this script's folder is on sys.path)

INTERVAL = float(os.environ.get("PRESENT_INTERVAL", "2"))


def present_after_first_list(module) -> None:  # noqa: ANN001
    from pollstui.session.listing import Source

    screen = module.MainScreen
    original = screen.watch_listing
    opened = []

    def watch_listing(self, listing):  # noqa: ANN001, ANN202
        original(self, listing)
        if listing.source is Source.FRESH and not opened and listing.polls:
            from pollstui.tui.screens.present import PresentScreen

            opened.append(True)
            polls = list(self.listing.polls)
            self.app.push_screen(PresentScreen(self.ref, polls, polls[0].id, interval=INTERVAL))

    screen.watch_listing = watch_listing


if __name__ == "__main__":
    sys.meta_path.insert(0, Hook(present_after_first_list))
    from pollstui.cli import main

    sys.exit(main(sys.argv[1:]))
