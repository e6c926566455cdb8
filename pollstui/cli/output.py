"""What the CLI prints: tables, the poll view and results, as pure functions of their input.

Nothing here reads or writes anything (the terminal width comes in as an argument), so each
format can be tested on its own. Every text from outside (the server's fields, profile and
content names) passes through :mod:`pollstui.text` on its way in, so no format but JSON
prints a control character, an escape sequence or a bidi override, and JSON escapes them. Standard library only at import time: pydantic arrives with
the polls these functions are given, and :mod:`pollstui.api.results` (the one place percentages
are computed and formatted) is imported inside the functions that need it.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pollstui.dates import describe_end_date, say_end_date, short_end_date
from pollstui.text import cell_width, fit, json_text, one_line, plural, sanitize, spreadsheet_cell, votes

if TYPE_CHECKING:
    from pollstui.api.address import ContentRef

__all__ = [
    "HIDDEN_NUMBERS_NOTE",
    "ResultRow",
    "ResultsSummary",
    "describe_settings",
    "format_poll",
    "format_poll_table",
    "format_results_csv",
    "format_results_json",
    "format_results_markdown",
    "format_results_table",
    "format_table",
    "format_tsv",
    "import_failure_message",
    "json_text",
    "plural",
    "results_summary",
    "results_unavailable",
]


# --- list and get ------------------------------------------------------------------------------


def format_poll_table(
    polls: list[Any], ref: ContentRef, *, results: bool, width: int | None, headers: bool = True
) -> str:
    """The ``list`` table: id, title, options, votes (with results) and end date, fitting ``width``.

    ``width`` None (stdout is not a terminal): tab-separated, every title whole, for cut and awk.
    """
    if not polls:
        return f"No polls on {one_line(ref.label)} yet. Create one with: pollstui create --template yes-no --title '…'"
    rows = []
    for poll in polls:
        votes = poll.total_votes
        row = [one_line(poll.id or ""), one_line(poll.title), str(len(poll.options))]
        if results:
            row.append("?" if votes is None else str(votes))
        row.append(one_line(_ends(poll.settings, words=width is not None)) or "—")
        rows.append(row)
    header = ["ID", "TITLE", "OPTIONS", *(["VOTES"] if results else []), "ENDS"]
    return format_table(header, rows, width=width, headers=headers, title=1, right={2, 3} if results else {2})


def format_table(
    header: list[str], rows: list[list[str]], *, width: int | None, headers: bool, title: int, right: set[int],
    least: int = 10,
) -> str:
    """Rows of inert cells under ``header``: tab-separated when ``width`` is None, else columns
    fitting ``width`` (column ``title`` takes what is left, at least ``least`` cells; the columns
    in ``right`` align right)."""
    if width is None:
        return format_tsv(header if headers else None, rows)
    widths = [max(cell_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fixed = sum(w for i, w in enumerate(widths) if i != title) + 2 * (len(widths) - 1)
    widths[title] = max(least, min(widths[title], width - fixed))

    def line(cells: list[str]) -> str:
        parts = []
        for i, cell in enumerate(cells):
            if i in right:
                parts.append(" " * (widths[i] - cell_width(cell)) + cell)
            else:
                parts.append(fit(cell, widths[i]))
        return "  ".join(parts).rstrip()

    return "\n".join(line(r) for r in ([header] if headers else []) + rows)


def format_tsv(header: list[str] | None, rows: list[list[str]]) -> str:
    """Tab-separated lines; each cell inert and on one line (its own tabs and newlines become spaces)."""
    return "\n".join("\t".join(one_line(cell) for cell in row) for row in ([header] if header else []) + rows)


def _ends(settings: Any, *, words: bool) -> str:
    """A poll's end for the ``list`` table: in words on a terminal (:func:`say_end_date`: ``in 3 h``,
    ``Fri 17:00``, ``30 Jun 2031``, ``closed``); its day (``2031-06-30``) in tab-separated lines for
    scripts, which words that change by the minute would not serve (``get`` shows the time)."""
    if words:
        return say_end_date(settings.end_date, settings.close_poll_on_end_date)
    return short_end_date(settings.end_date)


_VISIBILITY = {
    "alwaysPublic": "results are always public",
    "afterVote": "results are shown after voting",
    "afterClose": "results are shown when the poll closes",
}


def describe_settings(settings: Any) -> list[str]:
    """The poll's settings in words, one per line."""
    lines = [
        "voters may pick several options" if settings.allow_selection_of_multiple_options else "voters pick one option",
        _VISIBILITY.get(
            settings.results_visibility,
            f"results visibility {one_line(repr(settings.results_visibility))} (not known to pollstui; kept as it is)",
        ),
    ]
    if settings.end_date:
        closes = ", and the poll closes then" if settings.close_poll_on_end_date else ", but the poll stays open"
        lines.append(f"ends {one_line(describe_end_date(settings.end_date))}{closes}")
    else:
        lines.append("no end date")
    lines.append("vote counts hidden (percentages only)" if settings.hide_absolute_numbers else "vote counts shown")
    lines.append("voters may change their vote" if settings.allow_revote else "votes cannot be changed")
    lines.append("voters' names are saved" if settings.save_participant_names else "voters' names are not saved")
    lines.append("comments allowed" if settings.allow_comment else "no comments")
    for key, value in settings.extra_fields.items():
        lines.append(f"{one_line(key)} = {one_line(json.dumps(value, ensure_ascii=False))} (not known to pollstui; kept as it is)")
    return lines


