"""Demo data for the reference server: polls a real team might have, with votes.

The set is chosen to exercise the client, not just to fill a screen: both
products, several content items, single and multiple choice, every setting
switched on somewhere, past and future end dates, known and unknown
``resultsVisibility`` values, emoji, a title longer than 100 characters, a
poll with no votes, a poll with no options, and a poll carrying fields the API
does not document (at the top level, in ``settings`` and in an option) that a
client must round-trip untouched. The Stars poll is the API docs' example,
verbatim, id included.

Everything is deterministic — poll ids and votes come from
``random.Random(seed)`` — so tests and screenshots are repeatable.

Seeding is idempotent in the simplest way: a store that already holds any poll
is left alone (the user's edits win over the demo set).
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from pollstui.server.store import ContentItem, PollStore

__all__ = ["DEMO_CONTENT", "OVERVIEW_WORKSPACE", "overview_items", "seed_demo_data", "seed_overview_items"]

_PAST = "2024-11-29T17:00:00Z"
_FUTURE = "2031-06-30T17:00:00Z"

PLAT_254604 = ContentItem("jira", "PLAT", "PLAT-254604", "")
PLAT_254611 = ContentItem("jira", "PLAT", "PLAT-254611", "")
PLAT_254630 = ContentItem("jira", "PLAT", "PLAT-254630", "")
MOBI_1207 = ContentItem("jira", "MOBI", "MOBI-1207", "")
MOBI_1213 = ContentItem("jira", "MOBI", "MOBI-1213", "")
MOBI_1230 = ContentItem("jira", "MOBI", "MOBI-1230", "")
OFFSITE_PAGE = ContentItem("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
RETRO_PAGE = ContentItem("confluence", "98306", "589825", "f0e1d2c3-b4a5-4968-8776-655443322110")
RETRO_PAGE_2ND_MACRO = ContentItem("confluence", "98306", "589825", "7c9e6679-7425-40de-944b-e07fc1f90ae7")

DEMO_CONTENT = (
    PLAT_254604,
    PLAT_254611,
    PLAT_254630,
    MOBI_1207,
    MOBI_1213,
    MOBI_1230,
    OFFSITE_PAGE,
    RETRO_PAGE,
    RETRO_PAGE_2ND_MACRO,
)
"""The content items the demo set puts polls on, in seeding order."""

_VOTERS = (
    "ana.silva", "ben.okafor", "chen.wei", "dana.kowalski", "emre.yilmaz", "fatima.haddad",
    "gustav.lind", "hana.sato", "ivan.petrov", "julia.moreau", "kofi.mensah", "lea.novak",
)  # fmt: skip


def _settings(**changes: Any) -> dict[str, Any]:
    """The docs' example settings (everything off, results always public) with changes."""
    return {
        "allowSelectionOfMultipleOptions": False,
        "resultsVisibility": "alwaysPublic",
        "endDate": "",
        "hideAbsoluteNumbers": False,
        "allowRevote": False,
        "saveParticipantNames": False,
        "closePollOnEndDate": False,
        "allowComment": False,
        **changes,
    }


def _options(*titles: str) -> list[dict[str, Any]]:
    return [{"id": str(i + 1), "title": t, "order": i} for i, t in enumerate(titles)]


STARS_POLL: dict[str, Any] = {
    "id": "ee9107b5-5041-4c15-8c76-f14404fa1fad",
    "title": "Stars from ⭐ to ⭐⭐⭐⭐⭐",
    "description": "Simple scoring from 1 to 5 stars",
    "options": [
        {"id": "1", "title": "⭐", "order": 0},
        {"id": "2", "title": "⭐⭐", "order": 1},
        {"id": "3", "title": "⭐⭐⭐", "order": 2},
        {"id": "4", "title": "⭐⭐⭐⭐", "order": 3},
        {"id": "5", "title": "⭐⭐⭐⭐⭐", "order": 4},
    ],
    "settings": {
        "allowSelectionOfMultipleOptions": False,
        "resultsVisibility": "alwaysPublic",
        "endDate": "",
        "hideAbsoluteNumbers": False,
        "allowRevote": False,
        "saveParticipantNames": False,
        "closePollOnEndDate": False,
        "allowComment": False,
    },
}
"""The Poll example from the API docs, verbatim."""

LONG_TITLE = (
    "Should we move the nightly integration suite from the shared Jenkins agents to ephemeral "
    "GitHub Actions runners before the Q3 code freeze, given the flaky network failures?"
)

