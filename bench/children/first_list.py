"""pollstui as its command line starts it, ending once the server's poll list is painted.

The benchmarks' way to time "to the first list" without a switch inside the app: when the main
screen's module is imported (where and when pollstui itself imports it, so the start-up order is
the real one: the first request leaves before Textual loads), its ``watch_listing`` is wrapped so
that a FRESH listing (the server's answer, not the cache) makes the app exit after that frame.
Usage: first_list.py [--no-gc-pause] [pollstui's arguments…]; ``--no-gc-pause`` leaves the
garbage collector running through the start (bench/collector.py: what the pause is worth).
"""

import importlib.machinery
import sys

TARGET = "pollstui.tui.screens.main"


def exit_after_first_list(module) -> None:  # noqa: ANN001
    from pollstui.session.listing import Source

    screen = module.MainScreen
    original = screen.watch_listing

    def watch_listing(self, listing):  # noqa: ANN001, ANN202
        original(self, listing)
        if listing.source is Source.FRESH:
            self.call_after_refresh(self.app.exit)

    screen.watch_listing = watch_listing


class Hook:
    """Finds the main screen's module as usual, and wraps its loader to ``patch`` it once loaded
    (present_mode.py hooks in its own patch).

    A meta path finder needs only ``find_spec``; it does not derive from importlib.abc's, whose
    import (importlib.resources and more) pollstui itself never pays.
    """

    def __init__(self, patch=exit_after_first_list) -> None:  # noqa: ANN001
        self.patch = patch

    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201
        if name != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module

        def exec_module(module):  # noqa: ANN001, ANN202
            load(module)
            self.patch(module)

        spec.loader.exec_module = exec_module
        return spec


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--no-gc-pause"]:
        args = args[1:]
        from pollstui.tui import heap  # (loads nothing else)

        heap.pause = lambda: None
    sys.meta_path.insert(0, Hook())
    from pollstui.cli import main

    sys.exit(main(args))
