"""The main screen's actions on polls and content items: open the editor, run the session's
delete / undo / duplicate in workers and say what they did, copy, present, add and remove items.

A mixin of :class:`~pollstui.tui.screens.main.MainScreen` (its state and drawing live there).
"""

from __future__ import annotations

import json
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work

from pollstui.api.errors import PollsError
from pollstui.session.listing import as_poll, is_unreadable, raw_title
from pollstui.tui import actions
from pollstui.tui.poll_order import SORT_NAMES, next_sort

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from pollstui.api.address import ContentRef
    from pollstui.api.listing import UnreadablePoll
    from pollstui.api.models import Poll
    from pollstui.session.changes import Outcome
    from pollstui.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


#: Seconds during which a second read-only refusal adds no second notification.
REFUSAL_QUIET = 6.0


class PollActions(_Base):
    _changing = False  # a delete, undo or duplicate is running
    _refused_at = -REFUSAL_QUIET  # when read-only mode last explained itself

    def _refuse_write(self) -> bool:
        """In read-only mode: explain once (not once per key press) and refuse."""
        if not self.app.read_only:
            return False
        now = time.monotonic()
        if now - self._refused_at >= REFUSAL_QUIET:
            self._refused_at = now
            self.notify(actions.READ_ONLY_REASON, title="Read-only", severity="warning", timeout=REFUSAL_QUIET)
        return True

    # --- which poll ----------------------------------------------------------------------------

    def _current_item(self) -> Poll | UnreadablePoll | None:
        """The highlighted item, a readable one as its model (the table shows views of the JSON)."""
        item = self.table.current_item
        if item is None:
            self.notify("No poll is highlighted.", severity="warning")
            return None
        try:
            return as_poll(item)
        except ValueError:  # pydantic's ValidationError: the models refuse what the list read
            self.notify("pollstui cannot read this poll: refresh the list (r).", severity="warning")
            return None

    def _current_poll(self, doing: str = "") -> Poll | None:
        """The highlighted poll; None (and why) when there is none or it cannot be read."""
        item = self._current_item()
        if is_unreadable(item):
            self.notify(f"pollstui cannot read this poll, so it cannot be {doing or 'used'}: d deletes it.",
                        severity="warning")  # fmt: skip
            return None
        return item  # type: ignore[return-value]

    # --- the editor ----------------------------------------------------------------------------

    def action_new_poll(self) -> None:
        if self._refuse_write():
            return
        if self.ref is None:
            self.notify("Choose a content item first, or add one with a.", severity="warning")
            return
        from pollstui.tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.ref, None), partial(self._after_edit, self.ref))

    def action_edit_poll(self) -> None:
        if self._refuse_write():
            return
        poll = self._current_poll("edited")
        if poll is None or self.ref is None:
            return
        from pollstui.tui.screens.editor import EditorScreen

        self.app.push_screen(EditorScreen(self.ref, poll.clone()), partial(self._after_edit, self.ref))

    def action_edit_json(self) -> None:
        if self._refuse_write():
            return
        poll = self._current_poll("edited")
        if poll is not None and self.ref is not None and self._not_changing():
            self._edit_json(self.ref, poll)

    @work(group="change", exit_on_error=False)
    async def _edit_json(self, ref: ContentRef, poll: Poll) -> None:
        """E: the poll's JSON in $EDITOR (see pollstui.tui.external_editor)."""
        from pollstui.tui.external_editor import edit_as_json

        try:
            shown = await edit_as_json(self.app, ref, poll.clone())
        except PollsError as error:
            self.app.report_error(error)
            return
        finally:
            self._changing = False
        self._after_edit(ref, shown)

    def _after_edit(self, ref: ContentRef, poll: Poll | None) -> None:
        if poll is not None and self.ref is not None and self.ref.key == ref.key:
            self.reload(highlight_id=poll.id)

    def _check_drafts(self) -> None:
        if self.ref is not None and self.listing.source.has_data:
            self._mark_drafts(self.ref, {p.id for p in self.listing.polls if p.id})

    @work(exclusive=True, group="drafts", exit_on_error=False)
    async def _mark_drafts(self, ref: ContentRef, poll_ids: set[str]) -> None:
        """Mark the polls that have an unsaved draft (the files are looked at in a thread)."""
        try:
            drafted = await self.app.session.drafted(ref, poll_ids)
        except OSError:
            return  # no marks is no harm: the editor still offers the draft
        if self.ref is not None and self.ref.key == ref.key:
            self.table.set_drafted(frozenset(drafted))

    # --- delete, undo, duplicate ---------------------------------------------------------------

    def _not_changing(self) -> bool:
        """Claim the one change at a time, here on the UI loop (a second key press, even in the same
        burst, finds it taken); the worker that runs the change releases it."""
        if self._changing:
            self.notify("Still busy with the last change; try again in a moment.", severity="warning")
            return False
        self._changing = True
        return True

    def action_delete_poll(self) -> None:
        if self._refuse_write():
            return
        item = self._current_item()
        if item is not None and self.ref is not None and self._not_changing():
            from pollstui.tui.ask import ModalAsk  # the dialogs load when first needed, not at start

            self._change(partial(self.app.session.delete, self.ref, item, ModalAsk(self.app)))

    def action_undo(self) -> None:
        if not self._refuse_write() and self._not_changing():
            from pollstui.tui.ask import ModalAsk

            self._change(partial(self.app.session.undo, ModalAsk(self.app)))

    def action_duplicate_poll(self) -> None:
        if self._refuse_write():
            return
        poll = self._current_poll("duplicated")
        if poll is not None and self.ref is not None and self._not_changing():
            self._duplicate(self.ref, poll)

    @work(group="change", exit_on_error=False)
    async def _duplicate(self, ref: ContentRef, poll: Poll) -> None:
        from pollstui.tui.screens.duplicate import DuplicateScreen

        try:
            target = await self.app.push_screen_wait(DuplicateScreen(poll.title, ref, self.app.session.endpoint))
        except BaseException:
            self._changing = False
            raise
        if target is None:
            self._changing = False
        else:
            self._change(partial(self.app.session.duplicate, ref, poll.clone(), target))  # keeps the claim

    @work(group="change", exit_on_error=False)
    async def _change(self, operation: Any) -> None:
        """Run a session operation (it asks through modals), say what it did, show the result."""
        try:
            outcome: Outcome = await operation()
        finally:
            self._changing = False
        changed = outcome.ref
        here = changed is not None and self.ref is not None and self.ref.key == changed.key
        if outcome.message:
            self.notify(self._told(outcome, here), title=outcome.title, severity=outcome.severity,  # type: ignore[arg-type]
                        timeout=10 if outcome.error else 8, markup=False)  # fmt: skip
        maybe = outcome.error is not None and outcome.error.maybe_done  # "Maybe deleted": show the list as it is now
        if not (outcome.done or maybe) or changed is None:
            return
        if here:
            self.reload(highlight_id=outcome.poll.id if outcome.poll is not None else None)
        elif self.app.connection is None or changed.product == self.app.connection.product:
            self.sidebar.add_ref(changed, move_cursor=False)
            self.remember(changed)
            if self.ref is not None:
                self.remember(self.ref)  # the item on screen stays the most recent

    @staticmethod
    def _told(outcome: Outcome, here: bool) -> str:
        """The outcome's words, and for a change that may have been made, how to check: the list
        on screen is loaded again (by _change); another content item's is in the sidebar."""
        if not outcome.check_before:
            return outcome.message
        if here:
            check = "The list is loaded again: check it"
        else:
            check = f"Open {outcome.ref.label} to check" if outcome.ref is not None else "Refresh the list to check"
        return f"{outcome.message} {check} before {outcome.check_before}."

    # --- copying -------------------------------------------------------------------------------

    def action_copy_json(self) -> None:
        item = self._current_item()
        if item is None:
            return
        data = item.raw if is_unreadable(item) else item.to_api()  # type: ignore[union-attr]
        title = raw_title(data) or item.id or "the poll"
        text = json.dumps(data, indent=2, ensure_ascii=False)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the JSON of “{title}” ({len(text.splitlines())} lines).", markup=False)

    def action_copy_curl(self) -> None:
        item = self._current_item()
        if item is None or self.ref is None or self.app.connection is None:
            return
        from pollstui.session.copies import curl_command

        url = self.app.session.client.url(self.ref, item.id or None, expand_results=True)
        self.app.copy_to_clipboard(curl_command(url))
        self.notify("Copied a curl command; it reads the token from $POLLS_TOKEN.", markup=False)

    # --- present mode --------------------------------------------------------------------------

    def action_present(self) -> None:
        poll = self._current_poll("presented")
        if poll is None or self.ref is None:
            return
        from pollstui.tui.screens.present import PresentScreen

        self.app.push_screen(PresentScreen(self.ref, self.listing.models(), poll.id), self._after_present)

    def _after_present(self, poll_id: str | None) -> None:
        if poll_id and poll_id != self.table.current_poll_id:
            self.table.highlight(poll_id)  # the rows are the same: only the cursor moves

    # --- content items -------------------------------------------------------------------------

    def action_open_in_browser(self) -> None:
        from pollstui.tui.browse import open_item

        if self.ref is None:
            self.notify("Choose a content item first, or add one with a.", severity="warning")
            return
        open_item(self.app, self.ref)

    def action_cycle_sort(self) -> None:
        order = next_sort(self.table.sort)
        self.table.set_sort(order)
        self.notify(f"Sorted by {SORT_NAMES[order]}; s for the next order.", timeout=3)
        self.remember_sort(order)

    def action_add_content(self) -> None:
        from pollstui.tui.screens.add_content import AddContentScreen

        connection = self.app.connection
        if connection is not None:
            self.app.push_screen(AddContentScreen(connection.product, connection.endpoint), self._content_added)

    def _content_added(self, ref: ContentRef | None) -> None:
        if ref is None:
            return
        self.sidebar.add_ref(ref)
        self.open_content(ref)
        self.table.focus()

    def action_remove_content(self) -> None:
        sidebar = self.sidebar
        ref = sidebar.highlighted_ref if self.focused is sidebar else self.ref
        if ref is None:
            ref = sidebar.highlighted_ref
        if ref is None:
            self.notify("Put the cursor on a content item (not a workspace) to remove it.", severity="warning")
            return
        was_current = self.ref is not None and self.ref.key == ref.key
        sidebar.remove_ref(ref)
        self.forget(ref)
        self.notify(f"Removed {ref.label} from the list. Its polls are untouched.", markup=False)
        if was_current:
            remaining = sidebar.refs
            if remaining:
                self.open_content(remaining[0])
            else:
                self.show_nothing()

    def remember(self, ref: ContentRef) -> None:
        """Put ``ref`` first in the profile's recent items."""
        self._change_profile(self.app.session.remember, ref)

    def remember_sort(self, order: str) -> None:
        """Keep the table's order in the profile."""
        self._change_profile(self.app.session.remember_sort, order)

    def forget(self, ref: ContentRef) -> None:
        self._change_profile(self.app.session.forget, ref)

    @work(group="recents", exit_on_error=False)
    async def _change_profile(self, change: Callable[[Any], Awaitable[None]], value: Any) -> None:
        """The session writes the profile (in a thread); a failure is reported, nothing else stops."""
        try:
            await change(value)
        except PollsError as error:
            self.app.report_error(error)
