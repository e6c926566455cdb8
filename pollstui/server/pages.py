"""The demo's web pages: one small page per content item, saying which polls it holds.

The Polls API knows nothing of where an issue or page lives; pollstui builds those links from a
profile's site URL (:mod:`pollstui.site`). In ``pollstui demo`` the site is the reference server
itself, which answers those links:

- Jira: ``/browse/PLAT-254604``
- Confluence: ``/pages/viewpage.action?pageId=589825``

with a plain HTML page: the item, and each poll's title, options and votes, as the issue or page
would show the poll macro. So ``o`` (open in a browser) and present mode's QR code (``v``) have
something to point at. Titles are other people's text: every one is HTML-escaped. The pages need
no token, so :func:`pollstui.server.create_app` serves them only when asked (the demo, on
loopback); ``pollstui serve`` does not.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

if TYPE_CHECKING:
    from pollstui.server.store import PollStore

__all__ = ["page_routes"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.4}}
.poll{{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}}
.muted{{color:#666}}</style></head>
<body><p class="muted">pollstui demo · {product}</p><h1>{item}</h1>
{body}
<p class="muted">Served by pollstui's reference server: voting happens in Jira or Confluence, not here.</p>
</body></html>
"""


def page_routes(store: PollStore) -> list[Route]:
    """The routes of the content items' pages, over ``store``."""

    async def jira(request: Request) -> HTMLResponse:
        return _page(store, "jira", request.path_params["key"])

    async def confluence(request: Request) -> HTMLResponse:
        return _page(store, "confluence", request.query_params.get("pageId", ""))

    return [
        Route("/browse/{key}", jira, methods=["GET"]),
        Route("/pages/viewpage.action", confluence, methods=["GET"]),
        Route("/wiki/pages/viewpage.action", confluence, methods=["GET"]),
    ]


def _page(store: PollStore, product: str, content: str) -> HTMLResponse:
    items = [item for item in store.contents_with_polls() if item.product == product and item.content == content]
    polls = [
        poll
        for item in items
        for poll in store.list_polls(item.product, item.workspace, item.content, item.container)
    ]
    name = "Jira issue" if product == "jira" else "Confluence page"
    label = content if product == "jira" else f"page {content}"
    if not polls:
        body = f"<p>No polls on this {name} (or no such {name}).</p>"
        status = 404
    else:
        body = "\n".join(_poll(store, poll) for poll in polls)
        status = 200
    text = _PAGE.format(
        title=html.escape(f"{label} · polls"), product=html.escape(name), item=html.escape(label), body=body
    )
    return HTMLResponse(text, status_code=status)


def _poll(store: PollStore, poll: dict[str, Any]) -> str:
    results = store.results(poll.get("id", "")) or {}
    votes = {entry.get("optionId"): entry.get("votes", 0) for entry in results.get("options", [])}
    options = sorted(
        (o for o in poll.get("options") or [] if isinstance(o, dict)),
        key=lambda o: o.get("order", 0) if isinstance(o.get("order"), int) else 0,
    )
    rows = "".join(
        f"<li>{html.escape(str(o.get('title', '')))} <span class='muted'>{votes.get(o.get('id'), 0)}</span></li>"
        for o in options
    )
    total = results.get("totalVotes", 0)
    return (
        f"<div class='poll'><h2>{html.escape(str(poll.get('title', '')))}</h2>"
        f"<ul>{rows}</ul><p class='muted'>{total} vote{'s' if total != 1 else ''}</p></div>"
    )
