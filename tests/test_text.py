"""pollstui.text: hostile text made inert, cells measured, text cut to fit, counts in words.

The properties hold for arbitrary strings (hypothesis draws from every Unicode category,
control and format characters included).
"""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pollstui.text import (
    BIDI,
    cell_width,
    editable,
    fit,
    one_line,
    plural,
    sanitize,
    strip_controls,
    truncate,
    unless_untouched,
    votes,
)

PROPERTY = settings(max_examples=300, deadline=None, database=None)

#: Characters that steer a terminal besides the Cc category: bidi embeddings, overrides and
#: isolates, and the Unicode line and paragraph separators.
STEERING = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)}

#: Strings biased towards the characters that matter: escapes, C1, bidi, line breaks.
DANGEROUS = st.sampled_from([
    "\x1b", "\x07", "\x9b", "\x9d", "\x7f", "\r", "\n", "\t", "\r\n", "\x00", *STEERING,
    "\u200b", "\u200d", "\u200c", "\u200e", "\ufeff", "\U000e0041", "\U000e007f", "\U0001f3f4", "👨", "ب",
    "\ufe0f", "\U0001f5c4", "⭐",
])  # fmt: skip
hostile = st.lists(st.text(max_size=6) | DANGEROUS, max_size=12).map("".join)


def drives_a_terminal(ch: str, *, single_line: bool) -> bool:
    if ch in STEERING:
        return True
    if unicodedata.category(ch) != "Cc":
        return False
    return single_line or ch not in "\n\t"


@PROPERTY
@given(hostile)
def test_sanitized_text_never_holds_a_control_character_or_bidi_override(text: str) -> None:
    for single_line in (False, True):
        out = sanitize(text, single_line=single_line)
        assert not [ch for ch in out if drives_a_terminal(ch, single_line=single_line)], (text, out)


@PROPERTY
@given(hostile)
@example("\x1f\u200c\ufe0f")  # a ZWNJ kept for the VS16 after it, which then went
def test_sanitizing_twice_changes_nothing(text: str) -> None:
    for single_line in (False, True):
        once = sanitize(text, single_line=single_line)
        assert sanitize(once, single_line=single_line) == once
    assert one_line(one_line(text)) == one_line(text)


