"""ArrivedScreen: a create whose answer was lost turns out to have arrived; take it, or create another?

A :class:`~pollstui.tui.screens.choice.ChoiceScreen` with three answers. *Open it* has the focus,
so ``enter`` never creates a second poll by accident. ``o`` / ``y`` open the poll that arrived,
``c`` creates another, ``k`` / ``n`` / ``escape`` keep editing. Dismisses with an
:class:`ArrivedChoice`, whatever the key: never a bare yes/no the session would not recognise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from pollstui.session.ask import ArrivedChoice
from pollstui.tui.screens.choice import Choice, ChoiceScreen

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll


class ArrivedScreen(ChoiceScreen[ArrivedChoice]):
    BINDINGS = [
        Binding("o,y", "choose('open')", "Open it", id="arrived.open"),
        Binding("c", "choose('create')", "Create another", id="arrived.create"),
        Binding("k,n,escape", "choose('keep')", "Keep editing", id="arrived.keep"),
    ]

    def __init__(self, ref: ContentRef, found: Poll) -> None:
        title = found.title or "(no title)"
        super().__init__(
            "Your last save may have worked",
            f"The last attempt to create “{title}” got no clear answer from the server, and a poll with that title "
            f"and those options is now on {ref.label}. Open it (nothing new is created), or create another?",
            [
                Choice("keep", "Keep editing", ArrivedChoice.KEEP, "k/esc"),
                Choice("create", "Create another", ArrivedChoice.CREATE, "c"),
                Choice("open", "Open it", ArrivedChoice.OPEN, "o", "primary"),
            ],
            focus="open",
        )
        self.found = found
