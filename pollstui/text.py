"""Text for a terminal: made inert, measured in cells, cut to fit, and counted in words.

Titles, descriptions, option names, server messages and profile fields are written by other
people, and terminals obey escape sequences: ``ESC ] 52`` sets the clipboard, ``ESC ] 2`` the
window title, ``ESC [ 2 J`` clears the screen, and a bidi override reverses the text after it.
:func:`sanitize` makes such text inert by replacing every character that drives a terminal with
a visible placeholder; the CLI's formatters and the TUI's widgets call it where outside text
enters what they draw. Plain text passes through unchanged (and fast), and sanitising twice
changes nothing.

What becomes what:

- C0 controls and DEL become their Unicode control pictures (ESC is ``␛``, BEL ``␇``, DEL ``␡``),
  except newline and tab in multi-line text (``\\r\\n`` counts as a newline there). With
  ``single_line=True`` every line break and tab becomes one space.
- C1 controls (U+0080–U+009F), the bidi embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029) become their code point
  in angle brackets, e.g. ``⟨U+009B⟩`` and ``⟨U+202E⟩``.
- Format characters that draw as nothing (:data:`INVISIBLE`: zero-width space, joiners,
  LRM/RLM/ALM, word joiner, BOM, soft hyphen, tag characters…) become their code point too, so "Budget" and
  "Bud⟨U+200B⟩get" look different. Where one does draw something they stay: a joiner inside an
  emoji sequence (👨‍👩‍👧) or between letters of a script that joins (Arabic, the Indic scripts), and
  the tags of a flag (🏴 + tags + U+E007F, Scotland's).
- The emoji presentation selector (VS16, U+FE0F) goes after a character that is narrow by default
  (🗄️ becomes 🗄, ❤️ ❤, 1️⃣ 1⃣): Rich counts such a pair two cells, while terminals that
  measure by wcwidth (xterm, VTE, tmux 3.3) draw one, so a row came out one cell short and left
  a stale cell at its end. Without it every terminal draws, and Rich counts, one narrow cell.
  Inside an emoji ZWJ sequence (🏳️‍🌈) and after a wide emoji (⭐️) it stays.

Outside text bound for a spreadsheet (``results --format csv``) goes through
:func:`spreadsheet_cell`, which writes a cell a spreadsheet would run as a formula as text.

Typed or pasted text is another matter: it is the user's own, and goes into a poll as it is.
:func:`strip_controls` takes out only what no one types, the C0 and C1 controls and whole
escape sequences (a paste from a terminal brings colour codes along), and leaves every other
character as it came, bidi marks included, for the widget to draw.

Cell widths come from :mod:`rich.cells` (emoji with modifiers and joiners are two cells, as
terminals draw them), imported on the first measurement only, so importing this module keeps the
CLI's start-up on the standard library (tests/test_import_hygiene.py).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "BIDI", "INVISIBLE", "STEERING", "cell_width", "editable", "fit", "json_text", "narrow_vs16", "one_line", "plural",
    "sanitize", "spreadsheet_cell", "strip_controls", "truncate", "unless_untouched", "votes",
]  # fmt: skip

ELLIPSIS = "…"

#: The bidi embeddings, overrides and isolates.
BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: Characters other than C0/DEL/C1 that steer a terminal's text: the bidi marks, and the Unicode
#: line and paragraph separators.
STEERING = (*BIDI, 0x2028, 0x2029)


#: Format characters a terminal draws as nothing, which let one title look like another: soft
#: hyphen, ALM, Mongolian vowel separator, zero-width space, ZWNJ, ZWJ, LRM, RLM, word joiner,
#: invisible operators, BOM and the tag characters. (All are outside ``str.isprintable``, so
#: plain text keeps its fast path.)
INVISIBLE = (0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF, *range(0xE0000, 0xE0080))
_INVISIBLE = re.compile(
    "[\U000E0000-\U000E007F]+|[" + "".join(chr(c) for c in INVISIBLE if c < 0xE0000) + "]"
)
_JOINERS = "\u200c\u200d"
_BLACK_FLAG = "\U0001F3F4"
_CANCEL_TAG = "\U000E007F"


def _joins(ch: str) -> bool:
    """Whether a joiner next to ``ch`` can change what is drawn: an emoji or modifier, a mark, or
    a letter of a script past Latin, Greek, Cyrillic and Armenian (Hebrew onwards: Arabic, the
    Indic scripts…), where ZWJ and ZWNJ choose letter forms."""
    import unicodedata

    if ch == "\ufe0f":
        return True
    category = unicodedata.category(ch)
    return category in ("So", "Sk") or category[0] == "M" or (category[0] == "L" and ord(ch) >= 0x0590)


def _show_invisible(match: re.Match[str]) -> str:
    found, text, start, end = match.group(), match.string, match.start(), match.end()
    if found[0] in _JOINERS:
        if 0 < start and end < len(text) and _joins(text[start - 1]) and _joins(text[end]):
            return found
    elif found[0] >= "\U000E0000":  # a run of tags: a flag when 🏴 comes before and a cancel tag ends it
        if start > 0 and text[start - 1] == _BLACK_FLAG and found[-1] == _CANCEL_TAG and len(found) > 1:
            return found
    return "".join(f"⟨U+{ord(ch):04X}⟩" for ch in found)


#: VS16 (a run of them) after a character that is neither a joiner nor joined to the one before
#: it, and with no joiner after it: outside any emoji ZWJ sequence.
_VS16 = re.compile("(?<!\u200d)([^\u200d])(\ufe0f++)(?!\u200d)", re.DOTALL)


def narrow_vs16(text: str) -> list[tuple[int, int]]:
    """Where :func:`sanitize` leaves VS16 out of ``text``: the (start, end) of each run of U+FE0F
    after a symbol that is narrow by default (text presentation), outside emoji ZWJ sequences.
    Rich counts the pair two cells, wcwidth terminals draw one; edit fields, which keep the
    user's bytes, draw a space in its place (pollstui.tui.widgets.inert_fields)."""
    if "\ufe0f" not in text:
        return []
    import unicodedata

    return [m.span(2) for m in _VS16.finditer(text) if unicodedata.east_asian_width(m.group(1)) not in ("W", "F")]