UNKNOWN_FIELDS_POLL: dict[str, Any] = {
    "title": "Database for the new audit log 🗄️",
    "description": "Carries fields the API docs do not mention; they must survive an edit.",
    "labels": ["audit", "q3"],
    "x-origin": {"importedFrom": "polls-v0", "revision": 7},
    "options": [
        {"id": "pg", "title": "PostgreSQL 🐘", "order": 0, "color": "#336791"},
        {"id": "ch", "title": "ClickHouse", "order": 1, "meta": {"benchmark": "2.3x", "tags": []}},
        {"id": "dy", "title": "DynamoDB", "order": 2},
    ],
    "settings": _settings(
        allowSelectionOfMultipleOptions=True,
        resultsVisibility="afterVote",
        anonymousMode="strict",
        reminder={"every": "P1D", "enabled": False},
    ),
}
"""A poll with undocumented fields at the top level, inside settings and inside options."""

# (content item, poll body, how many voters take part)
_DEMO_POLLS: tuple[tuple[ContentItem, dict[str, Any], int], ...] = (
    (PLAT_254604, STARS_POLL, 9),
    (
        PLAT_254604,
        {
            "title": "Which release train should 4.2 ship on? 🚆",
            "description": "Voting closes automatically at the end date.",
            "options": _options("June train", "July train", "August train"),
            "settings": _settings(closePollOnEndDate=True, endDate=_FUTURE, allowComment=True),
        },
        7,
    ),
    (
        PLAT_254611,
        {
            "title": "Preferred on-call rotation length",
            "description": "Names are saved so the rota owner can follow up.",
            "options": _options("One week", "Two weeks", "Split weekday / weekend"),
            "settings": _settings(allowRevote=True, saveParticipantNames=True, allowComment=True),
        },
        11,
    ),
    (
        PLAT_254611,
        {
            "title": LONG_TITLE,
            "description": "",
            "options": _options("Yes, before the freeze", "After the freeze", "Keep Jenkins"),
            "settings": _settings(resultsVisibility="afterClose", closePollOnEndDate=True, endDate=_FUTURE),
        },
        5,
    ),
    (PLAT_254630, UNKNOWN_FIELDS_POLL, 8),
    (
        PLAT_254630,
        {
            "title": "Retire the v1 audit endpoint?",
            "options": _options("Yes", "No", "Not yet"),
            "settings": _settings(),
        },
        0,
    ),
    (
        MOBI_1207,
        {
            "title": "App icon for the redesign 🎨",
            "description": "Closed: the end date has passed.",
            "options": _options("🟦 Blue gradient", "🟧 Sunset", "⬛ Monochrome", "🟩 Mint"),
            "settings": _settings(closePollOnEndDate=True, endDate=_PAST, hideAbsoluteNumbers=True),
        },
        12,
    ),
    (
        MOBI_1213,
        {
            "title": "Minimum supported iOS version",
            "description": "Analytics say 4% of sessions are still on iOS 15.",
            "options": _options("iOS 15", "iOS 16", "iOS 17"),
            "settings": _settings(resultsVisibility="afterVote", endDate="2030-12-31"),
        },
        6,
    ),
    (
        MOBI_1230,
        {
            "title": "Which crashes should we fix first? 🐛",
            "description": "Pick up to all that hurt; you can change your mind.",
            "options": _options(
                "Login loop on Android 14", "Camera permission crash", "Offline sync race", "Widget freeze"
            ),
            "settings": _settings(allowSelectionOfMultipleOptions=True, allowRevote=True),
        },
        10,
    ),
    (
        OFFSITE_PAGE,
        {
            "title": "Where should the offsite be? 🏔️",
            "description": "Two nights, mid-September.",
            "options": _options("Lisbon 🇵🇹", "Kraków 🇵🇱", "Tromsø 🇳🇴"),
            "settings": _settings(saveParticipantNames=True, allowComment=True),
        },
        12,
    ),
    (
        OFFSITE_PAGE,
        {
            "title": "Lunch on day one 🍕",
            "options": _options("Pizza 🍕", "Sushi 🍣", "Tacos 🌮", "Salad bar 🥗"),
            "settings": _settings(allowSelectionOfMultipleOptions=True, hideAbsoluteNumbers=True),
        },
        9,
    ),
    (
        RETRO_PAGE,
        {
            "title": "Retro format for Q3",
            "options": _options("Start / Stop / Continue", "Sailboat ⛵", "4Ls", "Mad / Sad / Glad"),
            "settings": _settings(resultsVisibility="afterClose", closePollOnEndDate=True, endDate=_PAST),
        },
        7,
    ),
    (
        RETRO_PAGE,
        {
            "title": "Do you feel heard in planning meetings?",
            "description": "Anonymous; only percentages are shown.",
            "options": _options("Always", "Mostly", "Sometimes", "Rarely"),
            "settings": _settings(hideAbsoluteNumbers=True, resultsVisibility="afterVote", allowRevote=True),
        },
        8,
    ),
    (
        RETRO_PAGE_2ND_MACRO,
        {
            "title": "Draft: topics for next retro",
            "description": "Options still to be added.",
            "options": [],
            "settings": _settings(allowSelectionOfMultipleOptions=True),
        },
        0,
    ),
)


