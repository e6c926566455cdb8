"""``pollstui results``, ``export`` and ``import``, in-process against the reference server over loopback."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from pollstui.text import one_line
from tests.example import STARS_ID, STARS_POLL, STARS_TITLE
from tests.test_cli import conn, one_error_line, run

ISSUE = "PLAT-254604"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


def jira_polls(server, content: str) -> list[dict]:
    return server.store.list_polls("jira", content.split("-")[0], content, "")


@pytest.fixture
def known(ref_server) -> str:
    """A multiple-choice poll with known votes (options listed out of display order)."""
    body = {
        "title": "Ship *it* | now?",
        "options": [
            {"id": "l", "title": "Later", "order": 2},
            {"id": "y", "title": "Yes", "order": 0},
            {"id": "n", "title": "No | maybe", "order": 1},
        ],
        "settings": {"allowSelectionOfMultipleOptions": True, "hideAbsoluteNumbers": False},
    }
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-500", "", body)["id"]
    for voter, choice in (("v1", ["y", "n"]), ("v2", ["y"]), ("v3", ["y"]), ("v4", ["n"])):
        ref_server.store.add_vote(poll_id, choice, voter)
    return poll_id


# --- results: exact output per format ------------------------------------------------------------


def test_results_table(capsys, ref_server, known, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run(capsys, "results", known, *conn(ref_server, "PLAT-500"))
    assert (code, err) == (0, "")
    assert out == (
        "Ship *it* | now?\n"
        "OPTION      VOTES  PERCENT\n"
        "Yes             3    60.0%\n"
        "No | maybe      2    40.0%\n"
        "Later           0     0.0%\n"
        "Total: 5 votes from 4 voters\n"
    )


def test_results_csv(capsys, ref_server, known):
    code, out, err = run(capsys, "results", known, "--format", "csv", *conn(ref_server, "PLAT-500"))
    assert (code, err) == (0, "")
    # data only: numbers a spreadsheet reads as numbers, no % signs, no total row mixed in
    assert out == "option,votes,percent\nYes,3,60.0\nNo | maybe,2,40.0\nLater,0,0.0\n"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(int(r["votes"]) for r in rows) == 5 and sum(float(r["percent"]) for r in rows) == 100.0


def test_results_csv_total_on_request(capsys, ref_server, known):
    code, out, _ = run(capsys, "results", known, "--format", "csv", "--total", *conn(ref_server, "PLAT-500"))
    assert code == 0 and out.splitlines()[-1] == "Total,5,100.0"


FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(1,2)", "-2+3", "\t=1+1", "=HYPERLINK(\"http://x.example\")"]


def test_results_csv_writes_formulas_as_text(capsys, ref_server):
    """Option titles that a spreadsheet would run as formulas are written with a leading ' (OWASP)."""
    titles = [*FORMULAS, "\r=1", "Plain", "a=b", "Total"]
    body = {"title": "=calc", "options": [{"id": str(i), "title": t, "order": i} for i, t in enumerate(titles)]}
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-502", "", body)["id"]
    code, out, err = run(capsys, "results", poll_id, "--format", "csv", "--total", *conn(ref_server, "PLAT-502"))
    assert (code, err) == (0, "")
    cells = [row[0] for row in csv.reader(io.StringIO(out))][1:]
    # what a spreadsheet takes for a formula: a cell that starts with = + - @, or tab / CR before one
    assert not [cell for cell in cells if cell.lstrip("\t\r").startswith(("=", "+", "-", "@"))]
    assert cells[: len(FORMULAS)] == ["'" + title for title in FORMULAS]
    assert cells[len(FORMULAS) :] == ["\u240d=1", "Plain", "a=b", "Total", "Total"]  # CR shown as ␍ already


def test_results_markdown(capsys, ref_server, known):
    code, out, err = run(capsys, "results", known, "--format", "md", *conn(ref_server, "PLAT-500"))
    assert (code, err) == (0, "")
    assert out == (
        "**Ship \\*it\\* \\| now?**\n"
        "\n"
        "| Option | Votes | Percent |\n"
        "| --- | ---: | ---: |\n"
        "| Yes | 3 | 60.0% |\n"
        "| No \\| maybe | 2 | 40.0% |\n"
        "| Later | 0 | 0.0% |\n"
        "\n"
        "Total: 5 votes from 4 voters\n"
    )


