"""A poll written to drive the terminal of whoever looks at it, and the check that it did not.

Its title sets the clipboard (OSC 52), clears the screen (CSI 2J), renames the window (OSC 2)
and reverses the text after it (a bidi override); its description, options, end date and an
unknown settings field carry C1 controls, BEL, DEL and bidi isolates besides.
"""

from __future__ import annotations

import unicodedata
from typing import Any

CLIPBOARD = "\x1b]52;c;cHduZWQ=\x1b\\"
TITLE = f"x{CLIPBOARD} \x1b[2J \x1b]2;pwned\x07 \u202eevil"

HOSTILE_POLL: dict[str, Any] = {
    "title": TITLE,
    "description": "line one\nline two \x1b[31mred\x1b[0m \x9b2J \x7f \u2066isolated\u2069",
    "options": [
        {"id": "o1", "title": "yes \x1b]2;opt\x07", "order": 0},
        {"id": "o2", "title": "no \x9d0;c1\x9c \u202e", "order": 1},
    ],
    "settings": {
        "allowSelectionOfMultipleOptions": False,
        "resultsVisibility": "alwaysPublic",
        "endDate": "2031-01-01\x1b[2J",
        "closePollOnEndDate": False,
        "hideAbsoluteNumbers": False,
        "allowRevote": True,
        "saveParticipantNames": False,
        "allowComment": False,
        "x\x1b[5mblink": "\x1b]2;extra\x07",
    },
}

#: Characters that steer a terminal besides the Cc category.
STEERING = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)}


def add_hostile_poll(store: Any, content: str = "PLAT-254604") -> str:
    """Store the hostile poll on ``content`` of the reference server, with two votes; its id."""
    poll = store.create_poll("jira", content.split("-")[0], content, "", HOSTILE_POLL)
    store.add_vote(poll["id"], ["o1"], "mallory")
    store.add_vote(poll["id"], ["o2"], "trent")
    return poll["id"]


def controls_in(text: str, *, allowed: str = "\n\t") -> list[str]:
    """The characters of ``text`` that would drive a terminal (besides those ``allowed``)."""
    return [
        ch for ch in text if ch not in allowed and (ch in STEERING or unicodedata.category(ch) == "Cc")
    ]
