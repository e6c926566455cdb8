"""The JSON-in-$EDITOR loop shared by `pollstui edit` and the TUI's E (no editor process: the
"editor" is a function that writes the file, as a user would)."""

from __future__ import annotations

import json

from pollstui.session.json_edit import HEADER, edit_until_valid, remove_edit_file, write_for_editing

POLL = {"id": "p1", "title": "Lunch", "options": [{"id": "1", "title": "Pizza", "order": 0}]}


def run(*writes: str):
    path = write_for_editing(POLL, "p1")
    shown: list[str] = []

    def editor(p):
        shown.append(p.read_text(encoding="utf-8"))
        p.write_text(writes[min(len(shown), len(writes)) - 1], encoding="utf-8")

    problems: list[str] = []
    try:
        return edit_until_valid(editor, path, POLL, "p1", problems.append), shown, problems
    finally:
        remove_edit_file(path)


def test_an_invalid_file_is_reopened_with_the_problem_on_top_until_it_is_a_poll():
    edited = {**POLL, "title": "Dinner"}
    result, shown, problems = run('{"title": ', json.dumps({**POLL, "title": " "}), json.dumps(edited))
    assert result == edited
    assert shown[0].startswith(HEADER) and json.loads(shown[0][len(HEADER):]) == POLL
    assert shown[1].startswith("// pollstui: NOT SAVED: not valid JSON") and '{"title": ' in shown[1]
    assert 'non-empty "title"' in shown[2].splitlines()[0]
    assert len(problems) == 2


def test_a_json_error_names_the_line_of_the_file_as_saved():
    broken = HEADER + json.dumps(POLL, indent=2).replace('"Lunch",', '"Lunch"')  # comma gone on line 5
    _, _, problems = run(broken, json.dumps(POLL))
    # the parser stops on the next line (6 of the file, header included; 4 without it)
    assert "line 6" in problems[0] and "of the file you saved" in problems[0]


def test_unchanged_or_emptied_means_no_changes():
    assert run(HEADER + json.dumps(POLL))[0] is None
    assert run("// only comments left\n")[0] is None
