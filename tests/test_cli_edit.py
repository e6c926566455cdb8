"""`pollstui edit`, driven by a stand-in editor (a script that rewrites the file as told) against
the reference server on loopback."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import TOKEN
from tests.faults import fault_proxy  # noqa: F401 (a fixture)
from tests.test_cli import FakeStdin, conn, run

CONTENT = "PLAT-88"

#: A non-interactive $EDITOR: each run does the next step of FAKE_EDITOR_STEPS (JSON) to the file
#: and appends what it was shown to FAKE_EDITOR_LOG. Steps: {"set": {...}} changes fields,
#: {"write": text} writes text, (each "set" starts from the poll as the first run was shown it), {"exit": n} exits with n, {"also_put": url} first changes the
#: poll on the server behind the user's back (its description, or {"their_change": {...}}), {"same": true} saves unchanged.
EDITOR = textwrap.dedent(
    """
    import json, os, sys, urllib.request
    path = sys.argv[1]
    log = os.environ["FAKE_EDITOR_LOG"]
    shown = open(path, encoding="utf-8").read()
    earlier = open(log, encoding="utf-8").read().split("\\x00")[:-1] if os.path.exists(log) else []
    runs = len(earlier)
    original = earlier[0] if earlier else shown
    with open(log, "a", encoding="utf-8") as out:
        out.write(shown + "\\x00")
    steps = json.loads(os.environ["FAKE_EDITOR_STEPS"])
    step = steps[runs] if runs < len(steps) else {"write": ""}  # past the plan: give up (empty file)
    if "exit" in step:
        sys.exit(step["exit"])
    if "also_put" in step:
        with urllib.request.urlopen(step["also_put"]) as response:
            theirs = json.loads(response.read())
        theirs = theirs[0] if isinstance(theirs, list) else theirs  # GET with pollId: Poll[] or a Poll
        theirs.pop("results", None)
        theirs.update(step.get("their_change", {"description": "changed by someone else"}))
        request = urllib.request.Request(step["also_put"], data=json.dumps(theirs).encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).close()
    if "also_delete" in step:  # someone deletes the poll while it is being edited
        urllib.request.urlopen(urllib.request.Request(step["also_delete"], method="DELETE")).close()
    if "write" in step:
        text = step["write"]
    else:
        poll = json.loads("".join(l for l in original.splitlines(True) if not l.lstrip().startswith("//")))
        poll.update(step.get("set", {}))
        if "grow" in step:  # a description of that many characters (too big for the environment)
            poll["description"] = "x" * step["grow"]
        text = json.dumps(poll, ensure_ascii=False, indent=2)
    open(path, "w", encoding="utf-8").write(text)
    """
)


@pytest.fixture
def editor(tmp_path, monkeypatch):
    """Set the stand-in editor's steps; returns a function giving what each run was shown."""
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR)
    log = tmp_path / "editor.log"
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    monkeypatch.setenv("FAKE_EDITOR_LOG", str(log))

    def steps(*plan: dict) -> callable:
        monkeypatch.setenv("FAKE_EDITOR_STEPS", json.dumps(list(plan)))
        return lambda: log.read_text(encoding="utf-8").split("\x00")[:-1] if log.exists() else []

    return steps


@pytest.fixture
def poll(ref_server):
    """A poll with fields pollstui does not know, at every level."""
    from pollstui.server.seed import UNKNOWN_FIELDS_POLL

    created = ref_server.store.create_poll("jira", "PLAT", CONTENT, "", UNKNOWN_FIELDS_POLL)
    return created["id"]


def stored(ref_server, poll_id: str) -> dict:
    return ref_server.store.get_poll("jira", "PLAT", CONTENT, "", poll_id)


def poll_url(ref_server, poll_id: str) -> str:
    return f"{ref_server.jira_endpoint}?token={ref_server.token}&type=polls&workspace=PLAT&content={CONTENT}&pollId={poll_id}"


def test_edit_saves_the_change_and_every_other_field_as_it_came(capsys, ref_server, poll, editor):
    before = stored(ref_server, poll)
    shown = editor({"set": {"title": "Audit log database"}})
    code, out, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code == 0, err
    assert out.strip() == f"Saved poll {poll}: Audit log database"
    # (shown as a terminal draws it in one cell: 🗄 without VS16, pollstui.text.sanitize)
    assert '-  "title": "Database for the new audit log \U0001f5c4",' in err and '+  "title": "Audit log database",' in err
    after = stored(ref_server, poll)
    assert after == {**before, "title": "Audit log database"}  # labels, x-origin, option colours, settings…
    (first,) = shown()
    assert '"results"' not in first and first.startswith("//")  # results left out; the header explains