def test_results_json(capsys, ref_server, known):
    code, out, err = run(capsys, "results", known, "--format", "json", *conn(ref_server, "PLAT-500"))
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "pollId": known,
        "title": "Ship *it* | now?",
        "countsHidden": False,
        "totalVotes": 5,
        "totalVoters": 4,
        "options": [
            {"optionId": "y", "title": "Yes", "votes": 3, "percent": 60.0},
            {"optionId": "n", "title": "No | maybe", "votes": 2, "percent": 40.0},
            {"optionId": "l", "title": "Later", "votes": 0, "percent": 0.0},
        ],
    }


def stars_expected(ref_server) -> tuple[list[tuple[str, int, str]], int, int]:
    """(title, votes, "12.3%") per Stars option from the store's results, and the totals."""
    results = ref_server.store.results(STARS_ID)
    titles = {o["id"]: o["title"] for o in ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID)["options"]}
    total = results["totalVotes"]
    rows = [(titles[o["optionId"]], o["votes"], f"{100 * o['votes'] / total:.1f}%") for o in results["options"]]
    return rows, total, results["totalVoters"]


def test_results_of_the_seeded_stars_poll_in_every_format(capsys, ref_server, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    rows, total, voters = stars_expected(ref_server)
    assert total > 0 and any(votes for _, votes, _ in rows)

    code, out, _ = run(capsys, "results", STARS_ID, "--format", "csv", *conn(ref_server))
    assert code == 0
    assert out == "option,votes,percent\n" + "".join(f"{t},{v},{p.rstrip('%')}\n" for t, v, p in rows)

    code, out, _ = run(capsys, "results", STARS_ID, "--format", "md", *conn(ref_server))
    assert code == 0
    table = "".join(f"| {t} | {v} | {p} |\n" for t, v, p in rows)
    header = "| Option | Votes | Percent |\n| --- | ---: | ---: |\n"
    assert out == f"**{STARS_TITLE}**\n\n{header}{table}\nTotal: {total} votes from {voters} voters\n"

    code, out, _ = run(capsys, "results", STARS_ID, "--format", "json", *conn(ref_server))
    assert code == 0
    data = json.loads(out)
    assert (data["totalVotes"], data["totalVoters"], data["countsHidden"]) == (total, voters, False)
    assert [(o["title"], o["votes"], f"{o['percent']:.1f}%") for o in data["options"]] == rows

    code, out, _ = run(capsys, "results", STARS_ID, *conn(ref_server))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == STARS_TITLE and lines[1].split() == ["OPTION", "VOTES", "PERCENT"]
    assert [tuple(line.split()) for line in lines[2:-1]] == [(t, str(v), p) for t, v, p in rows]
    assert lines[-1] == f"Total: {total} votes from {voters} voters"


def test_results_percent_matches_the_get_view(capsys, ref_server):
    """One percent function: `results` and `get --results` print the same figures."""
    _, got, _ = run(capsys, "get", STARS_ID, "--results", *conn(ref_server))
    _, shown, _ = run(capsys, "results", STARS_ID, "--format", "csv", *conn(ref_server))
    rows = shown.splitlines()[1:]
    assert len(rows) == len(STARS_POLL["options"])  # an empty CSV used to pass
    for line in rows:
        assert line.rsplit(",", 1)[1] + "%" in got


def test_results_table_fits_a_narrow_terminal(capsys, ref_server, monkeypatch):
    monkeypatch.setattr("pollstui.cli.common.stdout_is_tty", lambda: True)
    monkeypatch.setenv("COLUMNS", "30")
    body = {"title": "Long", "options": [{"id": "1", "title": "An option title far wider than thirty columns", "order": 0}]}
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-501", "", body)["id"]
    code, out, _ = run(capsys, "results", poll_id, *conn(ref_server, "PLAT-501"))
    assert code == 0
    row = out.splitlines()[2]
    assert row.startswith("An option") and "…" in row and len(row) <= 30
    assert out.splitlines()[-1] == "Total: 0 votes from 0 voters"


# --- results: hidden numbers, odd results, errors ----------------------------------------------------


def hidden_poll(ref_server) -> dict:
    return next(p for p in jira_polls(ref_server, "MOBI-1207") if p["settings"]["hideAbsoluteNumbers"])


def test_results_hidden_numbers_show_percentages_only(capsys, ref_server, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    poll = hidden_poll(ref_server)
    results = ref_server.store.results(poll["id"])
    shares = [f"{100 * o['votes'] / results['totalVotes']:.1f}%" for o in results["options"]]
    titles = [o["title"] for o in poll["options"]]
    args = ("results", poll["id"], *conn(ref_server, "MOBI-1207"))
    note = "this poll hides absolute numbers, so only percentages are shown."

    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1].split() == ["OPTION", "PERCENT"]
    assert [line.rsplit(None, 1)[1] for line in lines[2:-1]] == shares
    assert lines[-1] == f"Note: {note}"
    assert str(results["totalVotes"]) not in out

    code, out, err = run(capsys, *args, "--format", "csv")
    assert code == 0
    assert out == "option,percent\n" + "".join(f"{t},{s.rstrip('%')}\n" for t, s in zip(titles, shares))
    assert err == f"pollstui: note: {note}\n"

    code, out, err = run(capsys, *args, "--format", "md")
    assert (code, err) == (0, "")
    assert "| Option | Percent |" in out and out.endswith(f"\n_Note: {note}_\n")
    assert "Votes" not in out

    code, out, _ = run(capsys, *args, "--format", "json")
    data = json.loads(out)
    assert data["countsHidden"] is True and data["note"].startswith("This poll hides absolute numbers")
    assert "totalVotes" not in data and "totalVoters" not in data
    assert [(o["title"], f"{o['percent']:.1f}%") for o in data["options"]] == list(zip(titles, shares))
    assert all("votes" not in o for o in data["options"])


@pytest.mark.parametrize(
    ("results", "words"),
    [({"winner": "2", "tally": [4, 7]}, "in a shape pollstui does not know"), (None, "sent no results")],
    ids=["unknown-shape", "missing"],
)
def test_results_the_client_cannot_read(capsys, ref_server, monkeypatch, results, words):
    monkeypatch.setattr(ref_server.store, "results", lambda poll_id: results)
    for fmt in ("table", "csv", "md"):
        code, out, err = run(capsys, "results", STARS_ID, "--format", fmt, *conn(ref_server))
        assert (code, err) == (0, "")
        assert len(out.splitlines()) == 1 and words in out and STARS_ID in out
    code, out, err = run(capsys, "results", STARS_ID, "--format", "json", *conn(ref_server))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["results"] == results and words in data["note"]
    assert data["pollId"] == STARS_ID and "options" not in data


def test_results_of_a_missing_poll_is_exit_4(capsys, ref_server):
    code, out, err = run(capsys, "results", MISSING_ID, *conn(ref_server))
    assert code == 4 and out == ""
    one_error_line(err)


def test_results_unknown_format_is_exit_2(capsys, ref_server):
    code, out, err = run(capsys, "results", STARS_ID, "--format", "xml", *conn(ref_server))
    assert code == 2 and out == ""
    one_error_line(err)


# --- export and import -------------------------------------------------------------------------------


def test_export_to_stdout_is_the_polls_without_results(capsys, ref_server, monkeypatch):
    stored = jira_polls(ref_server, "PLAT-254630")
    # a server that sends results even unasked: they are still left out
    monkeypatch.setattr(ref_server.store, "list_polls", lambda *item: [{**p, "results": {"totalVotes": 3}} for p in stored])
    code, out, err = run(capsys, "export", *conn(ref_server, "PLAT-254630"))
    assert (code, err) == (0, "")
    assert json.loads(out) == stored
    assert "🗄️" in out and '"results"' not in out  # ensure_ascii=False; no results
    assert out.startswith("[\n  {\n") and out.endswith("]\n")  # pretty


def test_export_of_an_empty_content_item(capsys, ref_server):
    code, out, _ = run(capsys, "export", *conn(ref_server, "PLAT-1"))
    assert code == 0 and json.loads(out) == []


def test_export_import_round_trip_keeps_everything_but_ids(capsys, ref_server, tmp_path):
    source = jira_polls(ref_server, "PLAT-254630")
    path = tmp_path / "polls.json"
    code, out, _ = run(capsys, "export", "-o", str(path), *conn(ref_server, "PLAT-254630"))
    assert code == 0 and out == f"Exported 2 polls from PLAT-254630 to {path}.\n"

    code, out, err = run(capsys, "import", str(path), *conn(ref_server, "PLAT-999"))
    assert (code, err) == (0, "")
    copies = jira_polls(ref_server, "PLAT-999")
    assert out == "".join(f"created {p['id']}  {one_line(p['title'])}\n" for p in copies)  # (🗄️ as 🗄)
    assert len(copies) == len(source) == 2
    for original, copy in zip(source, copies):
        assert copy["id"] != original["id"]
        assert {k: v for k, v in copy.items() if k != "id"} == {k: v for k, v in original.items() if k != "id"}
        assert list(copy) == list(original)  # key order too
        assert [o["id"] for o in copy["options"]] == [o["id"] for o in original["options"]]
    audit = copies[0]
    assert audit["labels"] == ["audit", "q3"] and audit["settings"]["anonymousMode"] == "strict"
    assert audit["options"][0]["color"] == "#336791"
    assert jira_polls(ref_server, "PLAT-254630") == source  # the source is untouched


def test_import_onto_confluence_from_stdin(capsys, ref_server, monkeypatch):
    polls = jira_polls(ref_server, ISSUE)
    exported = json.dumps([{**p, "results": {"totalVotes": 1}} for p in polls])  # results are dropped too
    monkeypatch.setattr(sys, "stdin", io.StringIO(exported))
    where = ["--endpoint", ref_server.confluence_endpoint, "--token", ref_server.token, "--product", "confluence",
             "--workspace", "98306", "--content", "700001", "--container", "macro-1"]  # fmt: skip
    code, out, _ = run(capsys, "import", "-", *where)
    assert code == 0 and len(out.splitlines()) == len(polls)
    copies = ref_server.store.list_polls("confluence", "98306", "700001", "macro-1")
    assert [p["title"] for p in copies] == [p["title"] for p in polls]
    assert all("results" not in p for p in copies)
    assert copies[0]["options"] == polls[0]["options"] and copies[0]["settings"] == polls[0]["settings"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{not json", "not valid JSON"),
        ('{"title": "one poll"}', "JSON array of polls"),
        ('[{"title": "ok"}, 3]', "item 2 is not a JSON object"),
        ('[{"title": "ok"}, {"options": []}]', "poll 2 has no title"),
        ('[{"title": "  "}]', "poll 1 has no title"),
        ('[{"title": 7}]', "poll 1 has no title"),
    ],
    ids=["broken-json", "object", "not-an-object", "no-title", "blank-title", "title-not-text"],
)
def test_invalid_import_file_is_refused_whole(capsys, ref_server, tmp_path, content, message):
    path = tmp_path / "polls.json"
    path.write_text(content)
    code, out, err = run(capsys, "import", str(path), *conn(ref_server, "PLAT-998"))
    assert code == 2 and out == ""
    assert message in one_error_line(err)
    assert jira_polls(ref_server, "PLAT-998") == []


def test_import_missing_file_is_exit_2(capsys, ref_server, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path / "nope.json"), *conn(ref_server))
    assert code == 2 and "Cannot read" in one_error_line(err)


