"""The Textual app: :mod:`pollstui.tui.app` (``PollsApp``, ``run_tui``), its screens and widgets.

Importing this package loads nothing: Textual loads with :mod:`pollstui.tui.app`.
"""
