"""EditorScreen: create a poll, or edit one, from the keyboard — and lose nothing.

``EditorScreen(ref, None)`` starts a new poll from the default template (title empty and focused);
``EditorScreen(ref, poll)`` edits ``poll`` (title focused). The screen dismisses with the saved
:class:`Poll`, or None when cancelled (or refused in read-only mode).

Keys (in the footer): ``ctrl+s`` save, ``escape`` cancel (asks first when there are unsaved
changes), ``ctrl+t`` template, ``ctrl+n`` add an option; inside the options ``ctrl+r`` removes one
and ``ctrl+up`` / ``ctrl+down`` (or ``alt+up`` / ``alt+down``) move it. Tab goes title →
description → options → settings.

How nothing is lost: the editor works on a copy of the loaded poll and writes back only the
fields the user changed (unknown fields go back untouched); every change is autosaved as a draft
(:class:`DraftKeeper`), offered again on reopening and discarded only after a successful save, a
confirmed cancel, or Discard; a failed save keeps everything and says why.

Saving: validation first (errors under the fields; nothing is sent), then the session's save
(:mod:`pollstui.session.saving`: conflicts, options with votes, re-create after a delete, a lost
create that arrived after all), answering its questions with modal dialogs.
"""

from __future__ import annotations

from typing import Any, Optional

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, Switch, TextArea
from textual.worker import Worker

from pollstui.tui import actions
from pollstui.api.address import ContentRef
from pollstui.api.models import Poll, PollOption, new_option_id
from pollstui.api.templates import DEFAULT_TEMPLATE, TEMPLATES
from pollstui.session.saving import EditBaseline, SaveStatus, votes_by_option
from pollstui.text import editable, one_line, sanitize, unless_untouched
from pollstui.tui.ask import ModalAsk, announce_save, said
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.restore_draft import RestoreDraftScreen
from pollstui.tui.screens.template_picker import TemplatePickerScreen
from pollstui.tui.widgets.footer import FittingFooter
from pollstui.tui.widgets.inert_fields import InertInput, InertTextArea
from pollstui.tui.widgets.options_editor import OptionInput, OptionsEditor
from pollstui.tui.widgets.settings_form import SettingsForm

#: Seconds after the last change before the draft is written.
AUTOSAVE_DELAY = 0.5


def unknown_fields_note(poll: Poll) -> str:
    """A line naming the fields the editor does not show (they are kept as they are), or ''."""
    names = list(poll.extra_fields)
    names += [f"settings.{name}" for name in poll.settings.extra_fields]
    option_fields = sorted({name for option in poll.options for name in option.extra_fields})
    names += [f"options[].{name}" for name in option_fields]
    if not names:
        return ""
    return "Also kept as they are (not edited here): " + ", ".join(names)


