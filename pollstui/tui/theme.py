"""pollstui's own theme, made for the terminals people really have.

Textual's default theme draws bars and footer keys in orange (``#ffa62b``), which a 16-colour
terminal (``TERM=xterm``, common over SSH) receives as bright red (``ESC[91m``). This theme keeps
Textual's dark look but picks colours whose 16-colour form is calm: the accent (bars, footer keys)
becomes cyan, warnings become yellow rather than bright red, and every background stays one of
black and bright black, never the terminal's default mixed in. ``tests/tui/test_colours.py``
renders the screens in 16 colours and checks it.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

#: The theme the app starts with, unless the user chose another in the palette (remembered).
DEFAULT_THEME = "pollstui"

POLLSTUI_THEME = Theme(
    name=DEFAULT_THEME,
    primary="#0178D4",  # 16 colours: cyan (header, highlighted row)
    secondary="#004578",
    accent="#2aa198",  # 16 colours: cyan; 256 colours: 36 (bars, footer keys)
    warning="#c8a030",  # 16 colours: yellow; 256 colours: 179
    error="#ba3c5b",
    success="#4EBF71",
    foreground="#e0e0e0",
    background="#121212",
    surface="#1e1e1e",
    dark=True,
)


def start_with(app: App[Any], theme: Theme) -> None:
    """Make ``theme`` (registered) the theme ``app`` starts with, before it runs.

    The app ends as setting ``app.theme`` would leave it (the theme's class, the stylesheet's
    variables; a test compares the two), without the reparse of every stylesheet read so far that
    a theme change queues. A theme that differs in what else a change refreshes (dark or light,
    ANSI colours) is set as usual.
    """
    current = app.current_theme
    if current.dark != theme.dark or current.ansi != theme.ansi:
        app.theme = theme.name
        return
    app.set_reactive(App.theme, theme.name)
    app.set_class(False, f"-theme-{current.name}", update=False)
    app.set_class(True, f"-theme-{theme.name}", update=False)
    app.stylesheet.set_variables(app.get_css_variables())