def format_poll(poll: Any, ref: ContentRef, *, results: bool, cut: int | None = 60) -> str:
    """The ``get`` view: title, description, options (with votes), settings in words. Option titles
    are cut to ``cut`` columns on a terminal; None keeps them whole (stdout is not a terminal)."""
    from pollstui.api.results import format_percent

    out = [one_line(poll.title) or "(untitled)", f"id {one_line(poll.id)} on {one_line(ref.label)}"]
    if poll.description:
        out += ["", sanitize(poll.description)]
    options = poll.ordered_options()
    summary = results_summary(poll) if results else None
    out += ["", "Options:" if options else "Options: none yet"]
    label_width = max((cell_width(one_line(o.title)) for o in options), default=0)
    for number, option in enumerate(options, 1):
        line = f"  {number:>2}. {fit(option.title, label_width if cut is None else min(label_width, cut))}"
        if summary is not None:
            row = summary.rows[number - 1]  # the same options in the same order
            line += f"  {row.votes:>5} vote{'' if row.votes == 1 else 's'}  {format_percent(row.percent):>6}"
        out.append(line.rstrip())
    if summary is not None:
        out.append(f"  {_total_line(summary)}")
    elif results and poll.results is not None:
        out += ["", "Results (in a shape pollstui does not know; shown as sent):"]
        out += ["  " + sanitize(line) for line in json.dumps(poll.results, ensure_ascii=False, indent=2).splitlines()]
    elif results:
        out.append("  (the server sent no results)")
    out += ["", "Settings:", *(f"  - {line}" for line in describe_settings(poll.settings))]
    extra = [k for k in poll.extra_fields if k != "results"]
    if extra:
        out += ["", f"Other fields (kept as they are): {one_line(', '.join(extra))}"]
    return "\n".join(out)


# --- results ---------------------------------------------------------------------------------

#: Said wherever counts are left out because the poll hides absolute numbers.
HIDDEN_NUMBERS_NOTE = "this poll hides absolute numbers, so only percentages are shown."


@dataclass(frozen=True)
class ResultRow:
    """One option's result: votes, and their share of all votes in percent (unrounded)."""

    option_id: str
    title: str
    votes: int
    percent: float


@dataclass(frozen=True)
class ResultsSummary:
    """A poll's results ready to print, options in display order."""

    poll_id: str
    title: str
    rows: list[ResultRow]
    total_votes: int
    total_voters: int | None
    counts_hidden: bool  # the poll hides absolute numbers: show percentages only


def results_summary(poll: Any, *, inert: bool = True) -> ResultsSummary | None:
    """The results of ``poll`` (fetched with results), or None when the server sent none or
    sent them in a shape pollstui does not know (:attr:`Poll.results_view` is None).

    Titles and ids are made inert for a terminal unless ``inert`` is False (for JSON, which
    escapes what it must itself)."""
    from pollstui.api.results import percent

    clean = sanitize if inert else (lambda text: text)
    title = one_line(poll.title) if inert else poll.title

    view = poll.results_view
    if view is None:
        return None
    rows = []
    for option in poll.ordered_options():
        count = view.votes_for(option.id)
        rows.append(ResultRow(clean(option.id), clean(option.title), count, percent(count, view.total_votes)))
    return ResultsSummary(
        poll_id=clean(poll.id or ""),
        title=title or "(untitled)",
        rows=rows,
        total_votes=view.total_votes,
        total_voters=view.total_voters,
        counts_hidden=poll.settings.hide_absolute_numbers,
    )


def results_unavailable(poll: Any) -> str:
    """One line saying why ``poll`` has no results to show as a table."""
    poll_id = one_line(poll.id)
    if poll.results is None:
        return f"The server sent no results for poll {poll_id}."
    return (
        f"The server sent the results of poll {poll_id} in a shape pollstui does not know; "
        f"`pollstui results {shlex.quote(poll_id)} --format json` shows them as sent."
    )


def _total_line(summary: ResultsSummary) -> str:
    voters = f" from {plural(summary.total_voters, 'voter')}" if summary.total_voters is not None else ""
    return f"Total: {votes(summary.total_votes)}{voters}"


def format_results_table(summary: ResultsSummary, *, width: int | None) -> str:
    """The title, then OPTION, VOTES (unless hidden) and PERCENT columns fitting ``width``, then the total."""
    from pollstui.api.results import format_percent

    counts = not summary.counts_hidden
    header = ["OPTION", *(["VOTES"] if counts else []), "PERCENT"]
    rows = [
        [row.title or "(no title)", *([str(row.votes)] if counts else []), format_percent(row.percent)]
        for row in summary.rows
    ]
    fitting = sys.maxsize if width is None else width  # not a terminal: every title whole, still in columns
    out = [summary.title, format_table(header, rows, width=fitting, headers=True, title=0, right={1, 2}, least=6)]
    out.append(_total_line(summary) if counts else f"Note: {HIDDEN_NUMBERS_NOTE}")
    return "\n".join(out)


