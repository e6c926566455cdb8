"""The session's questions on a command line: the CLI's :class:`pollstui.session.ask.Ask`.

A command says how each question is answered, by its :class:`~pollstui.session.ask.Topic`:

- ``answers`` fixes the answer to a topic whatever the flags (``update`` never creates a poll
  again, so a poll deleted meanwhile stays deleted; it never stops for options with votes, as it
  never did, but names them on stderr);
- otherwise ``--yes`` answers yes, and a terminal is asked (``[y/N]`` on stderr);
- otherwise nobody can answer: no. Commands check for ``--yes`` or a terminal before they send
  anything, so this is the last line of defence, not a path a user meets.

No command meets a conflict here (``update`` reads the poll once, just before its write;
``edit`` compares and asks on its own): were one asked, it would never be overwritten (KEEP, and
the command says nothing was sent, exit 8). A lost create that arrived is not asked about here:
``create`` has its own check (exit 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pollstui.cli.common import confirm, stdin_is_tty, warn
from pollstui.session.ask import ArrivedChoice, ConflictChoice, Question, Topic

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef
    from pollstui.api.models import Poll


class CliAsk:
    def __init__(self, *, yes: bool = False, answers: Mapping[Topic, bool] | None = None) -> None:
        self.yes = yes
        self.answers = dict(answers or {})

    async def confirm(self, question: Question) -> bool:
        answer = self.answers.get(question.topic)
        if answer is not None:
            if answer and question.destructive:  # going ahead by rule, unasked: say what it costs
                warn(question.message)
            return answer
        if self.yes:
            return True
        if not stdin_is_tty():
            return False
        return confirm(f"{question.title} {question.message} [y/N] ")

    async def conflict(self, original: Poll, theirs: Poll) -> ConflictChoice:
        return ConflictChoice.KEEP

    async def arrived(self, ref: ContentRef, found: Poll) -> ArrivedChoice:
        return ArrivedChoice.KEEP