def seed_demo_data(store: PollStore, seed: int = 2024) -> int:
    """Fill an empty ``store`` with the demo polls and votes; return how many polls were added.

    A store that already holds a poll is not touched (returns 0), so running
    the demo twice never duplicates anything and never undoes the user's edits.
    """
    if store.count_polls():
        return 0
    rng = random.Random(seed)
    for item, body, turnout in _DEMO_POLLS:
        poll_id = body.get("id") or str(uuid.UUID(int=rng.getrandbits(128), version=4))
        poll = store.create_poll(*item, body, poll_id=poll_id)
        option_ids = [o["id"] for o in poll["options"]]
        multiple = poll["settings"]["allowSelectionOfMultipleOptions"]
        # Skewed weights so the bars differ visibly, as real votes do.
        weights = [rng.randint(1, 6) for _ in option_ids]
        for voter in rng.sample(_VOTERS, turnout if option_ids else 0):
            k = rng.randint(1, min(3, len(option_ids))) if multiple else 1
            choice: set[str] = set()
            while len(choice) < k:
                choice.add(rng.choices(option_ids, weights)[0])
            store.add_vote(poll["id"], sorted(choice), voter)
    return len(_DEMO_POLLS)


#: The project of the larger seed (``pollstui serve --seed-items N``): issues OPS-1 … OPS-N.
OVERVIEW_WORKSPACE = "OPS"

_OVERVIEW_TOPICS = (
    "Which day for the release?", "Keep the Friday deploy freeze?", "Move stand-up to 9:45?",
    "Adopt the new on-call tool?", "Which logo for the status page?", "Retire the staging cluster?",
    "Budget for load tests", "Who owns the flaky test list?",
)  # fmt: skip


def overview_items(count: int) -> list[ContentItem]:
    """The content items of the larger seed: OPS-1 … OPS-``count``."""
    return [ContentItem("jira", OVERVIEW_WORKSPACE, f"{OVERVIEW_WORKSPACE}-{n}", "") for n in range(1, count + 1)]


def seed_overview_items(store: PollStore, count: int = 40, seed: int = 2024, now: datetime | None = None) -> int:
    """Put one to three polls on each of ``count`` Jira issues (:func:`overview_items`), for an
    overview of many items (the bench, a demo): some ending within hours or days of ``now``, some
    ended, some without an end date, with a few votes each. Return how many polls were added; a
    store that already has polls on OPS-1 is not touched (returns 0)."""
    items = overview_items(count)
    if not items or store.list_polls(*items[0]):
        return 0
    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    added = 0
    for n, item in enumerate(items, 1):
        for k in range(1 + n % 3):
            kind = (n + k) % 4
            ends = (
                "" if kind == 0 else (now + timedelta(hours=3 * n + k)).strftime("%Y-%m-%dT%H:%M:00Z") if kind == 1
                else (now + timedelta(days=n)).strftime("%Y-%m-%d") if kind == 2
                else (now - timedelta(days=n)).strftime("%Y-%m-%dT17:00:00Z")
            )  # fmt: skip
            body = {
                "title": f"{_OVERVIEW_TOPICS[(n + k) % len(_OVERVIEW_TOPICS)]} ({item.content})",
                "description": f"Poll {k + 1} on {item.content}, from the larger seed.",
                "options": _options("Yes", "No", "Later"),
                "settings": _settings(endDate=ends, closePollOnEndDate=kind == 3, allowRevote=k == 1),
            }
            poll = store.create_poll(*item, body, poll_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            for voter in rng.sample(_VOTERS, rng.randint(0, 5)):
                store.add_vote(poll["id"], [rng.choice(["1", "2", "3"])], voter)
            added += 1
    return added