def test_an_invalid_file_goes_back_to_the_editor_and_nothing_is_sent(capsys, ref_server, poll, editor):
    before = stored(ref_server, poll)
    shown = editor({"write": '{"title": "Half-'}, {"set": {"title": ""}}, {"set": {"title": "Fixed"}})
    code, _, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code == 0
    runs = shown()
    assert len(runs) == 3
    assert runs[1].startswith("// pollstui: NOT SAVED: not valid JSON")  # the error on top, then the file
    assert runs[2].startswith("// pollstui: NOT SAVED:") and "title" in runs[2].splitlines()[0]
    assert err.count("opening the editor again") == 2
    assert stored(ref_server, poll) == {**before, "title": "Fixed"}


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"id": "another"}, '"id" must stay'), ({"options": [{"title": "no id"}]}, 'every option needs its own "id"'),
     ({"settings": {"allowRevote": "maybe"}}, "settings")],
    ids=["id-changed", "option-without-id", "wrong-type"],
)  # fmt: skip
def test_what_makes_a_file_invalid(capsys, ref_server, poll, editor, change, problem):
    before = stored(ref_server, poll)
    shown = editor({"set": change}, {"write": ""})  # the second run gives up by emptying the file
    code, _, _ = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code == 0 and problem in shown()[1].splitlines()[0]
    assert stored(ref_server, poll) == before


def test_unchanged_sends_nothing(capsys, ref_server, poll, editor):
    editor({"same": True})
    code, out, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert (code, out) == (0, "") and "No changes" in err


def test_declined_keeps_the_edit_and_exits_8(capsys, ref_server, poll, editor, monkeypatch):
    before = stored(ref_server, poll)
    editor({"set": {"title": "Mine"}})
    monkeypatch.setattr(sys, "stdin", FakeStdin("n\n"))
    code, _, err = run(capsys, "edit", poll, *conn(ref_server, CONTENT))
    assert code == 8 and "[y/N]" in err and stored(ref_server, poll) == before
    kept = Path(err.split("kept in ")[1].split(".json")[0] + ".json")
    assert json.loads("".join(l for l in kept.read_text().splitlines(True) if not l.startswith("//")))["title"] == "Mine"


def test_confirmed_at_a_terminal(capsys, ref_server, poll, editor, monkeypatch):
    editor({"set": {"description": "New words"}})
    monkeypatch.setattr(sys, "stdin", FakeStdin("y\n"))
    code, out, _ = run(capsys, "edit", poll, "--json", *conn(ref_server, CONTENT))
    assert code == 0 and json.loads(out)["description"] == "New words"
    assert stored(ref_server, poll)["description"] == "New words"


def test_a_change_on_the_server_meanwhile_is_not_overwritten_without_asking(capsys, ref_server, poll, editor):
    editor({"also_put": poll_url(ref_server, poll), "set": {"title": "Mine"}})
    code, _, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))  # stdin is not a terminal
    assert code == 8 and "changed on the server since you opened it" in err
    assert "changed by someone else" in err  # what changed there is shown
    after = stored(ref_server, poll)
    assert (after["title"], after["description"]) == ("Database for the new audit log 🗄️", "changed by someone else")


def test_what_a_server_adds_on_its_own_is_no_change_on_the_server(capsys, ref_server, poll, editor):
    """The same rule as the TUI's save (session/sameness.py): a field the server added since is not
    someone else's change, so `edit --yes` in a script is not stopped by it."""
    editor({"also_put": poll_url(ref_server, poll), "their_change": {"updatedAt": "2030-01-01"}, "set": {"title": "Mine"}})
    code, _, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code == 0 and "changed on the server" not in err
    assert stored(ref_server, poll)["title"] == "Mine"


def test_a_change_on_the_server_overwritten_when_confirmed(capsys, ref_server, poll, editor, monkeypatch):
    editor({"also_put": poll_url(ref_server, poll), "set": {"title": "Mine"}})
    monkeypatch.setattr(sys, "stdin", FakeStdin("y\ny\n"))
    code, _, err = run(capsys, "edit", poll, *conn(ref_server, CONTENT))
    assert code == 0 and "Overwrite their changes" in err
    assert stored(ref_server, poll)["title"] == "Mine"


def test_editor_failure_or_no_terminal_sends_nothing(capsys, ref_server, poll, editor):
    before = stored(ref_server, poll)
    editor({"exit": 1})
    code, _, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code == 8 and "exited with status 1" in err
    editor({"set": {"title": "Mine"}})
    code, _, err = run(capsys, "edit", poll, *conn(ref_server, CONTENT))  # no --yes, and stdin is no terminal
    assert code == 2 and "--yes" in err
    assert stored(ref_server, poll) == before


