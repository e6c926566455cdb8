"""The one-line header: app name, profile, product, endpoint host, and TOKEN REFUSED and READ-ONLY
when they apply.

Never the token: only :attr:`Connection.host` (host and port) of the endpoint is shown, and the
whole line passes through :func:`pollstui.api.errors.redact` besides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from pollstui.api.errors import redact
from pollstui.text import one_line

if TYPE_CHECKING:
    from pollstui.settings import Connection

PRODUCT_NAMES = {"jira": "Jira", "confluence": "Confluence"}


def header_parts(connection: Connection | None) -> list[str]:
    if connection is None:
        return ["first run: set up a connection"]
    parts = [f"profile {connection.profile_name}" if connection.profile_name else "no profile"]
    parts.append(PRODUCT_NAMES.get(connection.product, connection.product))
    parts.append(connection.host)
    return [one_line(redact(p)) for p in parts]


class ConnectionHeader(Static):
    """Shows where this session is connected."""

    DEFAULT_CSS = """
    ConnectionHeader {
        height: 1;
        width: 1fr;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    ConnectionHeader.-read-only { background: $warning; color: $text-warning; }
    ConnectionHeader.-refused { background: $error; color: $text; }
    """

    def __init__(self, connection: Connection | None = None, *, read_only: bool = False, **kwargs) -> None:  # noqa: ANN003
        super().__init__("", markup=False, **kwargs)
        self._refused = False
        self.set_connection(connection, read_only=read_only)

    def set_connection(self, connection: Connection | None, *, read_only: bool = False) -> None:
        self._connection = connection
        self._read_only = read_only
        self._draw()

    def set_refused(self, refused: bool) -> None:
        """Mark (or unmark) the connection's token as refused by the server."""
        if refused != self._refused:
            self._refused = refused
            self._draw()

    def _draw(self) -> None:
        text = Text()
        text.append("pollstui", style="bold")
        if self._refused:  # first, so a narrow terminal still shows it
            text.append("  │  ")
            text.append("TOKEN REFUSED", style="bold reverse")
        for part in header_parts(self._connection):
            text.append("  │  ")
            text.append(part)
        if self._read_only:
            text.append("  │  ")
            text.append("READ-ONLY", style="bold reverse")
        self.set_class(self._read_only, "-read-only")
        self.set_class(self._refused, "-refused")
        self.update(text)