def _md(text: str) -> str:
    """``text`` safe inside a Markdown table cell or paragraph (one line, specials escaped)."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def format_results_markdown(summary: ResultsSummary) -> str:
    """A bold title, a Markdown table (figures right-aligned) and the total, or the note when hidden."""
    from pollstui.api.results import format_percent

    counts = not summary.counts_hidden
    out = [f"**{_md(summary.title)}**", ""]
    if counts:
        out += ["| Option | Votes | Percent |", "| --- | ---: | ---: |"]
        out += [f"| {_md(r.title)} | {r.votes} | {format_percent(r.percent)} |" for r in summary.rows]
        out += ["", _total_line(summary)]
    else:
        out += ["| Option | Percent |", "| --- | ---: |"]
        out += [f"| {_md(r.title)} | {format_percent(r.percent)} |" for r in summary.rows]
        out += ["", f"_Note: {_md(HIDDEN_NUMBERS_NOTE)}_"]
    return "\n".join(out)


def format_results_csv(summary: ResultsSummary, *, total: bool = False) -> str:
    """Data only: ``option,votes,percent`` rows, votes and percent as plain numbers (percent with
    one decimal, no ``%``); an option title a spreadsheet would run as a formula starts with ``'``
    (:func:`~pollstui.text.spreadsheet_cell`). Without the votes column when the poll hides absolute numbers (the
    caller says so on stderr). ``total``: a last ``Total`` row, when counts are shown."""
    counts = not summary.counts_hidden
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["option", *(["votes"] if counts else []), "percent"])
    for row in summary.rows:
        writer.writerow([spreadsheet_cell(row.title), *([row.votes] if counts else []), f"{row.percent:.1f}"])
    if total and counts:
        writer.writerow(["Total", summary.total_votes, "100.0" if summary.total_votes else "0.0"])
    return buffer.getvalue()


def format_results_json(poll: Any) -> str:
    """The results as a JSON object: per option its id, title, votes and percent (one decimal).

    Counts (``votes``, ``totalVotes``, ``totalVoters``) are left out when the poll hides absolute
    numbers, and ``note`` says so. Results the server did not send, or sent in a shape pollstui
    does not know, are given as sent under ``results``, with a ``note``.
    """
    summary = results_summary(poll, inert=False)
    data: dict[str, Any] = {"pollId": poll.id, "title": poll.title}
    if summary is None:
        data["note"] = (
            "The server sent no results for this poll."
            if poll.results is None
            else "The server sent results in a shape pollstui does not know; they are given as sent."
        )
        data["results"] = poll.results
        return json_text(data)
    counts = not summary.counts_hidden
    data["countsHidden"] = not counts
    if counts:
        data["totalVotes"] = summary.total_votes
        if summary.total_voters is not None:
            data["totalVoters"] = summary.total_voters
    data["options"] = [
        {
            "optionId": row.option_id,
            "title": row.title,
            **({"votes": row.votes} if counts else {}),
            "percent": round(row.percent, 1),
        }
        for row in summary.rows
    ]
    if not counts:
        data["note"] = HIDDEN_NUMBERS_NOTE[0].upper() + HIDDEN_NUMBERS_NOTE[1:]
    return json_text(data)


def print_saved(poll: Any, as_json: bool, line: str) -> None:
    """A poll just saved, on stdout: its JSON (results too) with ``--json``, else ``line``."""
    print(json_text(poll.to_api(include_results=True)) if as_json else one_line(line))


# --- import ----------------------------------------------------------------------------------


def import_failure_message(polls: list[dict[str, Any]], index: int, where: str, error: Exception) -> str:
    """Why importing ``polls[index]`` failed, how many were created on ``where`` before it, and
    which were not (at most five named). ``polls`` have been checked to have titles."""

    def name(i: int) -> str:
        return f"#{i + 1} {one_line(repr(one_line(polls[i]['title'])))}"

    maybe = bool(getattr(error, "maybe_done", False))  # its answer was lost, or a 424/5xx: it may be there
    left = [name(i) for i in range(index + maybe, len(polls))]
    if len(left) > 5:
        left = [*left[:5], f"and {len(left) - 5} more"]
    done = f"Created {index} of {len(polls)} on {where} before it (listed above)" if index else "Nothing else was created" if maybe else "Nothing was created"
    if maybe:
        done = f"{name(index)} may have been created: check with `pollstui list` before importing it again. {done}"
    from pollstui.api.errors import PollsError
    from pollstui.cli.errors import told

    said = told(error) if not maybe and isinstance(error, PollsError) else str(error)
    return f"Importing poll {name(index)} failed: {one_line(said)} {done}; not created: {', '.join(left) or 'none'}."
