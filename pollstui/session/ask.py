"""The questions an operation may have to ask the user, as a small protocol.

Screens implement :class:`Ask` with modal dialogs (``push_screen_wait`` inside a worker); tests
implement it with plain functions; the CLI with a prompt. An operation never shows anything
itself: it asks through this protocol and returns an outcome in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll


class Topic(Enum):
    """What a yes/no question is about, so that an :class:`Ask` that cannot show it (the CLI in a
    script) answers by rule, never by matching its words."""

    DELETE = "delete"  # delete this poll?
    RECREATE = "recreate"  # the poll was deleted on the server meanwhile: create it again (new id)?
    RELOAD = "reload"  # drop my edits for the server's version?
    VOTES = "votes"  # the save removes or renames options that have votes: go ahead?
    UNDO = "undo"  # undo the last change?
    UNDO_ANYWAY = "undo-anyway"  # the server's poll changed since this app's change: undo anyway?
    OTHER = "other"


@dataclass(frozen=True)
class Question:
    """A yes/no question: ``confirm_label`` says yes, ``cancel_label`` says no."""

    title: str
    message: str
    confirm_label: str = "OK"
    cancel_label: str = "Cancel"
    destructive: bool = False
    topic: Topic = Topic.OTHER


class ConflictChoice(Enum):
    """What to do when the poll changed on the server while it was being edited."""

    OVERWRITE = "overwrite"  # save my version over theirs
    RELOAD = "reload"  # take theirs (my edits are dropped, after one more question)
    KEEP = "keep"  # keep editing; nothing is sent


class ArrivedChoice(Enum):
    """What to do when a create whose answer was lost turns out to have arrived."""

    OPEN = "open"  # take the poll that arrived; create nothing
    CREATE = "create"  # create another one anyway
    KEEP = "keep"  # keep editing; nothing is sent


class Ask(Protocol):
    """How an operation asks the user something; every method may take as long as the user does."""

    async def confirm(self, question: Question) -> bool:
        """True when the user said yes."""
        ...

    async def conflict(self, original: Poll, theirs: Poll) -> ConflictChoice:
        """``original`` is the version the editor opened, ``theirs`` the server's current one."""
        ...

    async def arrived(self, ref: ContentRef, found: Poll) -> ArrivedChoice:
        """``found`` looks like the poll a lost create sent; open it, or create another?"""
        ...
