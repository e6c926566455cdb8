"""The footer of the main screen: rebuilt only when what it shows changes, and never cut off
``q`` and ``?``.

At 60 columns Textual's footer runs out of room and cuts the last keys, which are the app's
Quit and Help. :class:`FittingFooter` drops keys from the right, Quit and Help excepted, until
the rest fits; every key still works and the help (``?``) lists them all.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions the footer keeps whatever the width: the way out and the way to every other key.
ESSENTIAL = frozenset({"quit", "help"})


def key_cells(key: FooterKey, compact: bool) -> int:
    """The cells a key takes in the footer: key, a space, description, and padding."""
    padding = 1 if compact else 2
    return len(key.key_display) + 1 + len(key.description) + padding


def fit(keys: list[FooterKey], width: int, compact: bool) -> list[FooterKey]:
    """The keys to show in ``width`` cells: in order, dropping from the right, keeping :data:`ESSENTIAL`."""
    shown = list(keys)
    droppable = [k for k in reversed(keys) if k.action not in ESSENTIAL]
    while droppable and sum(key_cells(k, compact) for k in shown) > width:
        shown.remove(droppable.pop(0))
    return shown


class FittingFooter(Footer):
    """Textual's Footer, fitted to its width (see the module's docstring), rebuilt at most once
    a frame and only when the keys it would show differ.

    Textual's own queues a whole recompose (ten keys removed, made and styled again, ~10 ms) on
    every change of the screen's bindings: the table taking the focus at start, each load
    starting and ending (the spinner refreshes the bindings), the focus moving. Most of those
    change nothing in the footer. Its keys are made as they will be shown (compact or not), so
    mounting them does not restyle each twice.
    """

    _recompose_queued = False
    _fitted_width = 0
    #: What the keys on show were made from (:meth:`_shows`); None before the first compose.
    _shown: tuple[Any, ...] | None = None

    def compose(self) -> ComposeResult:
        if self._bindings_ready:  # (Textual's footer composes no keys before the bindings are ready)
            self._shown = self._shows()
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        shown = set(map(id, fit(keys, width - self._palette_cells(widgets), self.compact)))
        for widget in widgets:
            if not isinstance(widget, FooterKey) or widget.has_class("-command-palette"):
                yield widget
            elif id(widget) in shown:
                # A key starts compact (FooterKey.compact is True) and is made wide by its binding
                # to the footer once mounted: two restyles of every key. It starts as it will be.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
                yield widget

    def _palette_cells(self, widgets: list[Widget]) -> int:
        return sum(key_cells(w, False) for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette"))

    def bindings_changed(self, screen: Screen) -> None:  # Footer.bindings_changed, deduplicated
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._queue_recompose()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self._queue_recompose()

    def _queue_recompose(self) -> None:
        if not self._recompose_queued:
            self._recompose_queued = True
            self.call_after_refresh(self._recompose_once)

    async def _recompose_once(self) -> None:
        self._recompose_queued = False
        if self.is_attached and self._shows() != self._shown:
            await self.recompose()

    def _shows(self) -> tuple[Any, ...]:
        """Everything the keys composed now would be made from (what Footer.compose reads)."""
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.group,
             enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        width = self.size.width or app.size.width
        return keys, width, self.compact, self.show_command_palette and app.ENABLE_COMMAND_PALETTE
