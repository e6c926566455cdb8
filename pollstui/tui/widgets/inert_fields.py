"""Edit fields that keep a user's text as it is and draw it without steering the terminal.

A poll's title, description, options and end date are edited as text: what the server sent
(controls shown as placeholders, :func:`pollstui.text.editable`), what the user types or pastes
(controls taken out, :func:`pollstui.text.strip_controls`). What is left may hold bidi
embeddings, overrides and isolates and the Unicode line and paragraph separators: the user's
(or the server's) own characters, saved as they are, but characters a terminal would obey
(a bidi override reverses what follows). Textual counts them as zero cells wide; these fields
leave them out of each drawn line, which keeps every cell, the cursor and the selection where
they were, and sends the terminal nothing it would obey.

A symbol that is narrow by default followed by VS16 (🗄️) is two cells to Textual but one to a
terminal that measures by wcwidth (tmux): these fields draw a space in place of the VS16
(:func:`pollstui.text.narrow_vs16`, the rule the rest of the app draws by), so the line keeps
its cells and the terminal draws what Textual counted; the value keeps the VS16.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, TextArea

from pollstui.text import STEERING, narrow_vs16

#: Left out of drawn lines (zero cells wide, so nothing moves).
_UNDRAWN = {code: None for code in STEERING}


def inert_strip(strip: Strip) -> Strip:
    """``strip`` without the characters that steer a terminal's text, and a space for each VS16
    after a narrow symbol (see the module docstring)."""
    texts = [segment.text for segment in strip]
    if all(text.isprintable() and "\ufe0f" not in text for text in texts):
        return strip
    padded = _pad_vs16(texts)
    return Strip(
        [Segment(text.translate(_UNDRAWN), segment.style, segment.control) for text, segment in zip(padded, strip)],
        strip.cell_length,
    )


def _pad_vs16(texts: list[str]) -> list[str]:
    """``texts`` (a line's segments) with each run of :func:`narrow_vs16` as one space, found in
    the whole line (a run may start a segment after its symbol ended the one before)."""
    spans = narrow_vs16("".join(texts))
    if not spans:
        return texts
    out, offset = [], 0
    for text in texts:
        end = offset + len(text)
        chars = list(text)
        for start, stop in spans:
            for index in range(max(start, offset), min(stop, end)):
                chars[index - offset] = " " if index == start else ""
        out.append("".join(chars))
        offset = end
    return out


class InertInput(Input):
    """An Input that draws bidi marks and separators as nothing (its value keeps them)."""

    def render_line(self, y: int) -> Strip:
        return inert_strip(super().render_line(y))


class InertTextArea(TextArea):
    """A TextArea that draws bidi marks and separators as nothing (its text keeps them)."""

    def render_line(self, y: int) -> Strip:
        return inert_strip(super().render_line(y))
