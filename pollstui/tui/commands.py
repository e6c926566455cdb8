"""The command palette (ctrl+p): every action of the main screen, and "Open …" for every content
item the sidebar knows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: (name, help, main-screen action, writes to the server)
ACTIONS: tuple[tuple[str, str, str, bool], ...] = (
    ("New poll", "Create a poll on this content item (n)", "new_poll", True),
    ("Edit poll", "Edit the highlighted poll (e / enter)", "edit_poll", True),
    ("Delete poll", "Delete the highlighted poll, after asking (d)", "delete_poll", True),
    ("Undo last change", "Undo the last change this app made on the server (u)", "undo", True),
    ("Duplicate poll", "Copy the highlighted poll to this or another content item (c)", "duplicate_poll", True),
    ("Copy poll JSON", "Copy the highlighted poll's JSON to the clipboard (y)", "copy_json", False),
    ("Copy curl command", "Copy a curl command for the highlighted poll; the token stays $POLLS_TOKEN (Y)", "copy_curl", False),
    ("Present results", "Show the highlighted poll's live results full screen (p)", "present", False),
    ("Toggle auto-refresh", "Refresh the list and results on their own (w)", "toggle_auto_refresh", False),
    ("Refresh", "Load the polls of this content item again (r)", "refresh", False),
    ("Filter polls", "Filter the poll list by text (/)", "filter", False),
    ("Show or hide vote counts", "Show counts of polls that hide absolute numbers (h)", "toggle_numbers", False),
    ("Toggle sidebar", "Show or hide the content list (b)", "toggle_sidebar", False),
    ("Add content item", "Add an issue key, page id or pasted URL to the list (a)", "add_content", False),
    ("Remove content item", "Remove the selected content item from the list (x)", "remove_content", False),
)


class PollsCommands(Provider):
    """pollstui's own commands."""

    def _commands(self) -> Iterator[tuple[str, str, Callable]]:
        from pollstui.tui.screens.main import MainScreen

        screen = self.screen
        app = self.app
        if isinstance(screen, MainScreen):
            read_only = getattr(app, "read_only", False)
            for name, help_text, action, writes in ACTIONS:
                if writes and read_only:
                    continue
                yield name, help_text, partial(screen.run_action, action)
            for ref in screen.known_refs():
                yield f"Open {ref.label}", f"Show the polls of {ref.label} ({ref.workspace})", partial(screen.open_content, ref)
        yield "Help: keys and markers", "Show every key binding (?)", partial(app.run_action, "help")

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
