"""Who may use the browser mode: the page opened from the URL pollstui printed, and nothing else.

A served session runs the app with the user's token, so a request that reaches it can read and
delete polls. Three checks, made by :meth:`Guard.refusal` for every request (an aiohttp
middleware in pollstui.web applies them in front of textual-serve's own handlers):

- **Host** must name this server on loopback (``127.0.0.1:PORT`` or ``localhost:PORT``): a
  DNS-rebinding page, whose requests carry its own host name, is refused.
- **The secret.** Every run draws a fresh one (:func:`secrets.token_urlsafe`, 256 bits), like
  Jupyter's token. The printed URL carries it as ``?key=…``; the page that URL opens gets it as an
  HttpOnly, SameSite=Strict cookie, which the page's web socket sends back. Anything else — the
  page, the web socket, a download — without it is refused with 403. Only the static files of
  textual-serve (the same for everyone) are served without it.
- **Origin**: a web socket must come from the served origin (``http://127.0.0.1:PORT``), so a
  page elsewhere cannot open one even if the browser would attach the cookie.

A session that got in is still bounded: the terminal size its page asks for (at connection and
in every ``resize`` message) is clamped by :func:`terminal_size`, so a forged size cannot make the
app's screen, and its memory, grow without bound.

Nothing here imports aiohttp: the decisions are plain functions of the request's parts.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

#: The query parameter of the printed URL that carries the secret.
SECRET_PARAM = "key"

#: Host names that reach the loopback server (with its port).
LOOPBACK_NAMES = ("127.0.0.1", "localhost")

#: The largest terminal a browser session gets, whatever its page asks for: more than a 4K screen
#: shows at a readable font size, and small enough that the app's screen stays a few MB.
MAX_COLUMNS = 500
MAX_ROWS = 200

#: The size for a request that names none, or no number (textual-serve's default).
DEFAULT_SIZE = (80, 24)


def _cells(value: object, default: int, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        number = float(value)
    except ValueError:
        return default
    if number != number:  # NaN
        return default
    return int(min(max(number, 1), most))


def terminal_size(width: object, height: object) -> tuple[int, int]:
    """The size a session's terminal may have for the ``width`` and ``height`` its page sent.

    Whole numbers between 1 and :data:`MAX_COLUMNS` x :data:`MAX_ROWS` (larger ones are cut
    down to those); anything that is not a number is the default size."""
    return _cells(width, DEFAULT_SIZE[0], MAX_COLUMNS), _cells(height, DEFAULT_SIZE[1], MAX_ROWS)


@dataclass(frozen=True)
class Guard:
    """The secret of one run of the web server on ``host``:``port``."""

    port: int
    host: str = "127.0.0.1"
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)

    @property
    def origin(self) -> str:
        """The served origin: the only one whose pages may open a web socket."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The URL to print: the page, with the secret."""
        return f"{self.origin}/?{SECRET_PARAM}={self.secret}"

    @property
    def cookie_name(self) -> str:
        """Per port: cookies are not kept apart by port, two servers' must not overwrite each other."""
        return f"pollstui-key-{self.port}"

    def holds_secret(self, value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(value.encode(), self.secret.encode())

    def host_allowed(self, host: str | None) -> bool:
        """Whether a ``Host`` header names this server by a loopback name and its port."""
        name, _, port = (host or "").rpartition(":")
        return name.lower() in LOOPBACK_NAMES and port == str(self.port)

    def refusal(
        self, *, path: str, host: str | None, origin: str | None, query_secret: str | None, cookie_secret: str | None
    ) -> str | None:
        """Why a request with these parts is refused, in words for the 403 page; None lets it through."""
        if not self.host_allowed(host):
            return (
                f"this server answers only to {self.host}:{self.port} (the Host header said {host or 'nothing'!r}). "
                "Open the URL pollstui printed."
            )
        if path == "/ws" and origin != self.origin:
            return f"web sockets are accepted only from pages of {self.origin}."
        if path.startswith("/static/"):
            return None
        if not (self.holds_secret(query_secret) or self.holds_secret(cookie_secret)):
            return "this page needs the secret key: open the whole URL pollstui printed (it ends with ?key=…)."
        return None
