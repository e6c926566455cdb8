"""The private parts of Textual that pollstui leans on, checked so an upgrade fails here, loudly.

pollstui leans on four private things (each commented where it is done):
- ``App._handle_exception`` / ``App._fatal_error`` (pollstui/tui/app.py): the crash report is one
  redacted line, never rich's traceback with local variables (the token). Behaviour is tested in
  test_crash_output.py; this file checks the hooks still exist where they are overridden.
- ``Footer._bindings_ready`` (widgets/footer.py): a recompose at most once per frame, and only
  when the keys change (speed only).
- ``FooterKey.compact`` and its ``-compact`` class (widgets/footer.py): a key starts as its
  footer's binding will make it, not restyled twice on mount (speed only).
- what ``App._watch_theme`` does (tui/theme.py's ``start_with``): the app starts with its theme
  set as that watcher would set it, without the stylesheet refresh a theme change queues.
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


def test_the_theme_watcher_still_does_what_start_with_does_in_its_place():
    """start_with sets the theme's class and the stylesheet's variables; the ANSI filter and the
    mode classes only change with dark or ANSI, for which it lets the watcher run."""
    import ast
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(App._watch_theme)))
    called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert called == {
        "_invalidate_css", "_refresh_truecolor_filter", "ansi_theme", "call_next", "classes", "current_theme",
        "dark", "name", "publish", "refresh_css", "startswith", "theme_changed_signal", "update_classes",
    }  # fmt: skip
