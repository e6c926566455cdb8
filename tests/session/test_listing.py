"""Loading a content item's polls: fresh, cached, stale, failed, and the unreadable ones."""

from __future__ import annotations

from pollstui.api.errors import NetworkError, ServerError
from pollstui.profiles import Profile, ProfileStore
from pollstui.session.listing import Source
from pollstui.session.session import Session
from pollstui.session.listing import raw_title
from tests.session.conftest import AUDIT, STARS, stored_polls


async def test_a_fresh_load_is_cached_and_the_cache_is_shown_marked_cached(session, store):
    assert await session.cached(AUDIT) is None
    listing = await session.load(AUDIT)
    assert listing.source is Source.FRESH and listing.error is None and listing.fetched_at is not None
    assert [p.title for p in listing.polls] == [p["title"] for p in stored_polls(store, AUDIT)]
    assert listing.polls[0].results_view is not None  # with results
    cached = await session.cached(AUDIT)
    assert cached.source is Source.CACHED and cached.fetched_at == listing.fetched_at
    assert [p.raw for p in cached.polls] == [p.raw for p in listing.polls]
    assert await session.cached(STARS) is None  # per content item


async def test_the_cache_is_kept_per_server(session, make_session, connection):
    await session.load(AUDIT)
    await session.aclose()  # its cache write is done by then
    other = make_session(connection=type(connection)("http://elsewhere.test/x1/jira", "t-123456789", "jira",
                                                     allow_insecure=True))  # fmt: skip
    assert await other.cached(AUDIT) is None


async def test_the_cache_is_kept_per_endpoint_not_per_host(session, make_session, connection):
    """Two installations of the Polls app share a host (…hello.atlassian-dev.net/x1/<id>): one's
    cached polls are never shown, stale, for the other's item of the same name."""
    await session.load(AUDIT)
    await session.aclose()  # its cache write is done by then
    assert await make_session().cached(AUDIT) is not None
    same_host = connection.endpoint.rsplit("/", 1)[0] + "/another-installation"
    other = make_session(connection=type(connection)(same_host, connection.token, "jira", allow_insecure=True))
    assert other.connection.host == connection.host
    assert await other.cached(AUDIT) is None


async def test_a_failed_load_keeps_what_was_shown_marked_stale(session, faults):
    shown = await session.load(AUDIT)
    faults.fail["GET"] = 503
    stale = await session.load(AUDIT, previous=shown)
    assert stale.source is Source.STALE and isinstance(stale.error, ServerError)
    assert stale.polls == shown.polls and stale.fetched_at == shown.fetched_at


async def test_a_failed_first_load_falls_back_to_the_cache_else_fails(session, make_session, faults):
    await session.load(AUDIT)
    await session.aclose()  # the app ends (its cache write is done by then) …
    faults.fail["GET"] = "refused"
    later = make_session()  # … and starts again: only the cache is left
    stale = await later.load(AUDIT)
    assert stale.source is Source.STALE and isinstance(stale.error, NetworkError) and stale.polls
    failed = await later.load(STARS)
    assert failed.source is Source.FAILED and failed.polls == [] and failed.error is not None


async def test_one_unreadable_poll_never_hides_the_others(session, store):
    good = stored_polls(store, AUDIT)
    bad = store.create_poll("jira", "PLAT", AUDIT.content, "", {"title": "Broken", "options": "not a list"})
    listing = await session.load(AUDIT)
    assert [p.title for p in listing.polls] == [p["title"] for p in good]
    assert len(listing.unreadable) == 1
    item = listing.unreadable[0]
    assert item.id == bad["id"] and raw_title(item.raw) == "Broken" and item.raw["options"] == "not a list"
    assert "options" in item.reason
    assert bad["id"] in listing.ids
    cached = await session.cached(AUDIT)  # the cache keeps it too, as the server sent it
    assert [u.raw for u in cached.unreadable] == [item.raw]


async def test_recent_content_items_are_remembered_in_the_profile(make_session, connection, store):
    profiles = ProfileStore()
    profiles.add(Profile("work", connection.endpoint, connection.token, insecure=True))
    connection.profile_name = "work"
    session: Session = make_session(profile_store=profiles)
    await session.remember(STARS)
    await session.remember(AUDIT)
    reread = ProfileStore().load()
    assert reread.get("work").recents[:2] == [AUDIT, STARS]
    refs, start = make_session(profile_store=reread).start_refs()
    assert start == AUDIT and refs[:2] == [AUDIT, STARS]
    await session.forget(AUDIT)
    assert AUDIT not in ProfileStore().load().get("work").recents


async def test_remembering_the_item_first_already_asks_the_profiles_file_nothing(make_session, connection, monkeypatch):
    profiles = ProfileStore()
    profiles.add(Profile("work", connection.endpoint, connection.token, insecure=True, recents=[STARS, AUDIT]))
    connection.profile_name = "work"
    session: Session = make_session(profile_store=profiles)
    touched, touch = [], ProfileStore.touch_recent
    monkeypatch.setattr(ProfileStore, "touch_recent", lambda self, name, ref: (touched.append(ref), touch(self, name, ref)))
    await session.remember(STARS)  # as the app does when it opens the latest item at start
    await session.remember(AUDIT)
    await session.remember(AUDIT)
    assert touched == [AUDIT]
    assert ProfileStore().load().get("work").recents == [AUDIT, STARS]


async def test_rows_keep_the_server_order_and_the_filter_reads_every_word(session, store):
    store.create_poll("jira", "PLAT", AUDIT.content, "", {"title": "Broken lunch", "options": "not a list"})
    listing = await session.load(AUDIT)
    rows = listing.rows()
    assert len(rows) == len(listing.polls) + 1 and rows[-1] is listing.unreadable[0]  # created last: listed last
    assert listing.matching("broken") == [listing.unreadable[0]]
    assert [p.title for p in listing.matching("CLICKhouse database")] == ["Database for the new audit log 🗄️"]
    assert listing.matching("") == rows and listing.matching("nothing-like-it") == []


async def test_the_clients_waits_are_told_to_whoever_listens(make_session, faults):
    faults.once["GET"] = 429
    faults.retry_after = "3"
    told: list[tuple[float, str]] = []
    session = make_session(on_wait=lambda seconds, why: told.append((seconds, why)))
    listing = await session.load(AUDIT)
    assert listing.source is Source.FRESH and faults.sent == ["GET", "GET"]
    [(seconds, why)] = told
    assert seconds == 3.0 and AUDIT.label in why


async def test_an_answer_the_same_as_the_last_is_not_read_again_a_changed_one_is(session, store):
    """Present mode asks every 2 s: the same bytes give the same polls (``is``), read once; a vote
    changes the bytes, and the polls are read afresh."""
    first = await session.load(STARS, cache=False)
    again = await session.load(STARS, cache=False)
    assert again.source is Source.FRESH and again is not first and again.fetched_at >= first.fetched_at
    assert again.polls is first.polls and again.unreadable is first.unreadable
    assert session.latest(STARS) is again
    other = await session.load(AUDIT, cache=False)  # another item's answer does not stand for this one's
    assert other.polls is not first.polls
    poll = first.polls[0]
    store.add_vote(poll.id, [poll.options[0].id], "same-answer-test")
    changed = await session.load(STARS, cache=False)
    assert changed.polls is not first.polls
    assert changed.polls[0].results_view.total_votes == poll.results_view.total_votes + 1
