"""The footer of every full screen (main, all items, present mode, editor, setup): the screen's keys on
one line, fitted to the width.

:class:`FittingFooter` shows what Textual's ``Footer`` shows (each shown binding of
``screen.active_bindings`` once per action, greyed when disabled, the command palette's key on
the right), drawn the same way (the theme's ``$footer-*`` colours), from public parts only. Where
the width runs out it drops first the keys a new user needs least (each action's ``footer_keep``
in pollstui.tui.actions; from the right among equals), never Quit and Help: every key still works
and the help (``?``) lists them all. The keys of a binding group (``Binding.Group``, as the options
editor's Move up and Move down) are drawn together before the group's description, as Textual's
footer draws them, and kept or dropped together. A key is clicked like Textual's (a disabled one rings the bell)
and shows its tooltip on hover. It is one widget: a change of bindings redraws one line, and only
when the line would differ.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from pollstui.tui.actions import ACTIONS

#: Actions the footer keeps whatever the width: the way out and the way to every other key.
ESSENTIAL = frozenset({"quit", "help"})

#: From this many columns the footer has room around each key and shows the palette key.
WIDE_WIDTH = 100

#: How long the footer keeps each binding (by id) as the width runs out: the lowest go first.
KEEP = {action.id: action.footer_keep for action in ACTIONS}


class FooterEntry(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    #: The binding's ``footer_keep``: the footer drops the lowest first.
    keep: int = 0
    #: The description of the binding's group, "" for none.
    group: str = ""


#: Keys drawn as one: a key alone, or the keys of one binding group (then its description).
Unit = tuple[FooterEntry, ...]


def units(entries: list[FooterEntry]) -> list[Unit]:
    """``entries`` in units: neighbours in the same group together (a group of one is a key alone)."""
    found: list[list[FooterEntry]] = []
    for entry in entries:
        if entry.group and found and found[-1][-1].group == entry.group:
            found[-1].append(entry)
        else:
            found.append([entry])
    return [tuple(unit) for unit in found]


def description(unit: Unit) -> str:
    return unit[0].group if len(unit) > 1 else unit[0].description


def key_cells(unit: Unit, compact: bool) -> int:
    """The cells a unit takes in the footer: its keys, a space, description, and padding (or margin)."""
    return sum(cell_len(entry.display) for entry in unit) + 1 + cell_len(description(unit)) + (1 if compact else 2)


def fit(entries: list[Unit], width: int, compact: bool) -> list[Unit]:
    """The units to show in ``width`` cells, in order: the lowest ``keep`` dropped first (from the
    right among equals), never :data:`ESSENTIAL`."""
    shown = list(entries)
    droppable = sorted(
        (u for u in reversed(entries) if not any(e.action in ESSENTIAL for e in u)), key=lambda u: max(e.keep for e in u)
    )
    while droppable and sum(key_cells(u, compact) for u in shown) > width:
        shown.remove(droppable.pop(0))
    return shown


@lru_cache(maxsize=None)
def declared_order(node_type: type) -> dict[str, int]:
    """Where each action stands in the bindings a class declares (its ``BINDINGS``)."""
    order: dict[str, int] = {}
    for binding in Binding.make_bindings(getattr(node_type, "BINDINGS", [])):
        order.setdefault(binding.action, len(order))
    return order


class FittingFooter(Widget, can_focus=False):
    """The screen's keys, fitted to the width (see the module's docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover", "footer-key--rule"}
    DEFAULT_CSS = """
    FittingFooter {
        dock: bottom; height: 1; text-wrap: nowrap; text-overflow: clip;
        color: $footer-foreground; background: $footer-background;
        .footer-key--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer-key--description { color: $footer-description-foreground; background: $footer-description-background; }
        .footer-key--hover { background: $block-hover-background; }
        .footer-key--rule { color: $foreground 20%; }
    }
    """

    #: Less room around each key (narrow terminals, present mode).
    compact = reactive(False)
    #: Show the command palette's key on the right.
    show_command_palette = reactive(True)

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True) -> None:
        super().__init__()
        self.set_reactive(FittingFooter.compact, compact)
        self.set_reactive(FittingFooter.show_command_palette, show_command_palette)
        self._entries: tuple[tuple[FooterEntry, ...], FooterEntry | None] | None = None
        self._spans: list[tuple[int, int, FooterEntry]] = []  # where each key on show was drawn
        self._hovered: FooterEntry | None = None

    def follow_width(self, width: int) -> None:
        """Compact, without the palette's key (ctrl+p is in the help), below :data:`WIDE_WIDTH`."""
        self.show_command_palette = width >= WIDE_WIDTH
        self.compact = width < WIDE_WIDTH

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        if self.app.app_focus and screen is self.screen:  # (without the focus, the keys come back with it)
            entries = self._read_entries()
            if entries != self._entries:
                self._entries = entries
                self.refresh()

    def _read_entries(self) -> tuple[tuple[FooterEntry, ...], FooterEntry | None]:
        """The keys to show (one per action, in the order each node declares its bindings, whatever
        keys a keymap gave them) and the command palette's key."""
        app, active = self.app, self.screen.active_bindings
        keys: dict[str, FooterEntry] = {}
        places: dict[str, tuple[int, int]] = {}
        nodes: list[object] = []
        for node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                if node not in nodes:
                    nodes.append(node)
                keys[binding.action] = FooterEntry(binding.key, app.get_key_display(binding), binding.description,
                                                   binding.action, enabled, tooltip or (binding.description if binding.group else ""),
                                                   KEEP.get(binding.id, 0), binding.group.description if binding.group else "")  # fmt: skip
                # Textual moves a rebound key to the end of its node's bindings: put it back.
                places[binding.action] = (nodes.index(node), declared_order(type(node)).get(binding.action, len(places)))
        keys = dict(sorted(keys.items(), key=lambda item: places[item[0]]))
        palette = None
        if app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _ = active[app.COMMAND_PALETTE_BINDING]
            palette = FooterEntry(binding.key, app.get_key_display(binding), binding.description, binding.action,
                                  enabled, binding.tooltip or binding.description)  # fmt: skip
        return tuple(keys.values()), palette

    @property
    def shown(self) -> list[FooterEntry]:
        """The keys on show now, left to right, the command palette's last."""
        return [entry for _, _, entry in self._spans]

    def render(self) -> Text:
        if self._entries is None:
            self._entries = self._read_entries()
        keys, palette = self._entries
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            palette = None
        compact, width = self.compact, self.size.width
        # The command palette's key: a thin rule, the key in its compact form, room after it unless compact.
        right = Text("▏", self.get_component_rich_style("footer-key--rule")) if palette else Text()
        if palette:
            self._draw(right, (palette,), True)
            right.append("" if compact else " ")
        line = Text()
        self._spans = []  # (the palette's goes last, where it lands)
        for unit in fit(units(list(keys)), width - right.cell_len, compact):
            if compact and self._spans:
                line.append(" ")  # the margin between compact keys
            self._draw(line, unit, compact)
        if palette:
            line.append(" " * max(0, width - line.cell_len - right.cell_len))
            self._spans.append((line.cell_len + 1, line.cell_len + right.cell_len, palette))
            line.append_text(right)
        line.stylize_before(self.rich_style)
        return line

    def _draw(self, line: Text, unit: Unit, compact: bool) -> None:
        """Append ``unit`` to ``line`` as Textual's footer draws it: the keys (padded unless compact),
        then the description."""
        key_style = self.get_component_rich_style("footer-key--key")
        pad, start = "" if compact else " ", line.cell_len
        words = Text(f" {description(unit)}" if compact else f"{description(unit)} ", self.get_component_rich_style("footer-key--description"))
        if len(unit) == 1:  # a key alone: one target, dimmed and lit with its description
            line.append_text(self._look(Text.assemble((pad + unit[0].display + pad, key_style), words), unit[0]))
            self._spans.append((start, line.cell_len, unit[0]))
            return
        line.append(pad, key_style)
        for entry in unit:  # a group's keys: one target each, the description dimmed when none is enabled
            at = line.cell_len
            line.append_text(self._look(Text(entry.display, key_style), entry))
            self._spans.append((at, line.cell_len, entry))
        line.append(pad, key_style)
        line.append_text(words if any(entry.enabled for entry in unit) else self._look(words, None))

    def _look(self, text: Text, entry: FooterEntry | None) -> Text:
        """``text`` dimmed for a disabled key (None: a group with none enabled), lit under the mouse."""
        if entry is None or not entry.enabled:
            text.stylize(Style(dim=True))
        if entry is not None and entry == self._hovered:
            text.stylize(Style(bgcolor=self.get_component_rich_style("footer-key--hover").bgcolor))
        return text

    # --- the mouse, as on Textual's footer keys --------------------------------------------------

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def _hover(self, entry: FooterEntry | None) -> None:
        if entry != self._hovered:
            self._hovered = entry
            self.tooltip = entry.tooltip if entry is not None and entry.tooltip else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._entry_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is not None and entry.enabled:
            self.app.simulate_key(entry.key)
        elif entry is not None:
            self.app.bell()