def _without_narrow_vs16(text: str) -> str:
    spans = narrow_vs16(text)
    if not spans:
        return text
    kept, last = [], 0
    for start, end in spans:
        kept.append(text[last:start])
        last = end
    return "".join(kept) + text[last:]


def _table(*, single_line: bool) -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟
    table[0x7F] = "\u2421"  # ␡
    for code in (*range(0x80, 0xA0), *STEERING):
        table[code] = f"⟨U+{code:04X}⟩"
    if single_line:
        table[0x0A] = table[0x09] = " "
    else:
        del table[0x0A], table[0x09]
    return table


#: What JSON text needs so a terminal cannot be driven by it: DEL, C1 and the steering characters
#: written as ``\uXXXX`` escapes (the same JSON value; C0 controls JSON escapes already).
JSON_ESCAPES: dict[int, str] = {code: f"\\u{code:04x}" for code in (0x7F, *range(0x80, 0xA0), *STEERING)}


def json_text(data: Any) -> str:
    """``data`` as indented JSON, readable (non-ASCII as is) but with every character that
    could drive a terminal written as a ``\\uXXXX`` escape: the same JSON value, safe to print
    or to paste (the CLI's ``--json``, the TUI's ``y``)."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2).translate(JSON_ESCAPES)


_MULTI_LINE = _table(single_line=False)
_SINGLE_LINE = _table(single_line=True)
_EDITABLE = {single: {k: v for k, v in table.items() if k not in BIDI} for single, table in ((False, _MULTI_LINE), (True, _SINGLE_LINE))}


def sanitize(text: Any, *, single_line: bool = False) -> str:
    """``text`` with every character that could drive a terminal shown as a visible placeholder.

    Newlines and tabs stay in multi-line text; with ``single_line`` they (and ``\\r\\n``) become
    one space. Anything that is not a string is shown as ``str(text)``, made inert the same way.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _without_narrow_vs16(text)  # first: a joiner is kept or shown by what is left beside it
    if not text.isprintable():  # (plain text has no control, format or separator character)
        if "\r\n" in text:
            text = text.replace("\r\n", " " if single_line else "\n")
        text = _INVISIBLE.sub(_show_invisible, text.translate(_SINGLE_LINE if single_line else _MULTI_LINE))
    return text


