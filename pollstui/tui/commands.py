"""The command palette (ctrl+p): the actions of the screen on top (from the action registry),
"Open …" for every content item the sidebar knows, help; then the Textual commands pollstui keeps
(Theme, Screenshot, Maximize), after its own.

One provider yields them all, so the order is pollstui's: the palette lists what providers
discover in the order they arrive, and two providers race. Textual's Keys and Quit are left out:
the help screen (``?``) lists the keys and ``q`` quits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from pollstui.text import one_line
from pollstui.tui import actions


#: Textual's system commands the palette leaves out (help and ``q`` do what they do).
LEFT_OUT = frozenset({"Keys", "Quit"})


class PollsCommands(Provider):
    """pollstui's own commands, then the Textual ones it keeps."""

    def _commands(self) -> Iterator[tuple[str, str, Callable]]:
        screen = self.screen
        app = self.app
        topic = getattr(screen, "ACTION_SCREEN", None)
        if topic is not None:
            read_only = app.session.read_only  # type: ignore[attr-defined]
            for action in actions.palette(topic):
                if action.writes and read_only:
                    continue  # greyed in the footer and the help, with the reason
                help_text = f"{action.help[:1].upper()}{action.help[1:]} ({actions.key_text(action)})"
                yield action.palette, help_text, partial(screen.run_action, action.action)
        if hasattr(screen, "known_refs"):
            for ref in screen.known_refs():
                # Names from the profiles file: inert, and escaped (the palette reads hits as markup).
                label, workspace = escape(one_line(ref.label)), escape(one_line(ref.workspace))
                yield f"Open {label}", f"Show the polls of {label} ({workspace})", partial(screen.open_content, ref)
        yield "Help: keys and markers", "Show every key of this screen (?)", partial(app.run_action, "help")
        for command in app.get_system_commands(screen):
            if command.discover and command.title not in LEFT_OUT:
                yield command.title, command.help, command.callback

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
