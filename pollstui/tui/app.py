"""PollsApp: the connection, the API client, global bindings and the one place worker failures
become notifications. Screens and widgets own the behaviour.

httpx and pydantic are imported only when the first request is made (in a worker, after the
first frame): nothing at the top of this module or of the main screen imports them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from pollstui.api.errors import PollsError, redact
from pollstui.session.session import Session
from pollstui.text import sanitize, strip_controls
from pollstui.tui import actions, errors, heap
from pollstui.tui.commands import PollsCommands
from pollstui.tui.theme import POLLSTUI_THEME, start_with

if TYPE_CHECKING:
    from pollstui.session.prefetch import Prefetch
    from pollstui.api.client import PollsClient
    from pollstui.profiles import ProfileStore
    from pollstui.settings import Connection

log = logging.getLogger("pollstui.tui")


class PollsApp(App[None]):
    """The pollstui terminal app.

    ``client_factory(connection)`` replaces ``connection.make_client()``: the seam tests use to
    inject faults.
    """

    # The main screen's rules too (they all start with MainScreen): read with the app's own, they
    # are parsed once at start; read when the screen is pushed, they made Textual parse and apply
    # every stylesheet a second time just before the first frame.
    CSS_PATH = ["app.tcss", "screens/main.tcss"]
    TITLE = "pollstui"
    COMMANDS = {PollsCommands}  # Textual's system commands too, after pollstui's
    BINDINGS = actions.bindings("app")
    # Classes every screen gets unless it sets its own: dialogs tighten below 80×24.
    HORIZONTAL_BREAKPOINTS = [(0, "-small"), (80, "-roomy")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]

    def __init__(
        self,
        connection: Connection | None,
        *,
        profile_store: ProfileStore | None = None,
        read_only: bool = False,
        client_factory: Callable[[Connection], PollsClient] | None = None,
        prefetch: Prefetch | None = None,
    ) -> None:
        super().__init__()
        self.session = Session(
            connection, client_factory=client_factory, profile_store=profile_store, read_only=read_only,
            on_wait=self._client_waits, prefetch=prefetch,
        )
        #: A site URL given this session (when the profile has none, or there is no profile).
        self.site_url = ""
        #: The user's own keys from [keys] in the config file (action id → keys), as applied.
        self.key_overrides: dict[str, str] = {}
        self.register_theme(POLLSTUI_THEME)
        start_with(self, POLLSTUI_THEME)

    # --- what the screens use (the session holds it) ----------------------------------------

    @property
    def profile_store(self) -> ProfileStore:
        store = self.session.profile_store
        if store.load_error is not None and not self._told_profile_error:
            self._told_profile_error = True
            self.report_error(store.load_error)
        return store

    _told_profile_error = False
    #: On once the config's theme is applied: later changes are the user's, kept in the config file
    #: (a class attribute: App.__init__ sets the theme, and so calls watch_theme, before ours runs).
    _remember_theme = False

    async def use_connection(self, connection: Connection) -> None:
        """Switch to ``connection`` (after the first-run setup) and open the main screen."""
        await self.session.use_connection(connection)
        from pollstui.tui.screens.main import MainScreen

        await self.switch_screen(MainScreen())

    def _client_waits(self, seconds: float, reason: str) -> None:
        """The client waits before trying again (the server asked, with Retry-After): the main
        screen's status line says so while it lasts."""
        from pollstui.tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_wait(seconds)

    # --- text from outside ---------------------------------------------------------------------

    def notify(
        self, message: str, *, title: str = "", severity: Any = "information", timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (screens' and widgets' ``notify`` end here), made inert for the
        terminal: a message quoting a poll or the server cannot drive it. Callers pass
        ``markup=False`` whenever the message holds text from outside."""
        super().notify(
            sanitize(message), title=sanitize(title, single_line=True), severity=severity, timeout=timeout, markup=markup
        )

    async def on_event(self, event: events.Event) -> None:
        # Pasted text reaches an Input or TextArea as it is: take out the controls and escape
        # sequences no one types (a paste from a terminal brings colour codes), so none goes into
        # a poll; every other character stays as pasted (placeholders would be saved as text).
        if isinstance(event, events.Paste):
            event.text = strip_controls(event.text)
        await super().on_event(event)

    # --- errors -----------------------------------------------------------------------------

    def report_error(self, error: BaseException, *, title: str = "") -> None:
        """Tell the user what went wrong, in plain words; never a traceback, never the token."""
        if isinstance(error, PollsError):
            message = redact(errors.told(error))
            title = title or errors.words_for(error).title
        else:
            log.error("unexpected error in a worker", exc_info=error)
            message = redact(
                f"Something went wrong inside pollstui ({type(error).__name__}: {error}). "
                "Try again; if it keeps happening, please report it with the log file (pollstui info)."
            )
            title = title or "Unexpected error"
        self.notify(message, title=title, severity="error", timeout=8, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        # Textual's own crash report is rich's traceback *with local variables*: the token, the
        # pasted URL and every request URL would be printed to the terminal (or the browser page
        # in web mode). Remember the error so _fatal_error can print it redacted instead.
        self._crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An unhandled exception ends the app: one redacted line (a redacted traceback without
        locals with ``POLLSTUI_DEBUG=1``), never the token."""
        import traceback

        from rich.text import Text

        error = getattr(self, "_crash", None)
        self.bell()
        if os.environ.get("POLLSTUI_DEBUG") and error is not None:
            text = "".join(traceback.format_exception(error))
        else:
            text = (
                f"pollstui: error: unexpected {type(error).__name__}: {error}. "
                "Set POLLSTUI_DEBUG=1 to see the traceback.\n"
            )
        self._exit_renderables.append(Text(sanitize(redact(text))))
        self._close_messages_no_wait()

    def report_worker(self, worker: Worker) -> None:
        """The one handler for failed workers; screens forward their worker events here."""
        if worker.state is WorkerState.ERROR and worker.error is not None:
            self.report_error(worker.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker(event.worker)

    # --- screens and actions ----------------------------------------------------------------

    def _apply_preferences(self) -> None:
        """The theme and [keys] from the config file; problems are told, never fatal."""
        store = self.profile_store
        if not store.loaded:
            try:
                store.load()
            except PollsError as error:
                self.report_error(error)
        prefs = store.prefs
        where = str(store.path)
        problems: list[str] = []
        theme = prefs.theme
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        elif theme is not None:
            names = ", ".join(sorted(self.available_themes))
            problems.append(f"theme = {theme!r} in {where} is not a theme here; using {self.theme}. Themes: {names}.")
        if prefs.keys is not None:  # (what reads the table is loaded only when there is one)
            from pollstui.tui.keymap import keymap_from_config

            self.key_overrides, more = keymap_from_config(prefs.keys, where)
            problems += more
        if self.key_overrides:
            self.set_keymap(self.key_overrides)
        for problem in problems:
            log.warning("%s", problem)
            self.notify(problem, title="Config file", severity="warning", timeout=12, markup=False)
        self._remember_theme = True

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the palette is kept in the config file for the next start."""
        if not self._remember_theme:
            return
        keep = partial(self.session.write_profiles, lambda store: store.remember_theme(theme))
        self.keep_in_profiles(keep, "Theme not saved")

    @work(group="profiles", exit_on_error=False)
    async def keep_in_profiles(self, write: Callable[[], Awaitable[None]], title: str = "") -> None:
        """Run ``write``, one of the session's writes of the profiles file (each off the UI loop, in
        call order), in a worker; a failure is reported under ``title``, nothing else stops."""
        try:
            await write()
        except PollsError as error:
            self.report_error(error, title=title)

    def get_default_screen(self) -> Screen:
        """The main screen, as the first screen, when there is a connection (else the setup is
        pushed on mount: Textual reads a screen's CSS_PATH only for pushed screens, and the main
        screen's rules are read with the app's).

        As the default screen its first frame is the app's first frame (a screen pushed on mount
        is drawn inside Textual's start-up batch and dropped until the terminal's first Resize).
        """
        if self.session.connection is None:
            return super().get_default_screen()
        from pollstui.tui.screens.main import MainScreen

        return MainScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(heap.resume)  # `pollstui` paused the collector for the start
        self._apply_preferences()
        if self.session.connection is None:
            from pollstui.tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help" and not parameters and self._typing():
            return False  # `?` is typed into the field (f1 still opens the help)
        return True

    def _typing(self) -> bool:
        """Whether the focused widget takes ``?`` as typed text (an Input, a TextArea)."""
        focused = self.focused
        return focused is not None and focused.check_consume_key("question_mark", "?")

    def action_help(self, anywhere: bool = False) -> None:
        """Open the help of the screen on top (over a dialog too), or close it when it is open."""
        from pollstui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(self.screen))

    async def on_unmount(self) -> None:
        await self.session.aclose()


def run_tui(
    connection: Connection | None,
    profile_store: ProfileStore | None = None,
    read_only: bool = False,
    prefetch: Prefetch | None = None,
) -> None:
    """Run the app in the terminal until the user quits; warnings and errors go to the log file.

    ``prefetch``: the first request, already on its way (see :mod:`pollstui.session.prefetch`).
    """
    from pollstui.logs import log_to_file

    handler = log_to_file()
    try:
        PollsApp(connection, profile_store=profile_store, read_only=read_only, prefetch=prefetch).run()
    finally:
        if handler is not None:
            handler.close()
