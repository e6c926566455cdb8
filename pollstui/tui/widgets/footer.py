"""The footer of the main screen: rebuilt once per change, and never cut off ``q`` and ``?``.

At 60 columns Textual's footer runs out of room and cuts the last keys, which are the app's
Quit and Help. :class:`FittingFooter` drops keys from the right, Quit and Help excepted, until
the rest fits; every key still works and the help (``?``) lists them all.
"""

from __future__ import annotations

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
    """Textual's Footer, rebuilt once however often the bindings change before the next frame,
    and fitted to its width (see the module's docstring).

    Textual's own queues a whole recompose per change: pushing the main screen and focusing the
    table queue three (~25 ms each) right while the first list is being drawn.
    """

    _recompose_queued = False
    _fitted_width = 0

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        self._fitted_width = width
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        shown = set(map(id, fit(keys, width - self._palette_cells(widgets), self.compact)))
        for widget in widgets:
            if not isinstance(widget, FooterKey) or widget.has_class("-command-palette") or id(widget) in shown:
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
        await self.recompose()
