"""Edit fields that keep a user's text as it is and draw it without steering the terminal.

A poll's title, description, options and end date are edited as text: what the server sent
(controls shown as placeholders, :func:`pollstui.text.editable`), what the user types or pastes
(controls taken out, :func:`pollstui.text.strip_controls`). What is left may hold bidi
embeddings, overrides and isolates and the Unicode line and paragraph separators: the user's
(or the server's) own characters, saved as they are, but characters a terminal would obey
(a bidi override reverses what follows). Textual counts them as zero cells wide; these fields
leave them out of each drawn line, which keeps every cell, the cursor and the selection where
they were, and sends the terminal nothing it would obey.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

from pollstui.text import STEERING

#: Left out of drawn lines (zero cells wide, so nothing moves).
_UNDRAWN = {code: None for code in STEERING}


def inert_strip(strip: Strip) -> Strip:
    """``strip`` without the characters that steer a terminal's text (see the module docstring)."""
    if not any(not segment.text.isprintable() for segment in strip):
        return strip
    return Strip(
        [Segment(segment.text.translate(_UNDRAWN), segment.style, segment.control) for segment in strip],
        strip.cell_length,
    )


class InertInput(Input):
    """An Input that draws bidi marks and separators as nothing (its value keeps them)."""

    def render_line(self, y: int) -> Strip:
        return inert_strip(super().render_line(y))


class InertTextArea(TextArea):
    """A TextArea that draws bidi marks and separators as nothing (its text keeps them)."""

    def render_line(self, y: int) -> Strip:
        return inert_strip(super().render_line(y))