def test_edit_of_a_missing_poll_is_exit_4(capsys, ref_server, editor):
    editor({"same": True})
    code, _, err = run(capsys, "edit", "00000000-0000-4000-8000-000000000000", "--yes", *conn(ref_server, CONTENT))
    assert code == 4 and ref_server.token not in err


def test_the_diff_and_messages_show_hostile_text_inert(capsys, ref_server, editor):
    from tests.hostile import HOSTILE_POLL, controls_in

    poll_id = ref_server.store.create_poll("jira", "PLAT", CONTENT, "", HOSTILE_POLL)["id"]
    editor({"set": {"description": "plain now", "title": HOSTILE_POLL["title"] + " \u202e2"}})
    code, out, err = run(capsys, "edit", poll_id, "--yes", *conn(ref_server, CONTENT))
    assert code == 0 and "plain now" in err  # the diff was shown
    assert controls_in(out, allowed="\n") == [] and controls_in(err, allowed="\n") == []
    assert stored(ref_server, poll_id)["options"] == HOSTILE_POLL["options"]  # yet sent back exactly


def test_a_refused_save_keeps_the_file_and_says_where(capsys, ref_server, poll, editor):
    before = stored(ref_server, poll)
    editor({"grow": 1_100_000})  # the reference server takes bodies up to 1 MiB
    code, _, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code not in (0, 1) and "413" in err and stored(ref_server, poll) == before
    kept = Path(err.split("kept in ")[1].split(".json")[0] + ".json")
    assert "x" * 1_100_000 in kept.read_text() and ref_server.token not in err


def test_a_poll_deleted_meanwhile_is_not_recreated_silently(capsys, ref_server, poll, editor):
    editor({"also_delete": poll_url(ref_server, poll), "set": {"title": "Mine"}})
    code, _, err = run(capsys, "edit", poll, "--yes", *conn(ref_server, CONTENT))
    assert code == 4 and "deleted on the server while you edited it" in err, err
    kept = err.split("kept in ")[1].split(".json")[0] + ".json"
    assert f"pollstui create --file {kept}" in err and ref_server.store.list_polls("jira", "PLAT", CONTENT, "") == []
    code, out, _ = run(capsys, "create", "--file", kept, *conn(ref_server, CONTENT))  # the hint works as given
    assert code == 0 and stored(ref_server, out.strip())["title"] == "Mine"


def test_ctrl_c_at_the_question_keeps_the_file_and_says_where(capsys, ref_server, poll, editor, monkeypatch):
    class Interrupting(FakeStdin):
        def readline(self, *args) -> str:
            raise KeyboardInterrupt

    editor({"set": {"title": "Mine"}})
    monkeypatch.setattr(sys, "stdin", Interrupting(""))
    code, _, err = run(capsys, "edit", poll, *conn(ref_server, CONTENT))
    assert code == 130 and "Interrupted: not saved." in err
    kept = Path(err.split("kept in ")[1].split(".json")[0] + ".json")
    assert json.loads(kept.read_text())["title"] == "Mine"


def test_a_save_answered_424_after_the_server_acted_is_read_back_as_saved(capsys, fault_proxy, ref_server, poll, editor):
    """Forge gave up waiting (55 s) but the function had saved: the poll read back says so (the
    session's save reads it back too), not "may or may not have been saved"."""
    before = stored(ref_server, poll)
    editor({"set": {"title": "Audit log database"}})
    fault_proxy.inject("acted-424", methods={"PUT"})
    code, out, err = run(capsys, "edit", poll, "--yes", *conn_via(fault_proxy))
    assert code == 0, err
    assert out.strip() == f"Saved poll {poll}: Audit log database" and "kept in" not in err
    assert stored(ref_server, poll) == {**before, "title": "Audit log database"}


def test_a_save_answered_500_that_did_nothing_says_not_saved_and_keeps_the_file(capsys, fault_proxy, ref_server, poll, editor):
    before = stored(ref_server, poll)
    editor({"set": {"title": "Audit log database"}})
    fault_proxy.inject("html-500", methods={"PUT"})  # answered without reaching the function
    code, out, err = run(capsys, "edit", poll, "--yes", *conn_via(fault_proxy))
    assert (code, out) == (6, "") and stored(ref_server, poll) == before
    assert "not saved" in err and "may or may not" not in err and "try again" in err
    kept = Path(err.split("kept in ")[1].split(".json")[0] + ".json")
    assert json.loads(kept.read_text())["title"] == "Audit log database"


def conn_via(proxy) -> list[str]:
    return ["--endpoint", proxy.jira_endpoint, "--token", TOKEN, "--content", CONTENT]
