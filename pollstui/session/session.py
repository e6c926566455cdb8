"""Session: one connection's client, cache, journal, drafts and recent content items.

Everything a user does with polls goes through a session, from the TUI's screens or a test: it
knows nothing of Textual. Network calls are coroutines; disk writes and list parsing run in
threads (``asyncio.to_thread``), so whoever awaits them (a screen's worker) keeps its loop free.

The operations live in their own modules and take the session as their first argument:
:mod:`~pollstui.session.saving` (save: conflicts, votes, re-create, uncertain create) and
:mod:`~pollstui.session.changes` (delete, undo, duplicate).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import hashlib
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pollstui.api.address import ContentRef
from pollstui.api.errors import PollsError, UnexpectedResponseError
from pollstui.session.cache import PollsCache
from pollstui.session.drafts import DraftStore
from pollstui.session.listing import Listing, Source

if TYPE_CHECKING:
    from pollstui.session.prefetch import Prefetch
    from pollstui.api.client import PollsClient
    from pollstui.api.listing import UnreadablePoll
    from pollstui.api.models import Poll
    from pollstui.api.poll_view import PollView
    from pollstui.profiles import Profile, ProfileStore
    from pollstui.session.ask import Ask
    from pollstui.session.changes import Outcome
    from pollstui.session.journal import Journal
    from pollstui.session.listing import Row
    from pollstui.session.saving import SaveOutcome
    from pollstui.settings import Connection

log = logging.getLogger("pollstui.session")

#: Lists of at most this many polls are read on the event loop, where a thread's round trip would
#: take longer than the reading; longer lists are read in a thread.
READ_INLINE_POLLS = 200


class Session:
    """What one user does on one connection (``connection`` may be None until the setup is done).

    ``client_factory(connection)`` replaces ``connection.make_client()`` (the seam tests use);
    the stores default to the user's files (:mod:`pollstui.paths`).
    """

    def __init__(
        self,
        connection: Connection | None,
        *,
        client_factory: Callable[[Connection], PollsClient] | None = None,
        profile_store: ProfileStore | None = None,
        journal: Journal | None = None,
        drafts: DraftStore | None = None,
        cache: PollsCache | None = None,
        read_only: bool = False,
        on_wait: Callable[[float, str], None] | None = None,
        prefetch: Prefetch | None = None,
    ) -> None:
        self.connection = connection
        #: The first GET, sent at process start (see :mod:`pollstui.session.prefetch`), or None.
        self._prefetch = prefetch
        #: Told before the client waits to try again (seconds, why), e.g. for a server's Retry-After.
        self.on_wait = on_wait
        self._client_factory = client_factory
        self._client: PollsClient | None = None
        self._profile_store = profile_store
        self._journal = journal
        self._drafts = drafts
        self._own_drafts = drafts is None  # the default store, kept for this connection's endpoint
        self._cache = cache
        self._read_only_flag = read_only
        self._known_ids: dict[str, set[str]] = {}  # ref.key -> ids in the last list the server sent
        self._latest: dict[str, Listing] = {}  # ref.key -> the newest list the server sent
        self._latest_digest: dict[str, bytes] = {}  # ref.key -> a digest of that list's bytes, as sent
        self._cache_writes: dict[str, asyncio.Future[None]] = {}  # ref.key -> its cache write under way
        self._cache_writer: concurrent.futures.ThreadPoolExecutor | None = None  # the thread that writes them
        self._profile_lock = asyncio.Lock()  # one write of the profiles file at a time, in call order
        self._draft_lock = asyncio.Lock()  # one draft write at a time, in call order

    # --- what a session holds ---------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when writes are refused: ``--read-only`` or the profile says so."""
        return self._read_only_flag or bool(self.connection and self.connection.read_only)

    @property
    def client(self) -> PollsClient:
        """The one API client, created on first use."""
        if self._client is None:
            if self.connection is None:
                raise PollsError("There is no connection yet: finish the setup first.")
            self._client = self.new_client(self.connection)
            self._client.on_wait = self._waiting
        return self._client

    def _waiting(self, seconds: float, reason: str) -> None:
        if self.on_wait is not None:
            self.on_wait(seconds, reason)

    @property
    def endpoint(self) -> str:
        return self.client.endpoint

    def new_client(self, connection: Connection) -> PollsClient:
        """A client for ``connection`` (the setup screen tests a connection with one)."""
        if self._client_factory is not None:
            return self._client_factory(connection)
        return connection.make_client()

    async def use_connection(self, connection: Connection) -> None:
        """Switch to ``connection``: the old client is closed, the cache and drafts are the new endpoint's."""
        await self.aclose()
        self.connection = connection
        self._cache = None
        if self._own_drafts:
            self._drafts = None  # the new endpoint's drafts
        self._known_ids.clear()
        self._latest.clear()
        self._latest_digest.clear()

    async def aclose(self) -> None:
        await self._cache_settled()  # the last list reaches the cache before the app ends
        writer, self._cache_writer = self._cache_writer, None
        if writer is not None:
            writer.shutdown(wait=False)  # (idle: every write was awaited just now)
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            await asyncio.to_thread(prefetch.cancel)
        client, self._client = self._client, None
        if client is not None:
            try:
                await client.aclose()
            except Exception:  # closing must never stop the app from exiting
                log.debug("error closing the API client", exc_info=True)

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            from pollstui.session.journal import Journal  # (not needed to show the first list)

            self._journal = Journal.default()
        return self._journal

    @property
    def drafts(self) -> DraftStore:
        if self._drafts is None:
            self._drafts = DraftStore.default(scope=self.connection.endpoint if self.connection else "")
        return self._drafts

    @property
    def cache(self) -> PollsCache:
        if self._cache is None:
            self._cache = PollsCache(scope=self.connection.endpoint if self.connection else "")
        return self._cache

    @property
    def profile_store(self) -> ProfileStore:
        """The profiles file, read on first use (an unreadable file reads as empty; see ``load_error``)."""
        if self._profile_store is None:
            from pollstui.profiles import ProfileStore

            store = ProfileStore()
            try:
                store.load()
            except PollsError:
                log.warning("could not read the profiles file", exc_info=True)
            self._profile_store = store
        return self._profile_store

    @property
    def profile(self) -> Profile | None:
        """The profile this session's connection came from, when it came from one."""
        name = self.connection.profile_name if self.connection else None
        if not name:
            return None
        try:
            return self.profile_store.get(name)
        except PollsError:
            return None

    # --- content items ----------------------------------------------------------------------

    def start_refs(self) -> tuple[list[ContentRef], ContentRef | None]:
        """The content items to list at start (the profile's recents, the connection's own first)
        and the one to open."""
        from pollstui.session.prefetch import start_ref

        connection, profile = self.connection, self.profile
        refs: list[ContentRef] = []
        if profile is not None:
            refs = [r for r in profile.recents if connection is None or r.product == connection.product]
        first = start_ref(connection, profile)
        if first is not None and all(r.key != first.key for r in refs):
            refs.insert(0, first)
        return refs, first

    async def remember(self, ref: ContentRef) -> None:
        """Put ``ref`` first in the profile's recent content items (raises ProfileWriteError);
        nothing is asked of the file when it is first already (as this session last read it)."""
        profile = self.profile
        if profile is not None and profile.last_ref() == ref:
            return
        await self._change_profile(lambda store, name: store.touch_recent(name, ref))

    async def remember_sort(self, order: str) -> None:
        """Keep the poll table's order in the profile (raises ProfileWriteError)."""
        await self._change_profile(lambda store, name: store.remember(name, sort=order))

    async def pin(self, refs: list[ContentRef]) -> None:
        """Pin ``refs`` to the profile (after those pinned already; raises ProfileWriteError)."""
        await self._change_profile(lambda store, name: store.pin(name, refs))

    async def forget(self, ref: ContentRef) -> None:
        """Remove ``ref`` from the profile's recent and pinned content items (raises ProfileWriteError)."""

        def change(store: ProfileStore, name: str) -> None:
            store.remove_recent(name, ref)
            store.pin(name, [ref], unpin=True)

        await self._change_profile(change)

    async def _change_profile(self, change: Callable[[ProfileStore, str], None]) -> None:
        """``change(store, profile name)`` when the connection has a profile (see :meth:`write_profiles`)."""
        name = self.connection.profile_name if self.connection else None
        if name:
            await self.write_profiles(lambda store: change(store, name))

    async def write_profiles(self, change: Callable[[ProfileStore], None]) -> None:
        """``change(store)``, which saves the profiles file, in a thread, one change at a time in
        call order (raises PollsError: ProfileWriteError, ProfileFileError)."""
        async with self._profile_lock:
            await asyncio.to_thread(lambda: change(self.profile_store))

    # --- loading ----------------------------------------------------------------------------

    async def cached(self, ref: ContentRef) -> Listing | None:
        """The polls saved at the last load of ``ref`` (marked CACHED), or None."""
        await self._cache_settled(ref)
        return await asyncio.to_thread(self._read_cache, ref)

    async def cached_many(self, refs: list[ContentRef]) -> list[Listing | None]:
        """:meth:`cached` of each of ``refs``, read in one thread (a copy being written meanwhile is
        read as it was: these are shown only until the server's answers come)."""
        return await asyncio.to_thread(lambda: [self._read_cache(ref) for ref in refs])

    def _read_cache(self, ref: ContentRef) -> Listing | None:
        saved = self.cache.load(ref)
        if saved is None:
            return None
        from pollstui.api.listing import read_poll_listing

        read = read_poll_listing(saved.polls)
        return Listing(ref, read.polls, Source.CACHED, saved.fetched_at, read.unreadable)

    async def load(
        self, ref: ContentRef, previous: Listing | None = None, *, cache: bool = True,
        on_send: Callable[[], None] | None = None,
    ) -> Listing:  # fmt: skip
        """Ask the server for the polls of ``ref``; never raises for a server's failure.

        A FRESH listing (saved to the cache unless ``cache`` is false), or, when the request
        failed, ``previous`` (or the cached copy) marked STALE, or a FAILED one; either carries
        the error. An answer whose bytes are the last answer's for ``ref`` is not read again:
        its listing holds the same ``polls`` list (``is``), so a screen refreshing every few
        seconds can tell at once that nothing changed. ``on_send``: called as the request is
        handed to the connection pool (at once when the request sent at start is its own).
        """
        try:
            raw, data = await self._list_raw(ref, on_send)
            last = self._latest.get(ref.key)
            if last is not None and self._latest_digest.get(ref.key) == _digest(raw):
                return self._fresh(ref, last.polls, last.unreadable, raw, data, cache=cache)
            if isinstance(data, list) and len(data) <= READ_INLINE_POLLS:
                polls, unreadable = self._read(data)  # sooner than a thread's round trip
            else:
                polls, unreadable = await asyncio.to_thread(self._read, data)
        except PollsError as error:
            if previous is None or previous.ref != ref or not previous.source.has_data:
                previous = await self.cached(ref) or Listing(ref, source=Source.LOADING)
            return previous.failed(error)
        return self._fresh(ref, polls, unreadable, raw, data, cache=cache)

    def prefetched(self, ref: ContentRef) -> Listing | None:
        """The first request's answer for ``ref`` as a FRESH listing, when it is in already (the
        screen shows it at once, with no loading state and no cached copy first); else None, and
        :meth:`load` asks the server or waits for that answer. Call it on the event loop.

        An answer that is an error, or not a list of polls, is left to :meth:`load`, which reports it.
        """
        answer = self._prefetch.answer(ref) if self._prefetch is not None else None
        if answer is None:
            return None
        raw, data = answer
        try:
            polls, unreadable = self._read(data)
        except PollsError:
            return None
        self._prefetch.claim(ref)  # type: ignore[union-attr]
        return self._fresh(ref, polls, unreadable, raw, data, cache=True)

    def _fresh(
        self, ref: ContentRef, polls: list[PollView], unreadable: list[UnreadablePoll], raw: bytes, data: Any, *,
        cache: bool,
    ) -> Listing:  # fmt: skip
        listing = Listing(ref, polls, Source.FRESH, datetime.now(timezone.utc), unreadable)
        self._known_ids[ref.key] = listing.ids
        self._latest[ref.key] = listing
        self._latest_digest[ref.key] = _digest(raw)
        if cache:
            self._save_cache(ref, data, listing.fetched_at, raw)
        return listing

    def _save_cache(self, ref: ContentRef, data: Any, fetched_at: datetime | None, raw: bytes) -> None:
        """Write the cache in a thread while the list is drawn: writes of one content item happen
        in order, and :meth:`cached` and :meth:`aclose` wait for the one under way."""
        before = self._cache_writes.get(ref.key)

        async def write() -> None:
            if before is not None:
                await asyncio.gather(before, return_exceptions=True)
            # One writer thread for every item: an overview's dozens of writes (each with its
            # fsync) never fill the default executor, where the next answers are read.
            if self._cache_writer is None:
                self._cache_writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pollstui-cache")
            save = functools.partial(self.cache.save, ref, data, fetched_at, body=raw)
            await asyncio.get_running_loop().run_in_executor(self._cache_writer, save)

        task = asyncio.ensure_future(write())
        self._cache_writes[ref.key] = task
        task.add_done_callback(lambda done: self._cache_written(ref.key, done))

    def _cache_written(self, key: str, task: asyncio.Future[None]) -> None:
        if self._cache_writes.get(key) is task:
            del self._cache_writes[key]
        if not task.cancelled() and task.exception() is not None:
            log.warning("could not write the polls cache for %s", key, exc_info=task.exception())

    async def _cache_settled(self, ref: ContentRef | None = None) -> None:
        """Until the cache writes under way (of ``ref``, or all) are done."""
        if ref is None:
            pending = list(self._cache_writes.values())
        else:
            pending = [self._cache_writes[ref.key]] if ref.key in self._cache_writes else []
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def _list_raw(self, ref: ContentRef, on_send: Callable[[], None] | None = None) -> tuple[bytes, Any]:
        """The server's answer for ``ref``'s polls, its bytes and their JSON (decoded once): the
        prefetched one when it is for ``ref``."""
        prefetch = self._prefetch
        early = prefetch.claim(ref) if prefetch is not None else None
        if prefetch is not None and early is not None:
            if on_send is not None:
                on_send()  # sent at start
            loop = asyncio.get_running_loop()  # its waits are told here, as this client's are
            prefetch.watch_waits(lambda seconds, why: loop.call_soon_threadsafe(self._waiting, seconds, why))
            return await asyncio.wrap_future(early)
        return await self.client.list_polls_body(ref, results=True, on_send=on_send)

    def _read(self, data: Any) -> tuple[list[PollView], list[UnreadablePoll]]:
        """The polls of a decoded list in the read model (no models built: see :mod:`pollstui.api.poll_view`)."""
        from pollstui.api.listing import read_poll_listing

        try:
            read = read_poll_listing(data)
        except TypeError as exc:
            host = self.connection.host if self.connection is not None else "The server"
            raise UnexpectedResponseError(f"{host} sent JSON that is not a list of polls ({exc}).") from None
        return read.polls, read.unreadable

    def latest(self, ref: ContentRef) -> Listing | None:
        """The newest FRESH listing of ``ref`` any load of this session received (present mode's
        refreshes too), so a screen that was covered can catch up without asking the server."""
        return self._latest.get(ref.key)

    async def known_ids(self, ref: ContentRef) -> set[str]:
        """Ids of the polls on ``ref`` as last listed (listed now when never; raises when that fails)."""
        if ref.key not in self._known_ids:
            listing = await self.load(ref)
            if listing.error is not None:
                raise listing.error
        return set(self._known_ids[ref.key])

    def note_created(self, ref: ContentRef, poll_id: str) -> None:
        """``poll_id`` is on ``ref`` now (so a later lost create does not take it for its own)."""
        if ref.key in self._known_ids and poll_id:
            self._known_ids[ref.key].add(poll_id)

    # --- drafts -----------------------------------------------------------------------------

    async def save_draft(
        self, ref: ContentRef, poll_id: str | None, poll: Poll, original: Poll | None = None
    ) -> None:
        """Autosave the editor's state (in a thread; writes happen in the order asked). Raises OSError."""
        async with self._draft_lock:
            await asyncio.to_thread(self.drafts.save, ref, poll_id, poll, original)

    async def drafted(self, ref: ContentRef, poll_ids: set[str]) -> set[str]:
        """Which of ``poll_ids`` on ``ref`` have an unsaved draft (checked in a thread, after any
        draft write asked for before)."""
        async with self._draft_lock:
            return await asyncio.to_thread(self.drafts.existing, ref, poll_ids)

    async def discard_draft(self, ref: ContentRef, poll_id: str | None) -> None:
        """Delete the draft, after any write asked for before (a disk error is ignored: nothing to keep)."""
        async with self._draft_lock:
            try:
                await asyncio.to_thread(self.drafts.discard, ref, poll_id)
            except OSError:
                log.warning("could not delete the draft of %s", ref.key, exc_info=True)

    # --- changes (see saving.py and changes.py) ---------------------------------------------

    async def save(
        self,
        ref: ContentRef,
        edited: Poll,
        original: Poll | None,
        ask: Ask,
        *,
        votes: Poll | None = None,
        journal: bool = True,
        original_is_current: bool = False,
    ) -> SaveOutcome:
        """Create ``edited`` (``original`` None) or update it; see :func:`pollstui.session.saving.save`.
        ``journal`` false: the change is not recorded for undo."""
        from pollstui.session.saving import save

        return await save(
            self, ref, edited, original, ask, votes=votes, journal=journal, original_is_current=original_is_current
        )

    async def delete(self, ref: ContentRef, poll: Row | str, ask: Ask, *, journal: bool = True) -> Outcome:
        """See :func:`pollstui.session.changes.delete`; ``journal`` false: it cannot be undone."""
        from pollstui.session.changes import delete

        return await delete(self, ref, poll, ask, journal=journal)

    async def undo(self, ask: Ask) -> Outcome:
        from pollstui.session.changes import undo

        return await undo(self, ask)

    async def duplicate(self, ref: ContentRef, poll: Poll, target: ContentRef) -> Outcome:
        from pollstui.session.changes import duplicate

        return await duplicate(self, ref, poll, target)

    async def record(self, *args: Any, **kwargs: Any) -> str:
        """Journal a change (in a thread); '' or a warning that it could not be written."""
        try:
            await asyncio.to_thread(self.journal.record, *args, **kwargs)
        except OSError as exc:
            return f"the undo journal could not be written ({exc.strerror or exc}): this change cannot be undone"
        return ""


def _digest(body: bytes) -> bytes:
    """What tells two answers apart without keeping them (an item's answer may be megabytes)."""
    return hashlib.blake2b(body, digest_size=16).digest()
