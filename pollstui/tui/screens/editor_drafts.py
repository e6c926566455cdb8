"""The editor's drafts: offered on opening, autosaved while typing, written on the way out.

A mixin of :class:`~pollstui.tui.screens.editor.EditorScreen`. Drafts are written through the
session (in a thread, in the order asked), except when the app quits with the editor open: then
what is pending is written at once, before the process ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Input

from pollstui.tui.screens.restore_draft import RestoreDraftScreen

if TYPE_CHECKING:
    from pollstui.api.models import Poll
    from pollstui.tui.screens.editor import EditorScreen

    _Base = EditorScreen
else:
    _Base = object


class DraftKeeping(_Base):
    def _offer_draft(self) -> None:
        session = self.app.session
        draft = session.drafts.load(self.ref, self.poll_id)
        if draft is None:
            self._draft_checked = True
            return

        async def answered(restore: bool | None) -> None:
            if restore is False:
                await session.discard_draft(self.ref, self.poll_id)
                self.notify("Draft discarded.", timeout=3)
            else:
                try:
                    poll = draft.poll_model()
                    original = draft.original_model()
                except Exception:  # noqa: BLE001 - DraftStore.load checked these already
                    poll, original = None, None
                if poll is not None:
                    if not self.is_new and original is not None:
                        self._original = original
                    await self._load(poll, keep_baseline=True)
                    self.notify("Draft restored.", timeout=3)
            self._draft_checked = True
            self._update_status()
            self.query_one("#title", Input).focus()

        self.app.push_screen(RestoreDraftScreen(draft), callback=answered)

    def _autosave(self) -> None:
        self._autosave_timer = None
        if self._editor_closed or not self._draft_checked:
            return
        try:
            poll = self.current_poll()
        except Exception:  # noqa: BLE001 - widgets already gone (app shutting down)
            return
        if self.is_dirty(poll):
            # On the app, not the screen: a write asked for just before the editor closes still happens.
            self.app.run_worker(self._write_draft(poll), group="drafts")

    async def _write_draft(self, poll: Poll) -> bool:
        try:
            await self.app.session.save_draft(self.ref, self.poll_id, poll, self._original)
        except OSError as exc:
            self.notify(f"Could not autosave the draft ({exc.strerror or exc}).", severity="warning", markup=False)
            return False
        return True

    def on_unmount(self) -> None:
        # Quitting the app with the editor open: write what is pending right away (no worker
        # would run any more). The widgets may be gone: this uses the state of the last change.
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
            if not self._editor_closed and self._draft_checked and self._pending is not None:
                try:
                    self.app.session.drafts.save(self.ref, self.poll_id, self._pending, self._original)
                except OSError:
                    pass  # nothing left to tell it to: the app is closing
