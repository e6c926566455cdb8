"""First run: ask for a connection, test it, save it as a profile, then open the main screen.

The user pastes the URL the Polls app shows (endpoint, token and a content item in one string),
or types the endpoint and the token (masked). A pasted URL is split into the fields at once and
shown back with its token masked, so the token is never on screen. A URL typed, or sent as
keystrokes (tmux ``send-keys``, some SSH clients deliver a paste so), is masked as it goes: from
the moment ``token=`` appears, the characters after it go to the hidden token field and the URL
field shows ``token=***``; what is typed after the mask is added to the token, until ``&``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote_plus, unquote_plus

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static
from textual.timer import Timer
from textual.worker import Worker

from pollstui.api.address import ContentRef, parse_pasted_url
from pollstui.api.errors import MASK, InvalidInputError, PollsError, redact
from pollstui.text import plural, sanitize
from pollstui.tui.errors import told
from pollstui.tui.widgets.footer import FittingFooter
from pollstui.tui.widgets.header import ConnectionHeader

if TYPE_CHECKING:
    from pollstui.settings import Connection
    from pollstui.tui.app import PollsApp

INTRO = (
    "Welcome to pollstui. Paste the URL the Polls app gives you — it holds the endpoint, the access "
    "token and a content item — or type the endpoint and the token. Test the connection, then save it "
    "as a profile (kept in a file only you can read)."
)

#: Seconds without a change after which a paste (or the keystrokes a terminal sent for one) is read.
PASTE_SETTLE = 0.2

#: The token's value in a URL field (as ``redact`` finds it, but only up to the next parameter).
TOKEN_IN_URL = re.compile(r"(?i)(token=)([^&#\s]*)")


class SetupScreen(Screen[None]):
    """The first-run form."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [
        Binding("ctrl+t", "test", "Test connection", id="setup-test"),
        Binding("ctrl+s", "save", "Save", id="setup-save"),
        # With priority, so the focus moves when the key is read, before the keys that came with it
        # in one burst (tmux send-keys, a slow SSH link) are handed to a field: a token typed after
        # the endpoint goes to the hidden token field, not onto the screen in the endpoint's.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    app: PollsApp

    def __init__(self) -> None:
        super().__init__()
        self.ref: ContentRef | None = None
        self._last_url = ""
        self._url_token = ""  # the token as it was written in the URL (percent-escapes and all)
        self._paste_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield ConnectionHeader(None, id="header")
        with VerticalScroll(id="setup-body"):
            yield Static(INTRO, id="setup-intro")
            with Grid(id="setup-form"):
                yield Label("Pasted URL")
                yield Input(placeholder="https://…/x1/…?token=…&type=polls&workspace=…&content=…", id="setup-url", compact=True)
                yield Label("or endpoint")
                yield Input(placeholder="https://<id>.hello.atlassian-dev.net/x1/<trigger>", id="setup-endpoint", compact=True)
                yield Label("and token")
                yield Input(placeholder="the access token (hidden as you type)", password=True, id="setup-token", compact=True)
                yield Label("Product")
                yield Select([("Jira", "jira"), ("Confluence", "confluence")], value="jira", allow_blank=False, id="setup-product", compact=True)
                yield Label("Profile name")
                yield Input(value="default", id="setup-name", compact=True)
                yield Label("Site URL")
                yield Input(placeholder="optional: https://acme.atlassian.net (for o and QR codes)", id="setup-site", compact=True)
                yield Label("Content item")
                yield Static("none yet: add one later with a", id="setup-content", markup=False)
            with Horizontal(id="setup-buttons"):
                yield Button("Test connection", id="setup-test-button")
                yield Button("Save", variant="primary", id="setup-save-button")
            yield Static("", id="setup-result", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#setup-url", Input).focus()

    # --- the pasted URL ----------------------------------------------------------------------

    @on(Input.Changed, "#setup-url")
    def _url_changed(self, event: Input.Changed) -> None:
        grew = len(event.value) - len(self._last_url)
        self._hide_token()
        self._last_url = event.input.value
        if "://" in event.value and (grew > 10 or self._paste_timer is not None):
            # A paste, or one arriving as keystrokes in bursts: read it once the burst is over.
            if self._paste_timer is not None:
                self._paste_timer.stop()
            self._paste_timer = self.set_timer(PASTE_SETTLE, self._split_pasted)

    def _split_pasted(self) -> None:
        self._paste_timer = None
        self._split_url()

    @on(Input.Submitted, "#setup-url")
    def _url_submitted(self) -> None:
        if self.query_one("#setup-url", Input).value.strip():
            self._split_url()

    def _hide_token(self) -> None:
        """Move what follows ``token=`` in the URL field to the token field; show ``token=***``.

        Characters typed after the mask are added to the token; deleting into the mask clears it."""
        box = self.query_one("#setup-url", Input)
        match = TOKEN_IN_URL.search(box.value)
        if match is None or match.group(2) == MASK:
            return
        written = match.group(2)
        token_box = self.query_one("#setup-token", Input)
        if unquote_plus(self._url_token) != token_box.value:  # the token field was edited since
            self._url_token = quote_plus(token_box.value)
        if self._url_token and written.startswith(MASK):
            self._url_token += written[len(MASK) :]
        elif self._url_token and MASK.startswith(written):  # (backspace into the mask)
            self._url_token = ""
        else:
            self._url_token = written
        token_box.value = unquote_plus(self._url_token)
        shown = match.group(1) + (MASK if self._url_token else "")
        value = box.value[: match.start()] + shown + box.value[match.end() :]
        cursor = box.cursor_position + len(value) - len(box.value)
        box.value = value
        box.cursor_position = max(0, min(cursor, len(value)))

    def _typed_url(self) -> str:
        """The URL field's text with the token put back in place of the mask."""
        text = self.query_one("#setup-url", Input).value.strip()
        token = self.query_one("#setup-token", Input).value
        return TOKEN_IN_URL.sub(lambda m: m.group(1) + (quote_plus(token) if m.group(2) == MASK else m.group(2)), text)

    def _split_url(self) -> bool:
        if self._paste_timer is not None:  # (read now: not again later, over what this says)
            self._paste_timer.stop()
            self._paste_timer = None
        box = self.query_one("#setup-url", Input)
        text = self._typed_url()
        if not text:
            return True
        try:
            pasted = parse_pasted_url(text)
        except PollsError as error:
            self._result(told(error), error=True)
            return False
        self.query_one("#setup-endpoint", Input).value = pasted.endpoint
        if pasted.token:
            self.query_one("#setup-token", Input).value = pasted.token
            self._url_token = quote_plus(pasted.token)
        product = pasted.product
        self.query_one("#setup-product", Select).value = product
        self.ref = None
        if pasted.content:
            try:
                self.ref = pasted.content_ref(product)
            except PollsError as error:
                self._result(told(error), error=True)
        self._show_ref()
        masked = redact(text)
        self._last_url = masked
        box.value = masked
        self._result("URL read: endpoint, token and content item filled in. Test the connection, then save.")
        return True

    def _show_ref(self) -> None:
        label = f"{self.ref.label} (from the URL)" if self.ref else "none yet: add one later with a"
        self.query_one("#setup-content", Static).update(sanitize(label))

    # --- the form ----------------------------------------------------------------------------

    def _connection(self) -> Connection:
        """The connection the form describes (raises InvalidInputError when it is incomplete)."""
        from pollstui.api.address import check_endpoint, check_product
        from pollstui.settings import Connection

        url = self.query_one("#setup-url", Input).value.strip()
        if url and not self._split_url():
            raise InvalidInputError("The pasted URL could not be read; see the message below it.")
        endpoint = self.query_one("#setup-endpoint", Input).value.strip()
        token = self.query_one("#setup-token", Input).value.strip()
        product = check_product(str(self.query_one("#setup-product", Select).value))
        name = self.query_one("#setup-name", Input).value.strip() or "default"
        if not endpoint:
            raise InvalidInputError("Paste the URL from the Polls app, or type the endpoint.")
        if not token:
            raise InvalidInputError("The token is missing: paste the whole URL, or type the token.")
        endpoint = check_endpoint(endpoint)
        ref = self.ref if self.ref is not None and self.ref.product == product else None
        return Connection(endpoint=endpoint, token=token, product=product, profile_name=name, ref=ref)

    def _result(self, message: str, *, error: bool = False) -> None:
        result = self.query_one("#setup-result", Static)
        result.update(sanitize(redact(message)))  # (it quotes the server)
        result.set_class(error, "-error")
        result.set_class(not error, "-ok")
        result.call_after_refresh(result.scroll_visible)

    def action_test(self) -> None:
        try:
            connection = self._connection()
        except PollsError as error:
            self._result(told(error), error=True)
            return
        self._result("Testing the connection…")
        self._test(connection)

    @work(exclusive=True, group="setup-test", exit_on_error=False)
    async def _test(self, connection: Connection) -> None:
        ref = connection.ref
        probe = ref or (
            ContentRef.create("jira", "", "PROBE-1")
            if connection.product == "jira"
            else ContentRef.create("confluence", "probe", "probe", "probe")
        )
        try:
            client = self.app.session.new_client(connection)
            try:
                listing = await client.poll_listing(probe, results=False)
            finally:
                await client.aclose()
        except PollsError as error:
            self._result(f"Connection failed: {told(error)}", error=True)
            return
        bad = listing.unreadable
        named = "; ".join(f"{item.label}: {item.reason.split('; ')[0]}" for item in bad[:2]) + ("; …" if len(bad) > 2 else "")
        if bad and not listing.polls:  # a JSON array, but of something else: not the Polls API
            self._result(
                f"Connection failed: {connection.host} answered with a list in which pollstui can read no poll "
                f"({named}). Check that the endpoint URL is the Polls API's, or look for a newer pollstui.",
                error=True,
            )
            return
        unread = f", and {plural(len(bad), 'item')} pollstui cannot read ({named})" if bad else ""
        if ref is not None:
            self._result(f"Connected: {connection.host} answered with {plural(len(listing.polls), 'poll')} on {ref.label}{unread}.")
        else:
            self._result(f"Connected: {connection.host} accepted the token{unread}.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.report_worker(event.worker)

    async def action_save(self) -> None:
        from pollstui.profiles import Profile, ProfileStore
        from pollstui.site import check_site

        try:
            connection = self._connection()
            site = self.query_one("#setup-site", Input).value.strip()
            site = check_site(site) if site else ""
            profile = Profile(
                name=connection.profile_name or "default",
                endpoint=connection.endpoint,
                token=connection.token,
                product=connection.product,
                site=site,
            )

            def save(store: ProfileStore) -> None:
                store.add(profile)
                if connection.ref is not None:
                    store.touch_recent(profile.name, connection.ref)

            await self.app.session.write_profiles(save)  # in a thread: the UI loop only draws
        except PollsError as error:
            self._result(told(error), error=True)
            return
        where = "the keyring" if profile.token_in_keyring else "the profiles file (no keyring works here)"
        self.notify(f"Saved the profile {connection.profile_name!r}; its token is in {where}.", markup=False)
        # The app replaces this screen from its own loop: a handler of this screen (the Save
        # button's) that awaited the switch would wait on its own removal, and no key would be read.
        self.app.call_next(self.app.use_connection, connection)

    @on(Button.Pressed, "#setup-test-button")
    def _test_pressed(self) -> None:
        self.action_test()

    @on(Button.Pressed, "#setup-save-button")
    async def _save_pressed(self) -> None:
        await self.action_save()
