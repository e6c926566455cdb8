"""What the TUI's copy keys put on the clipboard, quoted for where it will be pasted.

- :func:`curl_command` (``Y``): a command for a POSIX shell. Every part that comes from outside
  (the endpoint is whatever URL the user pasted) is quoted with :func:`shlex.quote`, so pasting it
  runs curl and nothing else; the token is never in it (curl reads ``$POLLS_TOKEN``).

Plain functions and the standard library, tested without Textual.
"""

from __future__ import annotations

import shlex
import string
from urllib.parse import quote

__all__ = ["curl_command"]

#: Printable ASCII but space: what a URL in a copied command keeps as it is. Anything else (control
#: characters, spaces, non-ASCII) is percent-encoded, as httpx sends it, so the clipboard holds only
#: visible characters that a shell's line editor cannot take for keys.
_URL_SAFE = "".join(c for c in string.printable if not c.isspace())


def curl_command(url: str) -> str:
    """A shell command that GETs ``url`` with the token from ``$POLLS_TOKEN``.

    curl adds the token itself, URL-encoded, from the shell variable: it is never in the copied
    text, and one with ``+ / = & #`` or ``%`` in it still arrives intact. The URL is one
    single-quoted word, whatever it holds (``$(…)``, backquotes, quotes, ``;``).
    """
    return f'curl -sS -G --data-urlencode "token=$POLLS_TOKEN" {shlex.quote(quote(url, safe=_URL_SAFE))}'
