"""The one reader of end dates and durations, and the one formatter of ends.

Two readers, for two sources: :func:`read_end_date` reads a poll's ``endDate`` as it comes from a
server (:mod:`pollstui.dates.wire`); :func:`parse_typed_end` reads what a person types (``in 2h``,
``fri 17:00``, …) and gives the ISO 8601 text to send, and :func:`parse_duration` reads ``24h`` /
``30m`` / ``3d`` (``--ends-within``) (:mod:`pollstui.dates.typed`). Words for an end: :func:`say_end`
for a table (``in 3 h``, ``Fri 17:00``, ``closed``) and :func:`say_end_date` for a poll's ``endDate``
as sent (the main screen's and the overview's Ends column, ``pollstui list``), :func:`time_left` for present mode's countdown
(``4:09 left``), :func:`preview_end` beside the editor's field (``Fri 11 Dec, 17:00 CET · in 3 days``),
:func:`describe_end_date` for a detail view. Standard library only (``re``, ``datetime``): the grammar
is small enough for a tested parser.
"""

from __future__ import annotations

from pollstui.dates.typed import (
    TYPED_END_HELP,
    DateError,
    TypedEnd,
    parse_duration,
    parse_typed_end,
    preview_end,
    say_end,
    say_end_date,
    time_left,
)
from pollstui.dates.wire import (
    END_DATE_HELP,
    EndDate,
    describe_end_date,
    end_date_problem,
    end_date_warnings,
    parse_end_date,
    read_end_date,
    short_end_date,
    zone_name,
)

__all__ = [
    "END_DATE_HELP",
    "TYPED_END_HELP",
    "DateError",
    "EndDate",
    "TypedEnd",
    "describe_end_date",
    "end_date_problem",
    "end_date_warnings",
    "parse_duration",
    "parse_end_date",
    "parse_typed_end",
    "preview_end",
    "read_end_date",
    "say_end",
    "say_end_date",
    "short_end_date",
    "time_left",
    "zone_name",
]
