"""The app's stylesheets style widgets that exist: a rule left behind by a widget that was
replaced (ResultBars, once in the detail pane) styles nothing and misleads whoever reads it."""

from __future__ import annotations

import importlib
from pathlib import Path

import textual.widgets
from textual.app import App
from textual.css.model import SelectorType
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

import pollstui.tui

TUI = Path(pollstui.tui.__file__).parent


def widget_names() -> set[str]:
    for path in sorted(TUI.rglob("*.py")):
        importlib.import_module(".".join(("pollstui", *path.relative_to(TUI.parent).with_suffix("").parts)))
    for name in textual.widgets.__all__:
        getattr(textual.widgets, name)  # (Textual's widgets load when first named)
    names, todo = set(), [DOMNode]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names


def test_every_widget_a_stylesheet_names_exists() -> None:
    known = widget_names()
    variables = App().get_css_variables()
    unknown = set()
    for path in sorted(TUI.rglob("*.tcss")):
        sheet = Stylesheet(variables=variables)
        sheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))
        sheet.parse()
        for rule in sheet.rules:
            for selectors in rule.selector_set:
                unknown |= {(path.name, s.name) for s in selectors.selectors
                            if s.type == SelectorType.TYPE and s.name not in known}  # fmt: skip
    assert not unknown