class DraftKeeper:
    """The draft of the poll an :class:`EditorScreen` edits, owned by that editor: an edit is never lost.

    :meth:`offer` shows a saved draft on opening (restore or discard); until it is answered nothing
    is written, so an old draft is never overwritten unseen. Then each change is written
    :data:`AUTOSAVE_DELAY` after the last one, through the session (in a thread, in the order
    asked, on the app, so a write asked just before the editor closes still happens); when the app
    quits with the editor open, what is pending is written at once (:meth:`flush`). Nothing is
    written once the editor is closed.
    """

    def __init__(self, editor: EditorScreen) -> None:
        self._editor = editor
        self._timer: Timer | None = None
        self._pending: Poll | None = None  # the poll as edited at the last change, when it differs
        self._offered = False  # the saved draft was answered (or there was none)

    def offer(self) -> None:
        """Offer the draft saved for this poll, if any: restored into the editor, or discarded."""
        editor = self._editor
        session = editor.app.session
        draft = session.drafts.load(editor.ref, editor.poll_id)
        if draft is None:
            self._offered = True
            return

        async def answered(restore: bool | None) -> None:
            if restore is False:
                await session.discard_draft(editor.ref, editor.poll_id)
                editor.notify("Draft discarded.", timeout=3)
            else:
                try:
                    poll = draft.poll_model()
                    original = draft.original_model()
                except Exception:  # noqa: BLE001 - DraftStore.load checked these already
                    poll, original = None, None
                if poll is not None:
                    if not editor.is_new and original is not None:
                        editor._original = original
                    await editor._load(poll, keep_baseline=True)
                    editor.notify("Draft restored.", timeout=3)
            self._offered = True
            editor._update_status()
            editor.query_one("#title", Input).focus()

        editor.app.push_screen(RestoreDraftScreen(draft), callback=answered)

    def changed(self, poll: Poll | None) -> None:
        """A field changed: write the draft :data:`AUTOSAVE_DELAY` from now (a later change moves it
        on). ``poll`` is the poll as edited, None while a widget is being replaced."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._editor.set_timer(AUTOSAVE_DELAY, self._autosave, name="editor-autosave")
        if poll is not None:
            self._pending = poll if self._editor.is_dirty(poll) else None

    def _autosave(self) -> None:
        self._timer = None
        editor = self._editor
        if editor.closed or not self._offered:
            return
        try:
            poll = editor.current_poll()
        except Exception:  # noqa: BLE001 - widgets already gone (app shutting down)
            return
        if editor.is_dirty(poll):
            editor.app.run_worker(self.write(poll), group="drafts")

    async def write(self, poll: Poll) -> bool:
        """Write ``poll`` as the draft now; False (and a warning) when the file cannot be written."""
        editor = self._editor
        try:
            await editor.app.session.save_draft(editor.ref, editor.poll_id, poll, editor._original)
        except OSError as exc:
            editor.notify(f"Could not autosave the draft ({exc.strerror or exc}).", severity="warning", markup=False)
            return False
        return True

    def discard(self) -> None:
        """The editor closed on purpose (saved, cancelled): no more writes, and the draft goes."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        editor = self._editor
        # On the app: the screen's own workers end with it.
        editor.app.run_worker(editor.app.session.discard_draft(editor.ref, editor.poll_id), group="drafts")

    def flush(self) -> None:
        """Write what is pending at once, in this thread (the app is quitting: no worker would run).
        The widgets may be gone: this uses the poll as it was at the last change."""
        if self._timer is None:
            return
        self._timer.stop()
        self._timer = None
        editor = self._editor
        if not editor.closed and self._offered and self._pending is not None:
            try:
                editor.app.session.drafts.save(editor.ref, editor.poll_id, self._pending, editor._original)
            except OSError:
                pass  # nothing left to tell it to: the app is closing


