"""The private parts of Textual that pollstui leans on, checked so an upgrade fails here, loudly.

pollstui overrides three private things (each commented where it is done):
- ``App._handle_exception`` / ``App._fatal_error`` (pollstui/tui/app.py): the crash report is one
  redacted line, never rich's traceback with local variables (the token). Behaviour is tested in
  test_crash_output.py; this file checks the hooks still exist where they are overridden.
- ``Footer._bindings_ready`` (widgets/footer.py): a recompose at most once per frame, and only
  when the keys change (speed only).
- ``FooterKey.compact`` and its ``-compact`` class (widgets/footer.py): a key starts as its
  footer's binding will make it, not restyled twice on mount (speed only).
The package allows textual>=8.2,<9; the tests pin the version the snapshots were taken on.
"""

from __future__ import annotations

import inspect

from textual.app import App
from textual.widgets import Footer


def test_the_crash_hooks_pollstui_overrides_still_exist():
    assert list(inspect.signature(App._handle_exception).parameters) == ["self", "error"]
    assert list(inspect.signature(App._fatal_error).parameters) == ["self"]
    assert "_exit_renderables" in inspect.getsource(App._fatal_error)


def test_footer_still_waits_for_bindings_ready():
    assert hasattr(Footer, "_bindings_ready")
    assert "_bindings_ready" in inspect.getsource(Footer.compose)


def test_footer_key_still_starts_compact_and_shows_it_with_a_class():
    from textual.widgets._footer import FooterKey

    assert FooterKey.compact._default is True
    assert '"-compact"' in inspect.getsource(FooterKey._watch_compact)
