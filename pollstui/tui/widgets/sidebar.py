"""The sidebar: "All items" (the overview), the pinned items, then workspaces → recent items.

The order is the one given at start (the pinned items in the user's order, then the profile's
recents, most recent first, by workspace); items added later join their group at the end, so
nothing jumps around while the user browses. Posts :class:`Sidebar.ContentSelected` when a
content item is chosen (enter or click), :class:`Sidebar.OverviewChosen` for "All items".
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from pollstui.api.address import ContentRef
from pollstui.text import one_line


def workspace_label(ref: ContentRef) -> Text:
    """The workspace's node: a Text, so that a name with brackets is not read as markup."""
    return Text(one_line(ref.workspace if ref.product == "jira" else f"space {ref.workspace}"))


def item_label(ref: ContentRef) -> str:
    if ref.product == "jira":
        return one_line(ref.content)
    container = ref.container if len(ref.container) <= 5 else ref.container[:4] + "…"
    return one_line(f"{ref.content} · {container}")


class Sidebar(Tree[ContentRef | None]):
    """Workspaces and their content items."""

    DEFAULT_CSS = """
    Sidebar { width: 26; overflow-x: hidden; }
    /* Without colour the selected item is the same grey as the list's header: reverse video. */
    Sidebar:nocolor > .tree--cursor, Sidebar:nocolor:focus > .tree--cursor { text-style: bold reverse; }
    """

    class ContentSelected(Message):
        """The user chose a content item."""

        def __init__(self, ref: ContentRef) -> None:
            self.ref = ref
            super().__init__()

    class OverviewChosen(Message):
        """The user chose "All items"."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__("Content", data=None, **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.current: ContentRef | None = None
        self._items: dict[str, TreeNode[ContentRef | None]] = {}
        self._workspaces: dict[str, TreeNode[ContentRef | None]] = {}
        self._overview = self.root.add_leaf(Text("★ All items"), data=None)
        self._pinned: TreeNode[ContentRef | None] | None = None

    # --- contents ----------------------------------------------------------------------------

    @property
    def refs(self) -> list[ContentRef]:
        """Every content item listed, in display order."""
        out = []
        for group in self.root.children:
            out.extend(node.data for node in group.children if node.data is not None)
        return out

    def set_refs(self, refs: list[ContentRef], current: ContentRef | None = None, pinned: list[ContentRef] = ()) -> None:
        """List ``pinned`` (in their group, in order), then ``refs`` by workspace; mark ``current``."""
        self.clear()
        self._items.clear()
        self._workspaces.clear()
        self._overview = self.root.add_leaf(Text("★ All items"), data=None)
        self._pinned = None
        for ref in pinned:
            self.add_ref(ref, move_cursor=False, pinned=True)
        for ref in refs:
            self.add_ref(ref, move_cursor=False)
        self.mark_current(current)

    def add_ref(self, ref: ContentRef, *, move_cursor: bool = True, pinned: bool = False) -> None:
        """List ``ref`` (once: a pinned item is not listed again under its workspace)."""
        if ref.key not in self._items:
            if pinned:
                if self._pinned is None:
                    self._pinned = self.root.add(Text("Pinned"), data=None, expand=True, after=self._overview)
                group = self._pinned
            else:
                group_key = f"{ref.product}/{ref.workspace}"
                group = self._workspaces.get(group_key)
                if group is None:
                    group = self.root.add(workspace_label(ref), data=None, expand=True)
                    self._workspaces[group_key] = group
            self._items[ref.key] = group.add_leaf(self._label(ref), data=ref)
        if move_cursor:
            self._cursor_to(self._items[ref.key])

    def remove_ref(self, ref: ContentRef) -> None:
        node = self._items.pop(ref.key, None)
        if node is None:
            return
        group = node.parent
        node.remove()
        if group is not None and not group.children:
            self._workspaces = {k: g for k, g in self._workspaces.items() if g is not group}
            if group is self._pinned:
                self._pinned = None
            group.remove()
        if self.current is not None and self.current.key == ref.key:
            self.current = None

    def mark_current(self, ref: ContentRef | None) -> None:
        """Show which item the poll list belongs to, and put the cursor on it."""
        previous = self.current
        self.current = ref
        for key in {r.key for r in (previous, ref) if r is not None}:
            node = self._items.get(key)
            if node is not None and node.data is not None:
                node.set_label(self._label(node.data))
        if ref is not None and ref.key in self._items:
            self._cursor_to(self._items[ref.key])

    def _cursor_to(self, node: TreeNode[ContentRef | None]) -> None:
        self.last_line  # noqa: B018 — lays the lines out, so a node added just now has a line number
        self.move_cursor(node)

    @property
    def highlighted_ref(self) -> ContentRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def _label(self, ref: ContentRef) -> Text:
        current = self.current is not None and self.current.key == ref.key
        text = Text(("● " if current else "  ") + item_label(ref))
        if current:
            text.stylize("bold")
        return text

    # --- events ------------------------------------------------------------------------------

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        ref = event.node.data
        if ref is not None:
            self.post_message(self.ContentSelected(ref))
        elif event.node is self._overview:
            self.post_message(self.OverviewChosen())
