"""The Poll example from the API docs ("Stars from ⭐ to ⭐⭐⭐⭐⭐"), verbatim, defined once for the tests.

Written out here rather than imported from :mod:`pollstui.server.seed`, which seeds the same poll
on PLAT-254604: a change to the seed must not make a test pass by accident (tests/server/test_store.py
checks that the seeded poll is this one).
"""

from __future__ import annotations

from typing import Any

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
STARS_ID: str = STARS_POLL["id"]
STARS_TITLE: str = STARS_POLL["title"]
