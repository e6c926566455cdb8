"""The demo's web pages (pollstui.server.pages): one per content item, at the links pollstui builds
from a site URL (pollstui.site.item_url), so `o` and present mode's QR code work in the demo."""

from __future__ import annotations

import httpx
import pytest

from pollstui.api.address import ContentRef
from pollstui.server import PollStore, create_app, seed_demo_data
from pollstui.site import item_url

TOKEN = "t-pages"
SITE = "http://demo.test"


@pytest.fixture
def store(tmp_path):
    store = PollStore(tmp_path / "pages.sqlite3")
    seed_demo_data(store)
    yield store
    store.close()


async def get(store: PollStore, url: str, *, pages: bool = True) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(store, TOKEN, pages=pages))
    async with httpx.AsyncClient(transport=transport, base_url=SITE) as client:
        return await client.get(url)


async def test_a_jira_issue_page_lists_its_polls_with_their_votes(store):
    ref = ContentRef.create("jira", "PLAT", "PLAT-254604")
    response = await get(store, item_url(SITE, ref))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    for poll in store.list_polls("jira", "PLAT", "PLAT-254604", ""):
        assert poll["title"].replace("&", "&amp;") in response.text
    assert "PLAT-254604" in response.text and TOKEN not in response.text


async def test_a_confluence_page_lists_the_polls_of_every_macro_on_it(store):
    ref = ContentRef.create("confluence", "98306", "589825", "f0e1d2c3-b4a5-4968-8776-655443322110")
    response = await get(store, item_url(SITE, ref))
    assert response.status_code == 200
    titles = [p["title"] for item in store.contents_with_polls() if item.content == "589825"
              for p in store.list_polls(*item)]  # fmt: skip
    assert len(titles) >= 2 and all(t in response.text for t in titles)


async def test_titles_are_escaped_and_an_unknown_item_is_a_404_page(store):
    body = {"title": "<script>alert(1)</script>", "options": [{"id": "1", "title": "<b>x</b>", "order": 0}]}
    store.create_poll("jira", "EVIL", "EVIL-1", "", body)
    response = await get(store, "/browse/EVIL-1")
    assert "<script>" not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<b>x</b>" not in response.text
    missing = await get(store, "/browse/NOPE-1")
    assert missing.status_code == 404 and "No polls on this Jira issue" in missing.text


async def test_pollstui_serve_has_no_pages(store):
    """They need no token: only the demo (on loopback) serves them."""
    response = await get(store, "/browse/PLAT-254604", pages=False)
    assert response.status_code == 404 and response.json()["error"] == "not_found"
