"""Text from a server cannot drive the terminal through the CLI: every output path, every format.

A poll written to set the clipboard, rename the window and clear the screen (tests/hostile.py)
is stored on the real reference server; each command's output must show it (as placeholders)
without a single control character or bidi override. ``--json`` keeps the exact value, with the
dangerous characters escaped as JSON allows.
"""

from __future__ import annotations

import json

import pytest

from pollstui.cli import main
from tests.conftest import TOKEN
from tests.faults import HOSTILE_MESSAGE, FaultProxy, fault_proxy  # noqa: F401 (a fixture)
from tests.hostile import HOSTILE_POLL, TITLE, add_hostile_poll, controls_in

ISSUE = "PLAT-254604"


def conn(server) -> list[str]:
    return ["--endpoint", server.jira_endpoint, "--token", server.token, "--content", ISSUE]


@pytest.fixture
def hostile(ref_server):
    return ref_server, add_hostile_poll(ref_server.store, ISSUE)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--results"],
        ["get", "{id}"],
        ["get", "{id}", "--results"],
        ["results", "{id}"],
        ["results", "{id}", "--format", "md"],
        ["results", "{id}", "--format", "csv"],
    ],
    ids=lambda argv: " ".join(argv).replace("{id}", "ID"),
)
def test_every_text_format_shows_a_hostile_poll_inert(hostile, capsys, monkeypatch, argv):
    monkeypatch.setenv("COLUMNS", "200")  # room for the whole title, whatever runs the test
    server, poll_id = hostile
    assert main([a.replace("{id}", poll_id) for a in argv] + conn(server)) == 0
    out, err = capsys.readouterr()
    assert controls_in(out + err) == [], out
    shown = out.replace("\\", "")  # (Markdown escapes the brackets)
    assert "x␛]52;c;cHduZWQ=␛" in shown or "yes ␛]2;opt␇" in shown  # shown as placeholders, not dropped


def test_get_shows_the_description_options_and_unknown_settings_inert(hostile, capsys):
    server, poll_id = hostile
    assert main(["get", poll_id, "--results", *conn(server)]) == 0
    out = capsys.readouterr().out
    assert "line one\nline two ␛[31mred" in out  # the description keeps its lines
    assert "⟨U+009B⟩2J" in out and "⟨U+2066⟩isolated" in out
    assert "yes ␛]2;opt␇" in out and "no ⟨U+009D⟩0;c1⟨U+009C⟩" in out
    assert "2031-01-01␛[2J" in out
    assert "x␛[5mblink" in out


def test_results_json_keeps_the_exact_title_with_the_dangerous_characters_escaped(hostile, capsys):
    server, poll_id = hostile
    assert main(["results", poll_id, "--format", "json", *conn(server)]) == 0
    out = capsys.readouterr().out
    assert controls_in(out) == []
    data = json.loads(out)
    assert data["title"] == TITLE
    assert [o["title"] for o in data["options"]] == [o["title"] for o in HOSTILE_POLL["options"]]


