"""Every action of the app, declared once.

Each :class:`Action` says which screen it belongs to, its key, the words for the footer and for
the help, its help group, whether it writes to the server, and (optionally) its name in the
command palette. From this one table come:

- the screens' ``BINDINGS`` (:func:`bindings`),
- the help screen, which lists the keys of the screen it was opened from (:func:`help_groups`),
- the command palette entries (:func:`palette`),
- read-only mode: write actions stay in the footer, greyed, and a press explains why, once
  (:func:`write_actions`, :data:`READ_ONLY_REASON`).

Rows with no ``action`` are keys Textual's widgets handle themselves (tab, arrows); they appear
only in the help. Like harlequin's ``actions.py`` and lazygit's binding table with a disabled reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding

#: Why a write action is greyed out, in the footer's tooltip, the help and the one notification.
READ_ONLY_REASON = (
    "Read-only mode: this session does not change polls. Start pollstui without --read-only "
    "(and without read_only in the profile) to edit."
)


@dataclass(frozen=True)
class Action:
    """One key on one screen (``screen="app"``: every screen)."""

    screen: str
    id: str
    key: str
    #: Textual action string (``new_poll``, ``choose('keep')``), or None for a key a widget handles.
    action: str | None
    #: The footer's word(s).
    label: str
    #: The help's sentence.
    help: str
    group: str
    writes: bool = False
    show: bool = True
    key_display: str | None = None
    #: The command palette's name for it (None: not in the palette).
    palette: str | None = None
    priority: bool = False
    #: How long a narrow footer keeps the key: the lowest go first (from the right among equals);
    #: Quit and Help always stay (pollstui.tui.widgets.footer).
    footer_keep: int = 0


_MOVE = "Move around"
_CHANGE = "Change polls"
_SHOW = "Show and copy"
_CONTENT = "Content items"
_EVERYWHERE = "Everywhere"
_FORM = "The form"
_OPTIONS = "Options"
_PRESENT = "Presenting"
_OVERVIEW = "All items"

ACTIONS: tuple[Action, ...] = (
    # --- everywhere ------------------------------------------------------------------------------
    Action("app", "quit", "q", "quit", "Quit", "quit", _EVERYWHERE),
    # Priority, so the help opens over dialogs too (a modal screen shuts out the app's own keys);
    # `?` steps aside in a text field, where it is typed (PollsApp.check_action), f1 does not.
    Action("app", "help", "question_mark", "help", "Help", "the keys of this screen (f1 too, also in a text field)",
           _EVERYWHERE, key_display="?", priority=True),
    Action("app", "help-f1", "f1", "help(True)", "Help", "", _EVERYWHERE, show=False, priority=True),
    Action("app", "palette", "ctrl+p", None, "Palette", "command palette: every action, and jump to any content item",
           _EVERYWHERE),
    # --- main screen: moving -------------------------------------------------------------------------
    Action("main", "next-pane", "tab", None, "", "next pane: content list, polls, details (shift+tab: back)", _MOVE),
    Action("main", "move", "↑ ↓", None, "", "move in the list (pgup pgdn too; home end: first and last poll)", _MOVE),
    Action("main", "open", "enter", None, "", "content list: open the item · polls: edit the poll", _MOVE),
    Action("poll-table", "first-poll", "home", "first_poll", "First", "", _MOVE, show=False),
    Action("poll-table", "last-poll", "end", "last_poll", "Last", "", _MOVE, show=False),
    # --- main screen: bound keys (in footer order) -----------------------------------------------------
    Action("main", "new-poll", "n", "new_poll", "New", "new poll on this content item", _CHANGE, writes=True,
           palette="New poll", footer_keep=9),
    Action("main", "edit-poll", "e", "edit_poll", "Edit", "edit the highlighted poll (also enter)", _CHANGE,
           writes=True, palette="Edit poll", footer_keep=9),
    Action("main", "edit-json", "E", "edit_json", "Edit JSON",
           "edit the highlighted poll's JSON in $VISUAL/$EDITOR (checked, diff shown, then saved)", _CHANGE,
           writes=True, show=False, palette="Edit poll as JSON"),
    Action("main", "delete-poll", "d", "delete_poll", "Delete", "delete the highlighted poll (asks first)", _CHANGE,
           writes=True, palette="Delete poll", footer_keep=6),
    Action("main", "undo", "u", "undo", "Undo", "undo the last change this app made on the server", _CHANGE,
           writes=True, palette="Undo last change", footer_keep=4),
    Action("main", "duplicate-poll", "c", "duplicate_poll", "Duplicate",
           "duplicate the highlighted poll (here or elsewhere)", _CHANGE, writes=True, show=False,
           palette="Duplicate poll"),
    Action("main", "copy-json", "y", "copy_json", "Copy JSON", "copy the highlighted poll's JSON", _SHOW, show=False,
           palette="Copy poll JSON"),
    Action("main", "copy-curl", "Y", "copy_curl", "Copy curl",
           "copy a curl command for it (token read from $POLLS_TOKEN)", _SHOW, show=False, palette="Copy curl command"),
    # Priority, so the letters typed right after / reach the filter even when they arrive at once
    # (a paste of keys, tmux send-keys): MainScreen.check_action steps aside in a text field.
    Action("main", "filter", "slash", "filter", "Filter", "filter the polls as you type (enter keeps the filter)",
           _MOVE, key_display="/", palette="Filter polls", priority=True, footer_keep=7),
    Action("main", "refresh", "r", "refresh", "Refresh", "load the polls again", _MOVE, palette="Refresh",
           footer_keep=3),
    Action("main", "auto-refresh", "w", "toggle_auto_refresh", "Auto-refresh",
           "refresh the list and results on their own", _SHOW, show=False, palette="Toggle auto-refresh"),
    Action("main", "present", "p", "present", "Present", "present the poll's live results full screen (for a room)",
           _SHOW, palette="Present results", footer_keep=8),
    Action("main", "toggle-voting", "C", "toggle_voting", "Voting",
           "close voting on the highlighted poll now (asks first), or reopen it until a time you give", _CHANGE,
           writes=True, palette="Close or reopen voting", footer_keep=5),
    Action("main", "open-browser", "o", "open_in_browser", "Open",
           "open the issue or page in a browser (or show its link to copy)", _SHOW, show=False,
           palette="Open in browser"),
    Action("main", "toggle-numbers", "h", "toggle_numbers", "Counts",
           "show vote counts of polls that hide them from voters", _MOVE, show=False,
           palette="Show or hide vote counts"),
    Action("main", "overview", "g", "overview", "All items",
           "every poll on the pinned items in one table (All items, at the top of the content list)", _CONTENT,
           palette="All items: every poll on the pinned items", footer_keep=8),
    Action("main", "add-content", "a", "add_content", "Add",
           "pin issue keys, page ids or pasted URLs (several at once: spaces, commas or lines)", _CONTENT,
           palette="Add content item", footer_keep=5),  # (after Voting, the key a facilitator needs in front of a room; shown from 120 columns)
    Action("main", "remove-content", "x", "remove_content", "Remove",
           "remove the selected item from the list (polls untouched)", _CONTENT, show=False,
           palette="Remove content item"),
    Action("main", "sort", "s", "cycle_sort", "Sort",
           "sort by title, votes, end date or server order (or click a header; again: reversed)", _MOVE,
           show=False, palette="Sort polls"),
    Action("main", "toggle-sidebar", "b", "toggle_sidebar", "Sidebar", "show or hide the content list", _MOVE,
           show=False, palette="Toggle sidebar"),
    Action("main", "clear-filter", "escape", "escape", "Cancel", "cancel the load in flight, else clear the filter",
           _MOVE, key_display="esc", footer_keep=10),  # (shown only while it works)
    # --- the overview (All items) ------------------------------------------------------------------------
    # Bound on the table (OverviewScreen's OverviewTable), where the focus is: the footer shows the
    # focused widget's binding of a key first, and DataTable's own enter (select_cursor, not shown)
    # hid the screen's. The key is handled in turn with the keys before it (down, enter opens the next).
    Action("overview-table", "overview.open", "enter", "screen.open_poll", "Open",
           "open the poll's item on the main screen, the poll highlighted", _OVERVIEW, key_display="enter"),
    Action("overview", "overview.present", "p", "present", "Present", "present the poll's live results full screen",
           _OVERVIEW),
    Action("overview", "overview.edit", "e", "edit_poll", "Edit", "edit the highlighted poll", _OVERVIEW, writes=True),
    Action("overview", "overview.sort", "s", "cycle_sort", "Sort",
           "sort by title, votes, end date, or open polls closing soonest first", _OVERVIEW),
    Action("overview", "overview.filter", "slash", "filter", "Filter", "filter the polls as you type (item, title, options)",
           _OVERVIEW, key_display="/", priority=True),
    Action("overview", "overview.refresh", "r", "refresh", "Refresh", "read every item again", _OVERVIEW),
    Action("overview", "overview.auto-refresh", "w", "toggle_auto_refresh", "Auto-refresh",
           "read every item again on its own, at a pace the API's rate limit allows", _OVERVIEW, show=False),
    Action("overview", "overview.back", "g", "back", "Back", "back to the main screen", _OVERVIEW, show=False),
    Action("overview", "overview.escape", "escape", "escape", "Cancel",
           "cancel the requests in flight, else clear the filter, else back", _OVERVIEW, key_display="esc"),
    # --- a list's filter (pollstui.tui.widgets.filter_box), on the main screen and All items ------------
    # Enter in the filter keeps it and gives the list the focus before the keys typed behind it are
    # handled ("/rel", enter, "e" at once edits the poll). Bound on the box: only there.
    Action("filter-box", "keep-filter", "enter", "keep", "Keep filter", "", _MOVE, show=False, priority=True),
    # --- the editor ----------------------------------------------------------------------------------
    Action("editor", "editor.save", "ctrl+s", "save", "Save", "save the poll to the server", _FORM),
    Action("editor", "editor.cancel", "escape", "cancel", "Cancel", "close the editor (asks when there are changes)",
           _FORM),
    Action("editor", "editor.template", "ctrl+t", "template", "Template", "start a new poll from a template", _FORM),
    Action("editor", "editor.add_option", "ctrl+n", "add_option", "Add option", "add an option", _OPTIONS),
    # The app's `q` quits; in a form a stray q (on a switch, say) must not close everything.
    Action("editor", "editor.quit_hint", "q", "quit_hint", "Quit", "", _FORM, show=False),
    # Navigation keys are bound with priority, so the focus moves when the key is read, before the
    # keys that arrived with it in one burst (a paste, a slow SSH link) are handed to a field.
    Action("editor", "editor.next-field", "tab", "app.focus_next", "Next field", "next field (shift+tab: back)",
           _FORM, show=False, priority=True),
    Action("editor", "editor.previous-field", "shift+tab", "app.focus_previous", "Previous field", "", _FORM,
           show=False, priority=True),
    Action("editor", "editor.option-up", "up", "option_step(-1)", "Previous option", "", _OPTIONS, show=False,
           priority=True),
    Action("editor", "editor.option-down", "down", "option_step(1)", "Next option", "", _OPTIONS, show=False,
           priority=True),
    Action("editor", "editor.option-next", "enter", "option_next", "Next option", "", _OPTIONS, show=False,
           priority=True),
    Action("editor", "editor.switch", "space", None, "", "turn a highlighted setting on or off", _FORM),
    Action("editor", "editor.option-move", "↑ ↓", None, "", "move between options (enter: next, or a new one)",
           _OPTIONS),
    Action("editor", "editor.option-remove", "ctrl+r", None, "", "remove the focused option", _OPTIONS),
    Action("editor", "editor.option-order", "ctrl+↑ ↓", None, "",
           "move the focused option up or down (alt+↑ ↓ too); votes stay with it", _OPTIONS),
    # --- present mode ----------------------------------------------------------------------------------
    Action("present", "present-previous", "left,pageup", "previous_poll", "Prev", "the previous poll", _PRESENT,
           key_display="←", footer_keep=6),
    Action("present", "present-next", "right,pagedown", "next_poll", "Next", "the next poll", _PRESENT,
           key_display="→", footer_keep=6),
    Action("present", "present-slower", "plus,equals_sign", "slower", "Slower", "refresh less often", _PRESENT,
           key_display="+", footer_keep=2),
    Action("present", "present-faster", "minus", "faster", "Faster", "refresh more often", _PRESENT,
           key_display="-", footer_keep=2),
    Action("present", "present-refresh", "r", "refresh_now", "Refresh", "refresh the results now", _PRESENT,
           show=False),
    Action("present", "present-voting", "C", "toggle_voting", "Voting",
           "close voting now (no question), or reopen it until a time you give", _PRESENT, writes=True,
           footer_keep=4),
    Action("present", "present-undo", "u", "undo", "Undo", "undo the last change this app made (a close, a reopen)",
           _PRESENT, writes=True, show=False),
    Action("present", "present-qr", "v", "toggle_qr", "QR code",
           "a QR code of the issue or page, so the room can vote on their phones", _PRESENT, footer_keep=5),
    Action("present", "present-bars-only", "f", "toggle_bars_only", "Bars only",
           "show only the bars (or everything again)", _PRESENT, footer_keep=1),
    Action("present", "present-back", "escape", "back", "Back", "back to the poll list", _PRESENT, key_display="esc",
           footer_keep=10),  # (the way out of a full screen, kept as Quit and Help are)
)

#: The keys a screen's widgets bind (rows of their own ``screen`` here), listed in the screen's help.
WIDGETS: dict[str, tuple[str, ...]] = {"main": ("poll-table",), "overview": ("overview-table",)}

#: Help groups in the order the help screen shows them, per screen.
GROUP_ORDER: dict[str, tuple[str, ...]] = {
    "main": (_MOVE, _CHANGE, _SHOW, _CONTENT),
    "editor": (_FORM, _OPTIONS),
    "present": (_PRESENT,),
    "overview": (_OVERVIEW,),
}


def for_screen(screen: str) -> tuple[Action, ...]:
    return tuple(a for a in ACTIONS if a.screen == screen)


def bindings(screen: str) -> list[Binding]:
    """The Textual bindings of ``screen``, in the table's order (the footer's order)."""
    found = []
    for a in for_screen(screen):
        if a.action is None:
            continue
        found.append(
            Binding(
                a.key, a.action, a.label, show=a.show, key_display=a.key_display, priority=a.priority, id=a.id,
                tooltip=a.help,
            )
        )
    return found


def effective_bindings(screen: str, keymap: Mapping[str, str]) -> list[Binding]:
    """The bindings of ``screen`` as the app has them after ``App.set_keymap(keymap)``: one per key,
    the ids ``keymap`` names on its keys instead (by Textual's own ``BindingsMap.apply_keymap``)."""
    from textual.binding import BindingsMap

    bound = BindingsMap(bindings(screen))
    bound.apply_keymap(dict(keymap))
    return [binding for _, binding in bound]


def write_actions(screen: str) -> frozenset[str]:
    """The action names of ``screen`` that change something on the server."""
    return frozenset(a.action for a in for_screen(screen) if a.writes and a.action)


def help_groups(screen: str) -> list[tuple[str, list[Action]]]:
    """(group, actions) for the help of ``screen`` (its widgets' keys too), its own groups first,
    then "Everywhere"."""
    own = [a for name in (*WIDGETS.get(screen, ()), screen) for a in for_screen(name) if a.help]
    groups = [(g, [a for a in own if a.group == g]) for g in GROUP_ORDER.get(screen, ())]
    groups += [(g, [a for a in own if a.group == g]) for g in dict.fromkeys(a.group for a in own) if g not in GROUP_ORDER.get(screen, ())]
    groups.append((_EVERYWHERE, [a for a in for_screen("app") if a.help]))
    return [(g, rows) for g, rows in groups if rows]


def palette(screen: str) -> tuple[Action, ...]:
    return tuple(a for a in for_screen(screen) if a.palette and a.action)


def key_text(action: Action) -> str:
    """The key as the help shows it when Textual has no binding to ask (keys widgets handle)."""
    if action.key_display:
        return action.key_display
    return {"question_mark": "?", "slash": "/", "escape": "esc"}.get(action.key, action.key)