@PROPERTY
@given(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"), blacklist_characters="\ufe0f")))
def test_plain_text_passes_unchanged(text: str) -> None:
    """(Unassigned code points are not plain text: the tag block's, U+E0000, is shown as one.)"""
    assert sanitize(text) == text
    assert sanitize(text, single_line=True) == text


@PROPERTY
@given(hostile)
def test_stripped_controls_leave_no_control_and_every_other_character(text: str) -> None:
    out = strip_controls(text)
    assert not [ch for ch in out if unicodedata.category(ch) == "Cc" and ch not in "\n\t"], (text, out)
    assert strip_controls(out) == out
    # Only controls and what escape sequences carry are taken out; bidi marks are the user's text.
    kept = [ch for ch in text if unicodedata.category(ch) != "Cc" and ch not in "\n\t"]
    if "\x1b" not in text and "\x9b" not in text and not any(c in text for c in "\x90\x98\x9d\x9e\x9f"):
        assert [ch for ch in out if ch not in "\n\t"] == kept


@PROPERTY
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"))))
def test_typed_text_without_controls_is_kept_as_typed(text: str) -> None:
    assert strip_controls(text) == text  # bidi isolates, separators, emoji: never placeholders


@PROPERTY
@given(hostile)
def test_an_edit_field_shows_controls_as_placeholders_and_keeps_bidi_marks(text: str) -> None:
    bidi = {chr(c) for c in BIDI}
    for single_line in (False, True):
        shown = editable(text, single_line=single_line)
        assert [ch for ch in shown if drives_a_terminal(ch, single_line=single_line) and ch not in bidi] == []
        assert [ch for ch in shown if ch in bidi] == [ch for ch in text if ch in bidi]  # kept, not placeholders
        assert unless_untouched(shown, text, single_line=single_line) is text  # untouched: the original bytes
        edited = shown + "!"
        assert unless_untouched(edited, text, single_line=single_line) == edited


def test_pasted_escape_sequences_go_whole() -> None:
    assert strip_controls("a\x1b[31mred\x1b[0m \x1b]2;title\x07b \x1b]52;c;cHd=\x1b\\c \x9b1m") == "ared b c "
    assert strip_controls("one\r\ntwo\rthree\x00\x85") == "one\ntwo\nthree"
    assert strip_controls("\u2067Beyoncé\u2069 \u202e") == "\u2067Beyoncé\u2069 \u202e"


def test_multi_line_text_keeps_its_lines_and_tabs() -> None:
    assert sanitize("first\nsecond\tcolumn") == "first\nsecond\tcolumn"
    assert sanitize("windows\r\nline") == "windows\nline"
    assert sanitize("a\nb\tc", single_line=True) == "a b c"


def test_each_kind_of_terminal_control_is_shown_not_obeyed() -> None:
    clipboard = "x\x1b]52;c;cHduZWQ=\x1b\\"
    assert sanitize(clipboard) == "x␛]52;c;cHduZWQ=␛\\"
    assert sanitize("\x1b]2;pwned\x07") == "␛]2;pwned␇"
    assert sanitize("bell\x7f") == "bell␡"
    assert sanitize("c1 \x9b2J") == "c1 ⟨U+009B⟩2J"
    assert sanitize("abc\u202etxt.exe") == "abc⟨U+202E⟩txt.exe"
    assert sanitize("isolate\u2066x\u2069") == "isolate⟨U+2066⟩x⟨U+2069⟩"
    assert sanitize("lone\rreturn") == "lone␍return"


def test_characters_that_draw_as_nothing_are_shown_where_they_could_disguise_a_title() -> None:
    assert sanitize("Bud\u200bget") == one_line("Bud\u200bget") == "Bud⟨U+200B⟩get"
    assert sanitize("Bud\u200cget \u200dx \u200e\u200f\u061c") == "Bud⟨U+200C⟩get ⟨U+200D⟩x ⟨U+200E⟩⟨U+200F⟩⟨U+061C⟩"
    assert sanitize("\ufeffsoft\xadhyphen\u2060") == "⟨U+FEFF⟩soft⟨U+00AD⟩hyphen⟨U+2060⟩"
    assert sanitize("tag\U000e0041\U000e007f") == "tag⟨U+E0041⟩⟨U+E007F⟩"
    assert sanitize("Дa\u200dа") == "Дa⟨U+200D⟩а"  # Cyrillic does not join: a look-alike


def test_invisible_characters_that_draw_something_stay() -> None:
    family, scotland = "👨\u200d👩\u200d👧", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
    persian, devanagari = "می\u200cخواهم", "क्\u200dष"
    for text in (family, scotland, persian, devanagari, "🏳\ufe0f\u200d🌈"):
        assert sanitize(text) == one_line(text) == text
    assert sanitize("🏴\U000e0067 no cancel tag") == "🏴⟨U+E0067⟩ no cancel tag"


#: Symbols whose default presentation is text (one cell), which VS16 asks to draw as emoji.
TEXT_DEFAULT = "\U0001f5c4\u2764\u263a\u2702\u2708\u26a0\u2600\u00a9\u2122#1"


def test_vs16_after_a_narrow_symbol_goes_so_it_is_one_cell_everywhere() -> None:
    """Rich counts 🗄️ (U+1F5C4 U+FE0F) two cells, tmux 3.3 and other wcwidth terminals draw one:
    the row came out a cell short and left a stale cell at its end. Without VS16 both say one."""
    assert sanitize("🗄\ufe0f Storage") == one_line("🗄\ufe0f Storage") == "🗄 Storage"
    assert cell_width(sanitize("🗄\ufe0f Storage")) == 9 == len("🗄 Storage")
    assert fit("🗄\ufe0f Storage", 12) == "🗄 Storage   "
    assert sanitize("❤\ufe0f 1\ufe0f\u20e3 x\ufe0f\ufe0f") == "❤ 1\u20e3 x"  # keycaps and stray runs too
    # A wide emoji keeps it (two cells either way), and so does an emoji ZWJ sequence, drawn whole.
    for text in ("⭐\ufe0f", "🏳\ufe0f\u200d🌈", "🧑\u200d⚕\ufe0f", "❤\ufe0f\u200d🔥"):
        assert sanitize(text) == text
    assert editable("🗄\ufe0f Storage") == "🗄\ufe0f Storage"  # an edited title keeps the user's bytes


@PROPERTY
@given(st.text(st.sampled_from([*TEXT_DEFAULT, "\ufe0f", "a", " "]), max_size=20))
def test_text_default_symbols_measure_as_wcwidth_terminals_draw_them(text: str) -> None:
    out = sanitize(text)
    assert cell_width(out) == len(out.replace("\u20e3", "").replace("\ufe0f", ""))  # one cell a symbol
    assert "\ufe0f" not in out.lstrip("\ufe0f")  # (a VS16 with nothing before it draws nothing)


def test_non_strings_are_shown_as_text() -> None:
    assert sanitize(None) == ""
    assert sanitize(42) == "42"


# --- cells -----------------------------------------------------------------------------------------


def test_cell_width_counts_emoji_sequences_as_terminals_draw_them() -> None:
    assert cell_width("abc") == 3
    assert cell_width("日本") == 4
    assert cell_width("e\u0301") == 1  # a combining accent takes no column
    assert cell_width("👍🏽") == 2  # skin-tone modifier: one glyph
    assert cell_width("👨\u200d👩\u200d👧") == 2  # zero-width joiners: one glyph
    assert cell_width("🗄\ufe0f") == 2  # emoji presentation of a narrow symbol


@PROPERTY
@given(hostile, st.integers(0, 30))
def test_truncate_fits_the_width_and_stays_inert(text: str, width: int) -> None:
    out = truncate(text, width)
    assert cell_width(out) <= width
    assert not [ch for ch in out if drives_a_terminal(ch, single_line=True)]
    if cell_width(one_line(text)) <= width:
        assert out == one_line(text)  # nothing cut when it fits
    elif width:
        assert out.endswith("…")
    assert cell_width(fit(text, width)) == width


def test_truncate_never_splits_a_wide_character_or_an_emoji_sequence() -> None:
    assert truncate("日本語のタイトル", 6) == "日本…"
    assert truncate("👨\u200d👩\u200d👧 family poll", 3) == "👨\u200d👩\u200d👧…"
    assert truncate("ab👍🏽cd", 4) == "ab…"
    assert truncate("plain ascii title", 8) == "plain a…"
    assert truncate("anything", 0) == ""


# --- words ------------------------------------------------------------------------------------------


def test_plural_and_vote_counts() -> None:
    assert votes(1) == "1 vote"
    assert votes(0) == "0 votes"
    assert votes(1204, grouped=True) == "1,204 votes"
    assert plural(2, "voter") == "2 voters"
    assert plural(3, "reply", "replies") == "3 replies"


def test_importing_the_text_module_leaves_rich_for_the_first_measurement() -> None:
    """The CLI imports pollstui.text at start-up, which must stay on the standard library."""
    from tests.test_import_hygiene import loaded_after

    assert "rich" not in loaded_after("import pollstui.text, pollstui.cli")
    assert "rich" in loaded_after("import pollstui.text as t; t.cell_width('日本')")
