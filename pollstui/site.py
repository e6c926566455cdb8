"""Where a content item lives on the web: the Jira issue or Confluence page a poll belongs to.

A profile may hold its site URL (``site``): a Jira site such as ``https://acme.atlassian.net``,
or a Confluence base URL (``https://acme.atlassian.net/wiki``, ``https://wiki.acme.com``). The
Polls API itself knows nothing of it, so pollstui only builds links from it:

- Jira: ``{site}/browse/PLAT-123``
- Confluence: ``{base}/pages/viewpage.action?pageId=557057``, where the base is the URL given,
  with ``/wiki`` added for an Atlassian Cloud site given without it.

The site URL is kept without query, fragment or user info, so a pasted URL's token never ends up
in a link. Standard library only: the CLI imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from pollstui.api.errors import InvalidInputError

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef

def check_site(url: str) -> str:
    """The site URL to keep: http(s), a host, no query / fragment / user info, no trailing slash."""
    text = (url or "").strip()
    if text and "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        raise InvalidInputError(
            f"{url.strip()[:80]!r} is not a site URL: give the address you open in a browser, "
            "such as https://acme.atlassian.net (Jira) or https://acme.atlassian.net/wiki (Confluence)."
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def item_url(site: str, ref: ContentRef) -> str:
    """The web address of ``ref``'s issue or page on ``site`` (as :func:`check_site` keeps it)."""
    base = check_site(site)
    if ref.product == "jira":
        return f"{base}/browse/{quote(ref.content, safe='')}"
    parts = urlsplit(base)
    if (parts.hostname or "").endswith(".atlassian.net") and not parts.path.rstrip("/").endswith("/wiki"):
        base += "/wiki"
    return f"{base}/pages/viewpage.action?pageId={quote(ref.content, safe='')}"


def has_graphical_browser(environ: dict[str, str], platform: str) -> bool:
    """Whether ``webbrowser`` can open a window: macOS and Windows always; elsewhere only with a
    display. Without one it would start a text browser (lynx, w3m) inside the app's terminal."""
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))
