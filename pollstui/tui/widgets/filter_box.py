"""The ``/`` filter of a list: hidden until opened, it narrows the list as the user types.

The main screen's poll list and All items each own one, and this is all of their filter's
keys: the screen's ``/`` calls :meth:`FilterBox.open`, its escape :meth:`FilterBox.clear`,
and the screen narrows its list on :class:`textual.widgets.Input.Changed`. ``enter`` in the box
keeps the filter and gives the list the focus; it is a priority binding, so it is handled when
the key is read, before the keys that came with it in one burst ("/rel", enter, "e" edits the
poll the filter left, instead of typing "e" into the filter). An empty filter kept, or one
cleared, hides the box again.
"""

from __future__ import annotations

from pollstui.tui import actions
from pollstui.tui.widgets.inert_fields import InertInput


class FilterBox(InertInput):
    """A list's filter field; ``list_selector`` finds the list it narrows (focused after it)."""

    BINDINGS = actions.bindings("filter-box")

    def __init__(self, placeholder: str, *, list_selector: str, id: str) -> None:  # noqa: A002 (Textual's name)
        super().__init__(placeholder=placeholder, id=id)
        self._list_selector = list_selector

    @property
    def active(self) -> bool:
        """Shown or holding text: escape has a filter to clear."""
        return self.display or bool(self.value)

    def on_mount(self) -> None:
        self.display = bool(self.value)

    def open(self) -> None:
        """Show the box and focus it now, not on the next message: the keys queued after ``/`` are its."""
        self.display = True
        self.screen.set_focus(self)
        self.screen.refresh_bindings()

    def action_keep(self) -> None:
        """Enter: keep the filter (hide an empty one) and go back to the list."""
        if not self.value.strip():
            self.display = False
        self._back_to_list()

    def clear(self) -> bool:
        """Empty and hide the box, back to the list; False when there was nothing to clear."""
        if not self.active:
            return False
        self.value = ""
        self.display = False
        self._back_to_list()
        return True

    def _back_to_list(self) -> None:
        self.screen.set_focus(self.screen.query_one(self._list_selector))
        self.screen.refresh_bindings()