class EditorScreen(Screen[Optional[Poll]]):
    """The poll editor (see the module docstring)."""

    #: Its name in the action registry (pollstui.tui.actions): its keys, its help.
    ACTION_SCREEN = "editor"

    CSS_PATH = "editor.tcss"
    AUTO_FOCUS = "#title"

    BINDINGS = actions.bindings("editor")

    #: The line under the form: what happened or what to do, and whether it reports a problem.
    status: var[tuple[str, bool]] = var(("", False), init=False)

    def __init__(self, ref: ContentRef, poll: Poll | None, *, template: str = DEFAULT_TEMPLATE) -> None:
        super().__init__()
        self.ref = ref
        self.poll_id: str | None = poll.id if poll is not None and poll.id else None
        self.template_name: str | None = None
        if poll is not None:
            self._original: Poll | None = poll.clone()
            self._poll = poll.clone()
        else:
            self.template_name = template if template in TEMPLATES else DEFAULT_TEMPLATE
            self._original = None
            self._poll = TEMPLATES[self.template_name].new_poll()
        self._votes_source: Poll | None = self._original  # (both only read; replaced, never changed)
        self._baseline, self._dirty = EditBaseline(self._poll), (None, False)
        self._saving = False
        self.closed = False  # closing (or refused): nothing more is saved or drafted
        self.drafts = DraftKeeper(self)

    # -- layout ----------------------------------------------------------------------------

    @property
    def is_new(self) -> bool:
        return self.poll_id is None

    def compose(self) -> ComposeResult:
        poll = self._poll
        yield Static(f"{'New' if self.is_new else 'Edit'} poll on {one_line(self.ref.label)}", id="editor-header",
                     markup=False)  # fmt: skip
        with VerticalScroll(id="editor-body"):
            with Vertical(id="editor-form"):
                yield Label("Title", classes="section-label", id="title-label")
                # Fields show outside text inert; current_poll() gives back the original if untouched.
                yield InertInput(editable(poll.title, single_line=True), placeholder="What do you want to ask? (required)", id="title", select_on_focus=False)
                yield Label("", classes="field-error", id="title-error", markup=False)
                yield Label("Description", classes="section-label", id="description-label")
                yield InertTextArea(
                    editable(poll.description),
                    id="description",
                    soft_wrap=True,
                    tab_behavior="focus",
                    show_line_numbers=False,
                    compact=True,
                    placeholder="Optional: context for the voters",
                )
                yield Label(
                    "Options   [dim]ctrl+n add · ctrl+r remove · ctrl+↑/↓ move · enter next[/]",
                    classes="section-label",
                    id="options-label",
                )
                yield OptionsEditor(
                    poll.options,
                    votes=votes_by_option(self._votes_source),
                    reserved_ids=self._reserved_ids(),
                    id="options",
                )
                yield Label("", classes="field-error", id="options-error", markup=False)
                yield Label("Settings", classes="section-label", id="settings-label")
                yield SettingsForm(poll.settings, id="settings")
                yield Label(sanitize(unknown_fields_note(poll)), id="unknown-fields", markup=False)
        yield Static("", id="editor-status", markup=False)
        yield FittingFooter()

    def _reserved_ids(self) -> set[str]:
        """Option ids a new option must never take: those the poll has on the server."""
        ids = {o.id for o in self._original.options} if self._original is not None else set()
        if self._votes_source is not None:
            ids |= {o.id for o in self._votes_source.options}
        return ids

    @property
    def options_editor(self) -> OptionsEditor:
        return self.query_one("#options", OptionsEditor)

    @property
    def settings_form(self) -> SettingsForm:
        return self.query_one("#settings", SettingsForm)

    # -- moving between options (priority bindings: see pollstui.tui.actions) ---------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("option_step", "option_next"):
            # Only inside an option; elsewhere up/down/enter go to the focused widget as usual.
            return isinstance(self.focused, OptionInput)
        return True

    def action_option_step(self, delta: int) -> None:
        self.options_editor.step(self.focused, delta)

    async def action_option_next(self) -> None:
        await self.options_editor.next_or_add(self.focused)

    # -- lifecycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.app.session.read_only:
            self.closed = True
            self.app.notify(
                "Read-only mode: polls cannot be created or edited here. "
                "Start pollstui without --read-only (or change the profile) to edit.",
                title="Read-only",
                severity="warning",
            )
            self.call_after_refresh(self._refuse_and_close)
            return
        self.query_one("#unknown-fields").display = bool(unknown_fields_note(self._poll))
        self._update_status()
        self.drafts.offer()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker(event.worker)  # worker events do not bubble: a failed save attempt is told

    def on_unmount(self) -> None:
        self.drafts.flush()  # the app quits with the editor open: what is pending is written now

    def _refuse_and_close(self) -> None:
        self.dismiss(None)  # not awaited: this runs in the screen's own message loop

    async def _load(self, poll: Poll, *, keep_baseline: bool = False) -> None:
        """Show ``poll`` in every field (a restored draft, a reload)."""
        self._poll = poll.clone()
        if not keep_baseline:
            self._baseline, self._dirty = EditBaseline(self._poll), (None, False)
        self.query_one("#title", Input).value = editable(poll.title, single_line=True)
        self.query_one("#description", TextArea).load_text(editable(poll.description))
        await self.options_editor.set_options(
            poll.options, votes=votes_by_option(self._votes_source), reserved_ids=self._reserved_ids()
        )
        self.settings_form.load(poll.settings)
        note = self.query_one("#unknown-fields", Label)
        note.update(sanitize(unknown_fields_note(poll)))
        note.display = bool(unknown_fields_note(poll))
        self._clear_errors()
        self._update_status()

    # -- the poll as edited ----------------------------------------------------------------

    def current_poll(self) -> Poll:
        """A copy of the loaded poll with the fields the user changed (unknown fields kept).

        A shallow copy, made after every key: what it shares with the loaded poll (options that did
        not change, unknown fields) is never changed in place (a save clones it first)."""
        poll = self._poll.model_copy()
        title = unless_untouched(self.query_one("#title", Input).value, poll.title, single_line=True)
        if title != poll.title:
            title = title.strip()
            if title != poll.title:
                poll.title = title
        description = unless_untouched(self.query_one("#description", TextArea).text, poll.description)
        if description != poll.description:
            poll.description = description
        editor = self.options_editor
        if editor.differs_from(poll.options):
            poll.options = editor.live_options()  # assigned only when changed: an untouched "options": null stays null
        settings = self.settings_form.apply_to(poll.settings)
        if settings.to_api() != poll.settings.to_api():
            poll.settings = settings
        return poll

    def is_dirty(self, poll: Poll | None = None) -> bool:
        """Whether the fields differ from what the editor opened with (``poll``: the poll as edited,
        as :meth:`current_poll` gave it; the answer for the last one is kept)."""
        if poll is None or poll is not self._dirty[0]:
            self._dirty = (poll, self._baseline.changed_in(poll or self.current_poll()))
        return self._dirty[1]

    _dirty: tuple[Poll | None, bool] = (None, False)

    # -- changes and autosave --------------------------------------------------------------

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    @on(OptionsEditor.Changed)
    def _field_changed(self, event: Any) -> None:
        """A field changed: look at the poll as edited once the messages already queued are handled
        (a burst of keys, or the fields' first messages, is one look, not one per message)."""
        if not self._looking:
            self._looking = True
            self.call_later(self._look)

    _looking = False

    def _look(self) -> None:
        self._looking = False
        if self.closed:
            return
        try:
            poll = self.current_poll()
        except Exception:  # noqa: BLE001 - a widget is being replaced; the timer will catch up
            self.drafts.changed(None)
            return
        self.drafts.changed(poll)
        if self._shown_errors:
            self._validate(poll, focus=False)
        self._update_status(poll)

    # -- status and validation -------------------------------------------------------------

    _shown_errors = False

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status = (text, error)

    def watch_status(self, status: tuple[str, bool]) -> None:
        text, error = status
        line = self.query_one("#editor-status", Static)
        line.update(sanitize(text))  # it may quote the server (a failed save's message)
        line.set_class(error, "-error")

    def _update_status(self, poll: Poll | None = None) -> None:
        """The status line for ``poll`` as edited (default: the fields as they are now)."""
        if self._saving:
            return
        try:
            dirty = self.is_dirty(poll)
        except Exception:  # noqa: BLE001
            return
        verb = "create it" if self.is_new else "save"
        if dirty:
            self._set_status(f"Unsaved changes, kept in a draft · ctrl+s to {verb}, esc to cancel")
        else:
            self._set_status(f"No changes · ctrl+s to {verb}, esc to close")

    def _clear_errors(self) -> None:
        for selector in ("#title-error", "#options-error"):
            label = self.query_one(selector, Label)
            label.update("")
            label.remove_class("-shown")
        self.settings_form.show_error(None)
        self._shown_errors = False

    def _show_error(self, selector: str, message: str | None) -> None:
        label = self.query_one(selector, Label)
        label.update(message or "")
        label.set_class(bool(message), "-shown")

    def _validate(self, poll: Poll, *, focus: bool = True) -> bool:
        """Show an error under each field that cannot be sent; True when all is well."""
        first: Widget | None = None
        title_error = None if poll.title.strip() else "A title is required."
        self._show_error("#title-error", title_error)
        if title_error:
            first = first or self.query_one("#title", Input)

        options_error = None
        empty = [i for i, o in enumerate(poll.options) if not o.title.strip()]
        if empty:
            which = ", ".join(str(i + 1) for i in empty[:10]) + (f" and {len(empty) - 10:,} more" if len(empty) > 10 else "")
            options_error = (
                f"Option {which} {'has' if len(empty) == 1 else 'have'} no text: type some, "
                "or remove it with ctrl+r."
            )
        self._show_error("#options-error", options_error)
        if options_error and first is None:
            first = self.options_editor.input_for(empty[0])

        settings = poll.settings
        date_error = self.settings_form.end_date_problem()
        if date_error is None and settings.close_poll_on_end_date and not settings.end_date.strip():
            date_error = "“Close the poll on the end date” needs an end date: set one, or turn that switch off."
        self.settings_form.show_error(date_error)
        if date_error and first is None:
            first = self.query_one("#end-date", Input)

        self._shown_errors = bool(title_error or options_error or date_error)
        if first is not None and focus:
            first.focus()
            error_label = {
                "title": "#title-error",
                "end-date": "#end-date-error",
            }.get(first.id or "", "#options-error")
            label = self.query_one(error_label)

            def reveal() -> None:
                first.scroll_visible(animate=False)
                label.scroll_visible(animate=False)

            self.call_after_refresh(reveal)
        return not self._shown_errors

    # -- actions ---------------------------------------------------------------------------

    async def action_add_option(self) -> None:
        await self.options_editor.add_option()

    def action_quit_hint(self) -> None:
        self.notify("Close the editor first: esc cancels, ctrl+s saves. (ctrl+q quits at once.)", timeout=4)

    def action_template(self) -> None:
        self.app.push_screen(TemplatePickerScreen(self.template_name), callback=self._template_chosen)

    async def _template_chosen(self, name: str | None) -> None:
        if not name or name not in TEMPLATES:
            return
        template = TEMPLATES[name]
        reserved = self._reserved_ids()
        options: list[PollOption] = []
        for option in template.options():
            if reserved:  # never reuse an id the server has: it would inherit that option's votes
                option.id = new_option_id(reserved | {o.id for o in options})
            options.append(option)
        await self.options_editor.set_options(options)
        self.settings_form.apply_template_settings(dict(template.settings))
        self.template_name = name
        self.notify(f"Options replaced by the “{template.label}” template.", timeout=3)
        rows = self.options_editor.rows()
        if rows:
            rows[0].input.focus()

    def action_cancel(self) -> None:
        if self._saving:
            self.notify("Saving… wait a moment.", timeout=2)
            return
        if not self.is_dirty():
            self._close(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._close(None)

        what = "the new poll" if self.is_new else "your changes to this poll"
        self.app.push_screen(
            ConfirmScreen(
                "Discard your changes?",
                f"Closing the editor discards {what}, including the autosaved draft.",
                confirm_label="Discard",
                cancel_label="Keep editing",
            ),
            callback=answered,
        )

    def _close(self, result: Poll | None) -> None:
        self.closed = True
        self.drafts.discard()
        self.dismiss(result)

    def action_save(self) -> None:
        if self._saving or self.closed:
            return
        self._saving = True  # set now, so a second ctrl+s before the worker starts is ignored
        self._save()

    @work(group="editor-save", exit_on_error=False)
    async def _save(self) -> None:
        try:
            saved = await self._attempt_save()
        finally:
            self._saving = False
        if saved is not None:
            self._close(saved)

    async def _attempt_save(self) -> Poll | None:
        """Validate, autosave, send; the saved poll, or None (the status line says why)."""
        poll = self.current_poll().clone()
        if not self._validate(poll):
            self._set_status("Not saved: fix the fields marked in red.", error=True)
            return None
        if self.is_dirty(poll):
            await self.drafts.write(poll)
        self._set_status("Saving…")
        original = None if self.is_new else self._original
        outcome = await self.app.session.save(self.ref, poll, original, ModalAsk(self.app), votes=self._votes_source)
        announce_save(self.app, outcome)
        if outcome.status is SaveStatus.SAVED:
            return outcome.poll
        if outcome.status is SaveStatus.RELOADED and outcome.poll is not None:
            fresh = outcome.poll
            self._original = fresh.clone()
            self._votes_source = fresh.clone()
            await self._load(fresh)
            await self.app.session.discard_draft(self.ref, self.poll_id)
            self._set_status(outcome.message)
            return None
        if outcome.status is SaveStatus.FAILED:
            self._set_status(f"Not saved — your edits are kept (draft autosaved). {said(outcome)}", error=True)
        elif outcome.status is SaveStatus.UNCERTAIN:
            self._set_status(f"Maybe saved — your edits are kept (draft autosaved). {said(outcome)}", error=True)
        else:
            self._set_status(outcome.message, error=outcome.status is SaveStatus.GONE)
        return None