#: A whole escape sequence, 7-bit or 8-bit: CSI (``ESC [`` … final byte), a string (OSC ``ESC ]``,
#: DCS ``ESC P``, SOS, PM, APC) up to BEL or ST (unterminated: to the end), or ``ESC`` with its
#: intermediate and final bytes.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
#: C0 controls but newline and tab, DEL and the C1 controls: taken out of typed text.
_CONTROLS = {code: None for code in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if code not in (0x09, 0x0A)}


def strip_controls(text: str) -> str:
    """``text`` as typed characters: escape sequences and C0/C1 controls taken out (``\\r\\n``
    and a lone ``\\r`` become a newline); newline, tab and every other character, bidi marks
    included, kept. For what a user pastes: their text, not placeholders for it."""
    if text.isprintable():
        return text
    text = _ESCAPE_SEQUENCE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.translate(_CONTROLS)


def editable(text: Any, *, single_line: bool = False) -> str:
    """``text`` for an edit field that draws bidi marks as nothing (the TUI's
    :mod:`~pollstui.tui.widgets.inert_fields`): as :func:`sanitize` gives it, but the bidi marks
    stay characters, so an edited title keeps them instead of saving placeholders for them."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if text.isprintable():
        return text
    if "\r\n" in text:
        text = text.replace("\r\n", " " if single_line else "\n")
    return text.translate(_EDITABLE[single_line])


def unless_untouched(value: str, original: str, *, single_line: bool = False) -> str:
    """What an edit field holds, as the poll should keep it: ``original`` itself when the field
    still shows exactly what :func:`editable` made of it (so saving a poll whose title the user
    did not touch sends the server's bytes back), else ``value``."""
    return original if value == editable(original, single_line=single_line) else value


#: What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """``text`` for a CSV cell a spreadsheet will not run: a leading ``'`` when it starts with
    ``= + - @``, a tab or a carriage return (``=1+1``, ``@SUM(1,2)``, ``+cmd|' /C calc'!A0``), as
    OWASP advises; spreadsheets show the rest as text, the ``'`` hidden or shown as typed."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def one_line(text: Any) -> str:
    """``text`` inert and on one line, runs of whitespace collapsed to one space."""
    return " ".join(sanitize(text, single_line=True).split())


# --- cells ---------------------------------------------------------------------------------------


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wide characters two, emoji sequences as one glyph)."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def truncate(text: Any, width: int) -> str:
    """``text`` made inert, on one line, and cut to ``width`` cells with an ellipsis when cut.

    A cut never splits a wide character or an emoji sequence.
    """
    text = one_line(text)
    if width <= 0:
        return text if width == 0 and not cell_width(text) else ""  # (a lone combining mark fits)
    if text.isascii():  # one cell per character (one_line left no controls)
        return text if len(text) <= width else text[: width - 1] + ELLIPSIS
    if cell_width(text) <= width:
        return text
    from rich.cells import split_graphemes

    spans, _ = split_graphemes(text)
    used = end = 0
    for _start, stop, size in spans:
        if used + size > width - 1:
            break
        used += size
        end = stop
    return text[:end] + ELLIPSIS


def fit(text: Any, width: int) -> str:
    """``text`` as :func:`truncate` gives it, padded with spaces to exactly ``width`` cells."""
    text = truncate(text, width)
    return text + " " * max(0, width - cell_width(text))


# --- words -----------------------------------------------------------------------------------


def plural(count: int, word: str, many: str | None = None, *, grouped: bool = False) -> str:
    """``"1 vote"``, ``"2 votes"`` (``many`` when the plural is not ``word + "s"``);
    ``grouped`` writes thousands with separators (``"1,204 votes"``)."""
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {word if count == 1 else (many or word + 's')}"


def votes(count: int, *, grouped: bool = False) -> str:
    """``"1 vote"``, ``"0 votes"``, ``"1,204 votes"`` (with ``grouped``)."""
    return plural(count, "vote", grouped=grouped)


def seconds_text(seconds: float) -> str:
    """``2 s``, ``1.5 s``, ``2 min`` — for intervals and delays shown on screen."""
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    if seconds == int(seconds):
        return f"{int(seconds)} s"
    return f"{seconds:.1f} s"