def test_update_and_import_print_the_servers_titles_inert(ref_server, capsys, tmp_path):
    poll_id = add_hostile_poll(ref_server.store, ISSUE)
    assert main(["update", poll_id, "--description", "calm", *conn(ref_server)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Updated poll {poll_id}: x␛]52") and controls_in(out) == []

    file = tmp_path / "polls.json"
    file.write_text(json.dumps([HOSTILE_POLL]), encoding="utf-8")
    assert main(["import", str(file), *conn(ref_server)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("created ") and "x␛]52" in out and controls_in(out) == []


def test_an_error_quoting_the_server_is_inert(fault_proxy: FaultProxy, capsys):  # noqa: F811
    fault_proxy.inject("hostile")
    code = main(["list", "--endpoint", fault_proxy.jira_endpoint, "--token", TOKEN, "--content", ISSUE])
    out, err = capsys.readouterr()
    assert code == 5 and out == ""
    assert "The server said: bad ␛]52;c;cHduZWQ=␛" in err
    assert controls_in(err, allowed="\n") == [] and err.count("\n") == 1


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["list", "list-json"])
def test_debug_lines_show_a_reason_phrase_that_drives_the_terminal_inert(capsys, json_flag):
    """--debug logs each answer's status line, reason phrase included: one written to rename the
    window, set the clipboard and clear the screen reaches stderr as placeholders."""
    from tests.example import STARS_POLL
    from tests.faults import RawServer

    reason = b"OK \x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J"
    body = json.dumps([STARS_POLL]).encode()
    head = b"HTTP/1.1 200 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (reason, len(body))
    with RawServer(head + body) as server:
        argv = ["list", *json_flag, "--debug", "--endpoint", server.url(), "--token", TOKEN, "--content", ISSUE]
        assert main(argv) == 0
    err = capsys.readouterr().err
    [line] = [line for line in err.splitlines() if line.startswith("pollstui: debug:")]
    assert "200 OK ␛]0;pwned" in line and TOKEN not in line
    assert controls_in(err, allowed="\n") == []


def test_an_import_failure_quoting_the_file_and_server_is_inert(fault_proxy: FaultProxy, capsys, tmp_path):  # noqa: F811
    fault_proxy.inject("hostile", methods={"POST"})
    file = tmp_path / "polls.json"
    file.write_text(json.dumps([HOSTILE_POLL, HOSTILE_POLL]), encoding="utf-8")
    code = main(["import", str(file), "--endpoint", fault_proxy.jira_endpoint, "--token", TOKEN, "--content", ISSUE])
    err = capsys.readouterr().err
    assert code == 5
    assert "#1" in err and "#2" in err  # both polls named as not created
    assert controls_in(err, allowed="\n") == [] and err.count("\n") == 1


def test_delete_asks_about_the_title_inert(hostile, capsys, monkeypatch):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    server, poll_id = hostile
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert main(["delete", poll_id, *conn(server)]) == 8  # declined
    err = capsys.readouterr().err
    assert "x␛]52" in err or "\\x1b]52" in err
    assert controls_in(err, allowed="\n") == []


def test_json_pollstui_writes_itself_escapes_what_would_drive_a_terminal(ref_server, capsys, tmp_path):
    """create/update --json and export print JSON pollstui wrote: the same values, but C1
    controls, DEL and bidi overrides as \\u escapes (C0 controls JSON escapes anyway)."""
    file = tmp_path / "poll.json"
    file.write_text(json.dumps(HOSTILE_POLL), encoding="utf-8")
    assert main(["create", "--file", str(file), "--json", *conn(ref_server)]) == 0
    out = capsys.readouterr().out
    assert controls_in(out) == [] and "\\u009d" in out and "\\u202e" in out
    assert json.loads(out)["title"] == TITLE
    assert main(["export", *conn(ref_server)]) == 0
    out = capsys.readouterr().out
    assert controls_in(out) == []
    assert TITLE in [p["title"] for p in json.loads(out)]


def test_json_passthrough_is_exact_in_a_pipe_and_inert_on_a_terminal(monkeypatch):
    import io

    from pollstui.cli.common import write_raw

    class Stdout(io.TextIOWrapper):
        def __init__(self, tty: bool) -> None:
            super().__init__(io.BytesIO(), encoding="utf-8")
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    data = json.dumps({"title": "x\u009b2J\u202eevil"}, ensure_ascii=False).encode("utf-8")
    for tty in (False, True):
        out = Stdout(tty)
        monkeypatch.setattr("sys.stdout", out)
        write_raw(data)
        written = out.buffer.getvalue()
        assert json.loads(written) == json.loads(data)  # the same JSON value either way
        if tty:
            assert controls_in(written.decode("utf-8"), allowed="\n") == []
        else:
            assert written == data  # a script gets the server's bytes
