"""After an uncertain create: did the poll arrive anyway?

A POST whose answer was lost (a timeout, a connection that broke off after the request went
out) may have created the poll. Trying again blindly could create a second one, so before it
a caller looks: :func:`find_arrived_polls` lists the content item and returns the polls that
look like the one that was posted (same title, same option titles in the same order) and
whose id was not there before the POST.

How callers use it:

- the CLI's ``create`` notes the ids on the content item before it POSTs (:func:`existing_ids`)
  and, when the POST ends in a :class:`~pollstui.api.errors.TransportError` that says the
  request may have gone out (``maybe_done``), reports any poll that arrived instead of
  guessing;
- the TUI's save asks the user: open the poll that arrived, or create another.

Matching is on what the author wrote, not on ids: the server assigns the poll's id, and a
server may rewrite option ids or orders. Description and settings are not compared (a server
may fill defaults in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.client import PollsClient
    from pollstui.api.models import Poll
    from pollstui.api.poll_view import PollView

__all__ = ["existing_ids", "find_arrived_polls", "looks_like"]


async def existing_ids(client: PollsClient, ref: ContentRef) -> set[str]:
    """The ids of every poll on ``ref`` now, readable or not (note them before a POST)."""
    return (await client.poll_listing(ref)).ids


async def find_arrived_polls(
    client: PollsClient, ref: ContentRef, posted: Mapping[str, Any] | Poll, before: Iterable[str]
) -> list[Poll]:
    """The polls on ``ref`` that look like ``posted`` and whose ids are not in ``before``.

    ``posted`` is the body that was POSTed (a dict, or a Poll); ``before`` the ids that were on
    ``ref`` before the POST. Loads the list (a GET, retried like any GET); its errors propagate.
    """
    listing, known = await client.poll_listing(ref), set(before)
    return [poll.model() for poll in listing.polls if poll.id and poll.id not in known and looks_like(poll, posted)]


def looks_like(poll: Poll | PollView, posted: Mapping[str, Any] | Poll) -> bool:
    """Whether ``poll`` has the title and the option titles (in display order) of ``posted``."""
    body = posted.to_api() if hasattr(posted, "to_api") else posted
    return _norm(poll.title) == _norm(body.get("title")) and [
        _norm(o.title) for o in poll.ordered_options()
    ] == _option_titles(body.get("options"))


def _option_titles(options: Any) -> list[str]:
    if not isinstance(options, list):
        return []
    items = [o for o in options if isinstance(o, Mapping)]
    ordered = sorted(enumerate(items), key=lambda p: (p[1].get("order") if isinstance(p[1].get("order"), int) else p[0], p[0]))
    return [_norm(o.get("title")) for _, o in ordered]


def _norm(text: Any) -> str:
    """Titles compared as a person reads them: surrounding and repeated spaces do not count."""
    return " ".join(text.split()) if isinstance(text, str) else ""