def test_import_empty_array(capsys, ref_server, tmp_path):
    path = tmp_path / "polls.json"
    path.write_text("[]")
    code, out, _ = run(capsys, "import", str(path), *conn(ref_server, "PLAT-998"))
    assert code == 0 and "nothing to import" in out


def test_import_failure_part_way_says_what_was_created(capsys, ref_server, tmp_path):
    polls = [
        {"title": "First", "options": [{"id": "1", "title": "One", "order": 0}]},
        {"title": "Broken", "options": "not a list"},  # passes the file check; the server answers 400
        {"title": "Third", "options": []},
    ]
    path = tmp_path / "polls.json"
    path.write_text(json.dumps(polls))
    code, out, err = run(capsys, "import", str(path), *conn(ref_server, "PLAT-997"))
    assert code == 5  # the 400's exit code
    created = jira_polls(ref_server, "PLAT-997")
    assert [p["title"] for p in created] == ["First"]
    assert out == f"created {created[0]['id']}  First\n"
    line = one_error_line(err)
    assert "#2 'Broken' failed" in line and "400" in line
    assert "Created 1 of 3 on PLAT-997" in line and "not created: #2 'Broken', #3 'Third'" in line
    assert ref_server.token not in err


def test_import_failing_at_once_says_nothing_was_created(capsys, ref_server, tmp_path):
    path = tmp_path / "polls.json"
    path.write_text(json.dumps([{"title": "Bad", "options": 1}, {"title": "Fine", "options": []}]))
    code, out, err = run(capsys, "import", str(path), *conn(ref_server, "PLAT-997"))
    assert code == 5 and out == ""
    assert "Nothing was created; not created: #1 'Bad', #2 'Fine'" in one_error_line(err)


def test_import_read_only_is_exit_3(capsys, ref_server, tmp_path):
    path = tmp_path / "polls.json"
    path.write_text(json.dumps([{"title": "T", "options": []}]))
    code, out, err = run(capsys, "import", str(path), "--read-only", *conn(ref_server, "PLAT-996"))
    assert code == 3 and out == ""
    assert "read-only" in one_error_line(err)
    assert jira_polls(ref_server, "PLAT-996") == []


def test_export_to_an_unwritable_place_is_exit_2(capsys, ref_server, tmp_path):
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "no" / "such" / "dir.json"), *conn(ref_server))
    assert code == 2 and "Cannot write" in one_error_line(err)
