"""`pollstui overview [ITEM …]`: every poll on many content items, in one table or one JSON object.

The items are the ones named (keys, ``PAGE:MACRO``, pasted URLs; see
:func:`pollstui.api.address.parse_items`), else the profile's pinned items. They are read by the
session layer's :class:`~pollstui.session.overview.Overview` (a bounded number in flight, one
429 slowing them all, an overall deadline). Every poll that was read is printed, also when
some items failed: then the errors go to stderr and the exit code is the first failed item's
(in the order the items were given), as ``import`` does.
"""

from __future__ import annotations

import argparse
import math
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from pollstui.api.address import parse_items
from pollstui.cli.common import UsageError, connect, error, run_session, terminal_width, warn
from pollstui.cli.errors import exit_code, told
from pollstui.cli.output import format_table, json_text
from pollstui.dates import DateError, parse_duration, parse_end_date
from pollstui.session.listing import is_unreadable, markers
from pollstui.session.overview import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE, Overview, closing_first_key, end_words, has_ended
from pollstui.text import one_line, plural

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.profiles import Profile
    from pollstui.session.overview import ItemResult
    from pollstui.settings import Connection


def cmd_overview(args: argparse.Namespace) -> int:
    ends_within = _duration(args.ends_within, "--ends-within") if args.ends_within else None
    deadline = _deadline(args.deadline) if args.deadline else DEFAULT_DEADLINE
    connection, store = connect(args, need_ref=False)
    profile = store.profiles.get(connection.profile_name) if connection.profile_name else None
    refs = _items(args, connection, profile)
    concurrency = args.concurrency or (profile.concurrency if profile else 0) or DEFAULT_CONCURRENCY

    async def read(session: Any) -> list[ItemResult]:
        return await Overview(session, refs, concurrency=concurrency, deadline=deadline, cache=False).run()

    results = run_session(connection, read)
    order = {ref.key: index for index, ref in enumerate(refs)}
    results.sort(key=lambda result: order[result.ref.key])
    now = datetime.now(timezone.utc)

    def shown(poll: Any) -> bool:
        if is_unreadable(poll):
            return not (args.open or ends_within)
        if args.open and has_ended(poll, now):
            return False
        if ends_within is not None:
            moment = parse_end_date((poll.settings.end_date or "").strip())
            return moment is not None and now < moment <= now + ends_within
        return True

    rows = [(result.ref, poll) for result in results if result.ok for poll in result.listing.rows() if shown(poll)]
    failed = [result for result in results if not result.ok]
    if args.json:
        print(json_text({
            "polls": [{"item": ref.item, "poll": poll.raw} for ref, poll in rows],
            "errors": [{"item": result.ref.item, "error": str(result.error)} for result in failed],
        }))  # fmt: skip
    else:
        _print_table(rows, now, headers=not args.no_headers, items=len(refs))
    for result in failed:
        error(told(result.error))  # type: ignore[arg-type]
    return exit_code(failed[0].error) if failed else 0  # type: ignore[arg-type]


def _print_table(rows: list[tuple[ContentRef, Any]], now: datetime, *, headers: bool, items: int) -> None:
    unreadable = [(ref, poll) for ref, poll in rows if is_unreadable(poll)]
    readable = sorted((row for row in rows if not is_unreadable(row[1])), key=lambda row: closing_first_key(row[1], now))
    width = terminal_width()
    if not readable:
        if width is not None:
            print(f"No polls on {plural(items, 'item')} (of those asked for).")
    else:
        cells = [
            [one_line(ref.label), one_line(poll.title), _votes(poll), str(len(poll.options)), one_line(end_words(poll, now)),
             markers(poll)]
            for ref, poll in readable
        ]  # fmt: skip
        header = ["ITEM", "TITLE", "VOTES", "OPTIONS", "ENDS", "FLAGS"]
        print(format_table(header, cells, width=width, headers=headers, title=1, right={2, 3}))
    if unreadable:
        labels = ", ".join(sorted({one_line(ref.label) for ref, _ in unreadable}))
        warn(
            f"{plural(len(unreadable), 'poll')} on {labels} could not be read and "
            f"{'is' if len(unreadable) == 1 else 'are'} not shown; `pollstui overview --json` shows them as sent."
        )


def _votes(poll: Any) -> str:
    votes = poll.total_votes
    return "?" if votes is None else str(votes)


def _items(args: argparse.Namespace, connection: Connection, profile: Profile | None) -> list[ContentRef]:
    """The items named on the command line ('-' reads them from stdin), else the profile's pinned ones."""
    from pollstui.cli.common import read_text
    from pollstui.cli.profile_commands import only_space

    if args.words:
        texts = [read_text("-", "stdin") if item == "-" else item for item in args.words]
        space = getattr(args, "workspace", None) or (only_space(profile) if profile else "")
        return parse_items(texts, connection.product, connection.endpoint, space)
    if profile is not None and profile.pinned:
        return [ref for ref in profile.pinned if ref.product == connection.product]
    who = f"profile {profile.name!r} has" if profile else "there is no profile with"
    raise UsageError(
        f"No items to read: {who} no pinned items. Name them (pollstui overview PLAT-1 PLAT-2), or pin them "
        "with `pollstui profile items add PLAT-1 PLAT-2`."
    )


def _duration(text: str, option: str) -> timedelta:
    try:
        return parse_duration(text)
    except DateError as exc:
        raise UsageError(f"{option} {text!r}: {exc}") from None


def _deadline(text: str) -> float:
    """``--deadline``: seconds (``90``) or a duration (``2m``, ``1h``)."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = _duration(text, "--deadline").total_seconds()
    if not (math.isfinite(seconds) and seconds > 0):
        raise UsageError(f"--deadline {text!r} is not a time above 0: give seconds (90) or a duration (2m).")
    return seconds
