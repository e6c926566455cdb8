"""The command line, end to end: in-process against the reference server over loopback, and as
subprocesses for exit codes and stderr."""

from __future__ import annotations

import gc
import io
import json
import os
import re
import signal
import subprocess
import sys
import types
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from pollstui import __version__, paths
from pollstui.cli import main
from pollstui.profiles import ProfileStore
from pollstui.text import cell_width
from tests.example import STARS_ID, STARS_TITLE

ISSUE = "PLAT-254604"
MISSING_ID = "00000000-0000-4000-8000-000000000000"


# --- helpers ---------------------------------------------------------------------------------


def conn(server, content: str = ISSUE, token: str | None = None) -> list[str]:
    return ["--endpoint", server.jira_endpoint, "--token", token or server.token, "--content", content]


def raw_get(server, **params: str) -> bytes:
    """What the server sends, fetched without pollstui."""
    query = urlencode({"token": server.token, "type": "polls", "workspace": "PLAT", "content": ISSUE, **params})
    with urllib.request.urlopen(f"{server.jira_endpoint}?{query}") as response:
        return response.read()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """``python -m pollstui …`` in a subprocess (stdin is not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "pollstui", *argv],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "POLLSTUI_DEBUG": ""},
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("pollstui: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def poll_on(server, content: str, title: str) -> dict:
    return next(p for p in server.store.list_polls("jira", content.split("-")[0], content, "") if p["title"] == title)


class FakeStdin(io.StringIO):
    def isatty(self) -> bool:
        return True


# --- basics ----------------------------------------------------------------------------------


def test_version_and_help(capsys):
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"pollstui {__version__}")
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "list" in out and "profile" in out and "POLLS_TOKEN" in out


@pytest.mark.parametrize(
    "argv",
    [["bogus"], ["list", "--nope"], ["create"], ["serve", "--port", "99999"], ["profile"], ["get"]],
    ids=["unknown-command", "unknown-option", "create-without-source", "bad-port", "profile-without-action", "get-without-id"],
)
def test_usage_errors_are_one_line_exit_2(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    one_error_line(err)


def test_info_lists_every_location(capsys):
    ProfileStore().load().save()
    code, out, _ = run(capsys, "info")
    assert code == 0
    for label, path in paths.all_locations().items():
        line = next(line for line in out.splitlines() if line.startswith(label))
        assert str(path) in line
        assert ("(exists)" in line) == path.exists()
    assert "config file" in out and "(exists)" in out


def test_info_json_names_every_file_it_may_write(capsys):
    ProfileStore().load().save()
    code, out, _ = run(capsys, "info", "--json")
    data = json.loads(out)
    assert code == 0 and data["version"] == __version__
    files = {entry["what"]: entry for entry in data["files"]}
    assert files["config file"] == {"what": "config file", "path": str(paths.config_file()), "exists": True}
    assert files["server database"]["path"] == str(paths.server_db()) and not files["server database"]["exists"]
    assert {entry["path"] for entry in data["files"]} >= {str(paths.demo_db()), str(paths.journal_file()), str(paths.log_file())}


def test_not_configured_tells_how_to_set_up(capsys):
    code, out, err = run(capsys, "list")
    assert code == 2
    line = one_error_line(err)
    assert "pollstui profile add" in line and "pollstui demo" in line


def test_missing_content_is_a_usage_error(capsys, ref_server):
    code, _, err = run(capsys, "list", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    assert code == 2
    assert "--content" in one_error_line(err)


def test_keyboard_interrupt_exits_130_quietly(capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr("pollstui.cli.server_commands.cmd_info", interrupted)
    code, out, err = run(capsys, "info")
    assert (code, out, err) == (130, "", "")


# --- list and get ----------------------------------------------------------------------------


@pytest.fixture
def terminal(capsys, monkeypatch):
    """stdout is a terminal (tables fit its width) while capsys captures it."""
    monkeypatch.setattr("pollstui.cli.common.stdout_is_tty", lambda: True)


def test_list_table(capsys, terminal, ref_server, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    code, out, err = run(capsys, "list", *conn(ref_server))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "OPTIONS", "ENDS"]
    stars = next(line for line in lines if line.startswith(STARS_ID))
    assert STARS_TITLE in stars and " 5 " in stars
    assert any(line.endswith("30 Jun 2031") for line in lines)  # the end as people say it


def test_list_results_and_titles_fit_the_terminal(capsys, terminal, ref_server, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "list", "--results", *conn(ref_server, "PLAT-254611"))
    assert code == 0
    lines = out.splitlines()
    assert "VOTES" in lines[0]
    assert all(cell_width(line) <= 80 for line in lines), out
    assert any("…" in line for line in lines)  # the 160-character title was cut
    poll_id = poll_on(ref_server, "PLAT-254611", "Preferred on-call rotation length")["id"]
    total = ref_server.store.results(poll_id)
    row = next(line for line in lines if line.startswith(poll_id))
    assert row.split()[-2] == str(total["totalVotes"])


def test_list_empty(capsys, terminal, ref_server):
    code, out, _ = run(capsys, "list", *conn(ref_server, "PLAT-1"))
    assert code == 0 and "No polls on PLAT-1" in out


@pytest.mark.parametrize("results", [False, True])
def test_list_json_is_the_servers_bytes(capsysbinary, ref_server, results):
    extra = ["--results"] if results else []
    assert main(["list", "--json", *extra, *conn(ref_server)]) == 0
    expected = raw_get(ref_server, **({"expand": "results"} if results else {}))
    assert capsysbinary.readouterr().out == expected


def test_get_json_is_the_poll_the_server_sent(capsysbinary, ref_server):
    assert main(["get", STARS_ID, "--json", "--results", *conn(ref_server)]) == 0
    sent = json.loads(raw_get(ref_server, pollId=STARS_ID, expand="results"))
    assert isinstance(sent, list)  # the reference server answers as the docs read: an array
    assert json.loads(capsysbinary.readouterr().out) == sent[0]  # the poll, out of its array


def test_get_readable_with_results(capsys, ref_server):
    code, out, _ = run(capsys, "get", STARS_ID, "--results", *conn(ref_server))
    assert code == 0
    assert out.startswith(f"{STARS_TITLE}\n")
    assert "Simple scoring from 1 to 5 stars" in out
    results = ref_server.store.results(STARS_ID)
    total = results["totalVotes"]
    option_lines = [line for line in out.splitlines() if re.match(r"^\s+\d+\. ", line)]
    assert [line.split()[1] for line in option_lines] == ["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]
    for line, item in zip(option_lines, results["options"]):
        share = 100.0 * item["votes"] / total
        assert f"{item['votes']} vote" in line and f"{share:.1f}%" in line
    assert f"Total: {total} votes" in out
    for words in ("voters pick one option", "results are always public", "no end date", "no comments"):
        assert words in out


def test_get_shows_unknown_settings_and_fields(capsys, ref_server):
    poll = poll_on(ref_server, "PLAT-254630", "Database for the new audit log 🗄️")
    code, out, _ = run(capsys, "get", poll["id"], *conn(ref_server, "PLAT-254630"))
    assert code == 0
    assert "voters may pick several options" in out and "results are shown after voting" in out
    assert 'anonymousMode = "strict"' in out
    assert "Other fields (kept as they are): labels, x-origin" in out


def test_get_missing_poll_is_exit_4(capsys, ref_server):
    code, out, err = run(capsys, "get", MISSING_ID, *conn(ref_server))
    assert code == 4 and out == ""
    assert "404" in one_error_line(err)


# --- create, update, delete ------------------------------------------------------------------


def test_create_from_template(capsys, ref_server):
    code, out, _ = run(capsys, "create", "--template", "stars", "--title", "Rate the demo", *conn(ref_server, "PLAT-9"))
    assert code == 0
    poll_id = out.strip()
    stored = ref_server.store.get_poll("jira", "PLAT", "PLAT-9", "", poll_id)
    assert stored["title"] == "Rate the demo" and len(stored["options"]) == 5


def test_create_from_file_and_stdin(capsys, ref_server, tmp_path, monkeypatch):
    body = {"title": "From a file", "options": [{"id": "a", "title": "A", "order": 0}], "x-extra": {"keep": [1]}}
    path = tmp_path / "poll.json"
    path.write_text(json.dumps(body))
    code, out, _ = run(capsys, "create", "--file", str(path), "--description", "desc", "--json", *conn(ref_server, "PLAT-9"))
    assert code == 0
    created = json.loads(out)
    assert created["x-extra"] == {"keep": [1]} and created["description"] == "desc"
    assert ref_server.store.get_poll("jira", "PLAT", "PLAT-9", "", created["id"])["title"] == "From a file"

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps({"options": []})))
    code, out, _ = run(capsys, "create", "--file", "-", "--title", "From stdin", *conn(ref_server, "PLAT-9"))
    assert code == 0
    assert ref_server.store.get_poll("jira", "PLAT", "PLAT-9", "", out.strip())["title"] == "From stdin"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"options": []}', "needs a title"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "one JSON object"),
    ],
)
def test_create_bad_input_is_exit_2(capsys, ref_server, tmp_path, content, message):
    path = tmp_path / "poll.json"
    path.write_text(content)
    code, _, err = run(capsys, "create", "--file", str(path), *conn(ref_server))
    assert code == 2
    assert message in one_error_line(err)


def test_create_missing_file_is_exit_2(capsys, ref_server, tmp_path):
    code, _, err = run(capsys, "create", "--file", str(tmp_path / "nope.json"), *conn(ref_server))
    assert code == 2 and "Cannot read" in one_error_line(err)


def test_create_unknown_template_is_exit_2(capsys, ref_server):
    code, _, err = run(capsys, "create", "--template", "nope", "--title", "T", *conn(ref_server))
    assert code == 2 and "yes-no" in one_error_line(err)


def test_invalid_poll_refused_by_server_is_exit_5(capsys, ref_server, tmp_path):
    path = tmp_path / "poll.json"
    path.write_text(json.dumps({"title": "Bad", "options": "not a list"}))
    code, _, err = run(capsys, "create", "--file", str(path), *conn(ref_server))
    assert code == 5
    assert "400" in one_error_line(err)


def test_update_title_keeps_unknown_fields(capsys, ref_server):
    extra = {
        "title": "Old title",
        "description": "d",
        "options": [{"id": "1", "title": "One", "order": 0, "colour": "red"}],
        "settings": {"resultsVisibility": "onFullMoon", "futureSwitch": {"a": [1, None]}},
        "labels": ["x", "y"],
        "nested": {"deep": {"deeper": True}},
    }
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", extra)["id"]
    before = ref_server.store.get_poll("jira", "PLAT", "PLAT-77", "", poll_id)
    code, out, _ = run(capsys, "update", poll_id, "--title", "New title", *conn(ref_server, "PLAT-77"))
    assert code == 0 and "New title" in out
    after = ref_server.store.get_poll("jira", "PLAT", "PLAT-77", "", poll_id)
    assert after == {**before, "title": "New title"}
    assert list(after) == list(before)  # key order too


def test_update_description_of_seeded_unknown_fields_poll(capsys, ref_server):
    poll = poll_on(ref_server, "PLAT-254630", "Database for the new audit log 🗄️")
    code, _, _ = run(capsys, "update", poll["id"], "--description", "changed", *conn(ref_server, "PLAT-254630"))
    assert code == 0
    assert ref_server.store.get_poll("jira", "PLAT", "PLAT-254630", "", poll["id"]) == {**poll, "description": "changed"}


def test_update_from_file_replaces_the_poll(capsys, ref_server, tmp_path):
    body = {"id": "ignored", "title": "Replaced", "options": [{"id": "9", "title": "Nine", "order": 0}], "z": 1}
    path = tmp_path / "poll.json"
    path.write_text(json.dumps(body))
    code, _, _ = run(capsys, "update", STARS_ID, "--file", str(path), *conn(ref_server))
    assert code == 0
    assert ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID) == {**body, "id": STARS_ID}


@pytest.mark.parametrize(
    "argv",
    [["update", STARS_ID], ["update", STARS_ID, "--title", " "], ["update", STARS_ID, "--file", "x", "--title", "t"]],
    ids=["nothing", "empty-title", "file-and-title"],
)
def test_update_usage_errors(capsys, ref_server, argv):
    code, _, err = run(capsys, *argv, *conn(ref_server))
    assert code == 2
    one_error_line(err)


def test_update_missing_poll_is_exit_4(capsys, ref_server):
    code, _, err = run(capsys, "update", MISSING_ID, "--title", "x", *conn(ref_server))
    assert code == 4
    one_error_line(err)


def test_delete_with_yes(capsys, ref_server):
    code, out, _ = run(capsys, "delete", STARS_ID, "--yes", *conn(ref_server))
    assert code == 0 and STARS_ID in out
    assert ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID) is None


def test_delete_refuses_without_yes_when_stdin_is_not_a_terminal(capsys, ref_server):
    code, out, err = run(capsys, "delete", STARS_ID, *conn(ref_server))
    assert code == 2 and out == ""
    assert "--yes" in one_error_line(err)
    assert ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID) is not None


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("\n", False), ("no\n", False)])
def test_delete_asks_on_a_terminal_naming_the_poll(capsys, ref_server, monkeypatch, answer, deleted):
    monkeypatch.setattr(sys, "stdin", FakeStdin(answer))
    code, _, err = run(capsys, "delete", STARS_ID, *conn(ref_server))
    assert STARS_TITLE in err  # the prompt names the poll
    assert code == (0 if deleted else 8)  # declined: its own exit code
    assert (ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID) is None) == deleted


def test_delete_missing_poll_is_exit_4(capsys, ref_server):
    code, _, err = run(capsys, "delete", MISSING_ID, "--yes", *conn(ref_server))
    assert code == 4
    one_error_line(err)


def test_read_only_refuses_writes_with_exit_3(capsys, ref_server):
    for argv in (
        ["create", "--template", "yes-no", "--title", "T"],
        ["update", STARS_ID, "--title", "T"],
        ["delete", STARS_ID, "--yes"],
    ):
        code, _, err = run(capsys, *argv, "--read-only", *conn(ref_server))
        assert code == 3
        assert "read-only" in one_error_line(err)
    assert ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID)["title"].startswith("Stars")


# --- errors never show the token ---------------------------------------------------------------


WRONG = "wrong-token-5e1f7a9b33"


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["list"], 3),
        (["get", STARS_ID], 3),
        (["create", "--template", "yes-no", "--title", "T"], 3),
        (["update", STARS_ID, "--title", "T"], 3),
        (["delete", STARS_ID, "--yes"], 3),
    ],
)
def test_wrong_token_is_exit_3_and_never_printed(capsys, ref_server, argv, code):
    got, out, err = run(capsys, *argv, *conn(ref_server, token=WRONG))
    assert got == code
    assert "403" in one_error_line(err)
    assert WRONG not in out + err and ref_server.token not in out + err


def test_failing_commands_never_print_the_token(capsys, ref_server, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x", "options": 3}))
    url = f"{ref_server.jira_endpoint}?token={ref_server.token}&type=polls&workspace=PLAT&content={ISSUE}"
    cases = [
        ["get", MISSING_ID, "--url", url],
        ["create", "--file", str(bad), "--url", url],
        ["delete", STARS_ID, "--url", url],
        ["list", "--url", url, "--content", "bad key"],
        ["list", "--url", url.replace("http://127.0.0.1", "http://example.com")],
        ["list", "--endpoint", "ftp://x/" + ref_server.token, "--token", ref_server.token],
        ["profile", "add", "bad name", "--url", url],
    ]
    for argv in cases:
        code, out, err = run(capsys, *argv)
        assert code != 0, argv
        one_error_line(err)
        assert ref_server.token not in out + err, argv


def test_refused_connection_is_exit_6(capsys):
    code, _, err = run(capsys, "list", "--endpoint", "http://127.0.0.1:1/x1/jira", "--token", "refused-token-42", "--content", ISSUE)
    assert code == 6
    assert "could not reach" in one_error_line(err)
    assert "refused-token-42" not in err


# --- subprocesses: real exit codes and stderr --------------------------------------------------


def test_subprocess_exit_codes_and_stderr(ref_server, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "x", "options": "no"}))
    good = conn(ref_server)
    cases = [
        (["list", *good], 0),
        (["bogus"], 2),
        (["list", *conn(ref_server, token=WRONG)], 3),
        (["get", MISSING_ID, *good], 4),
        (["create", "--file", str(bad), *good], 5),
        (["delete", STARS_ID, *good], 2),  # stdin is not a terminal, no --yes
    ]
    for argv, expected in cases:
        result = cli(*argv)
        assert result.returncode == expected, (argv, result.stderr)
        if expected:
            one_error_line(result.stderr)
        for secret in (ref_server.token, WRONG):
            assert secret not in result.stdout + result.stderr


def test_subprocess_refused_port_is_exit_6():
    result = cli("list", "--url", f"http://127.0.0.1:1/x1/jira?token=sub-secret-77&type=polls&content={ISSUE}")
    assert result.returncode == 6
    one_error_line(result.stderr)
    assert "sub-secret-77" not in result.stderr


#: A sitecustomize for a subprocess: names under .slow.test take 30 s to look up (DNS that hangs).
SLOW_DNS = """
import socket, time
_lookup = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if (host.decode() if isinstance(host, bytes) else str(host)).endswith(".slow.test"):
        time.sleep(30)
    return _lookup(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo
"""


@pytest.mark.parametrize("command", [["list", "--json"], ["list", "--json", "--debug"], ["overview", "PLAT-1"]])
def test_a_name_lookup_that_hangs_ends_at_pollstui_timeout(tmp_path, command):
    """getaddrinfo has no time limit: the command still ends at POLLSTUI_TIMEOUT, exit 6 (the
    lookup left in its thread holds neither the request nor the exit), on the first request's
    path, the client's (--debug) and the overview's."""
    (tmp_path / "sitecustomize.py").write_text(SLOW_DNS)
    endpoint = ["--endpoint", "https://polls.slow.test/x1/jira", "--token", "dns-secret-1"]
    result = subprocess.run(
        [sys.executable, "-m", "pollstui", *command, *endpoint, *([] if "overview" in command else ["--content", ISSUE])],
        capture_output=True, text=True, timeout=20,
        env={**os.environ, "POLLSTUI_DEBUG": "", "POLLSTUI_TIMEOUT": "1",
             "PYTHONPATH": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 6, result.stderr
    assert "did not answer in time" in result.stderr and "dns-secret-1" not in result.stderr


def test_subprocess_list_json_bytes(ref_server):
    result = subprocess.run(
        [sys.executable, "-m", "pollstui", "list", "--json", *conn(ref_server)], capture_output=True, timeout=60
    )
    assert result.returncode == 0
    assert result.stdout == raw_get(ref_server)


def test_subprocess_create_from_stdin(ref_server):
    result = cli("create", "--file", "-", *conn(ref_server, "PLAT-5"), stdin=json.dumps({"title": "Piped", "options": []}))
    assert result.returncode == 0, result.stderr
    assert ref_server.store.get_poll("jira", "PLAT", "PLAT-5", "", result.stdout.strip())["title"] == "Piped"


# --- profiles ----------------------------------------------------------------------------------


def test_profile_lifecycle(capsys, terminal, ref_server):
    url = f"{ref_server.jira_endpoint}?token={ref_server.token}&type=polls&workspace=PLAT&content={ISSUE}"
    code, out, _ = run(capsys, "profile", "add", "local", "--url", url)
    assert code == 0 and "default" in out
    assert ProfileStore().load().get("local").recents[0].content == ISSUE

    # the URL's content is remembered, so `list` needs nothing else
    code, out, _ = run(capsys, "list")
    assert code == 0 and STARS_ID in out

    code, _, _ = run(capsys, "profile", "add", "conf", "--endpoint", ref_server.confluence_endpoint,
                     "--token", ref_server.token, "--product", "confluence", "--read-only")  # fmt: skip
    assert code == 0
    code, out, err = run(capsys, "profile", "list")
    assert code == 0
    assert ref_server.token not in out + err
    lines = out.splitlines()
    assert lines[0].startswith("* local") and lines[1].startswith("  conf") and "read-only" in lines[1]
    assert ref_server.token[:4] + "…" in lines[0]

    code, out, _ = run(capsys, "profile", "show", "conf")
    assert code == 0 and "confluence" in out and ref_server.token not in out
    code, out, _ = run(capsys, "profile", "show")
    assert code == 0 and "local  (default)" in out and ISSUE in out

    assert run(capsys, "profile", "use", "conf")[0] == 0
    assert ProfileStore().load().default == "conf"
    code, out, _ = run(capsys, "--profile", "local", "profile", "list")
    assert code == 0 and out.startswith("  local")

    assert run(capsys, "profile", "remove", "conf")[0] == 0
    store = ProfileStore().load()
    assert list(store.profiles) == ["local"] and store.default == "local"


def test_profile_errors(capsys, ref_server):
    code, _, err = run(capsys, "profile", "use", "nope")
    assert code == 2 and "no profiles yet" in one_error_line(err)
    code, _, err = run(capsys, "profile", "add", "x", "--endpoint", ref_server.jira_endpoint)
    assert code == 2 and "--token" in one_error_line(err)
    code, _, err = run(capsys, "profile", "add", "x")
    assert code == 2
    one_error_line(err)


def test_commands_remember_the_last_content(capsys, ref_server):
    assert run(capsys, "profile", "add", "local", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)[0] == 0
    code, _, err = run(capsys, "list")
    assert code == 2 and "--content" in err
    assert run(capsys, "list", "--content", "PLAT-254611")[0] == 0
    code, out, _ = run(capsys, "list")
    assert code == 0 and "Preferred on-call" in out


def test_profile_flag_and_env(capsys, ref_server, monkeypatch):
    run(capsys, "profile", "add", "local", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    run(capsys, "profile", "add", "broken", "--endpoint", ref_server.jira_endpoint, "--token", WRONG)
    assert run(capsys, "list", "--content", ISSUE)[0] == 0
    assert run(capsys, "list", "--profile", "broken", "--content", ISSUE)[0] == 3
    monkeypatch.setenv("POLLS_PROFILE", "broken")
    assert run(capsys, "list", "--content", ISSUE)[0] == 3
    monkeypatch.setenv("POLLS_TOKEN", ref_server.token)
    assert run(capsys, "list", "--content", ISSUE)[0] == 0  # env token over the profile's


def test_corrupt_profile_file_is_exit_2_and_kept(capsys):
    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_text("[profiles.x\n")
    os.chmod(path, 0o600)
    for argv in (["profile", "list"], ["list"], ["profile", "add", "y", "--endpoint", "https://a.example/x1", "--token", "abcdefgh"]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert str(path) in one_error_line(err)
    assert path.read_text() == "[profiles.x\n"


def test_loose_permissions_warned_on_stderr(capsys, ref_server):
    run(capsys, "profile", "add", "local", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    os.chmod(paths.config_file(), 0o644)
    code, out, err = run(capsys, "profile", "list")
    assert code == 0 and "pollstui: warning:" in err and "0600" in err
    assert oct(os.stat(paths.config_file()).st_mode & 0o777) == "0o600"


# --- TUI, demo, serve (the TUI replaced by a stand-in) ------------------------------------------


@pytest.fixture
def fake_tui(monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")  # no terminal here
    calls: list[tuple] = []

    def run_tui(connection, profile_store=None, read_only=False, prefetch=None):
        prefetched.append(prefetch.ref if prefetch is not None else None)
        collector.append(gc.isenabled())
        polls = None
        if connection is not None and connection.ref is not None:
            query = urlencode({"token": connection.token, "type": "polls", **connection.ref.query()})
            with urllib.request.urlopen(f"{connection.endpoint}?{query}") as response:
                polls = json.loads(response.read())
        calls.append((connection, profile_store, polls))
        profile = profile_store.get(connection.profile_name) if profile_store and connection and connection.profile_name else None
        if profile is not None and profile.site and connection.ref is not None:  # the item's page, while the server runs
            from pollstui.site import item_url

            with urllib.request.urlopen(item_url(profile.site, connection.ref)) as response:
                pages.append(response.read().decode())
        return 0

    prefetched: list = []
    collector: list[bool] = []
    pages: list[str] = []
    module = types.ModuleType("pollstui.tui.app")
    module.run_tui = run_tui
    module.prefetched = prefetched
    module.collector = collector
    module.pages = pages
    monkeypatch.setitem(sys.modules, "pollstui.tui.app", module)
    return calls


def test_no_command_opens_the_tui(capsys, ref_server, fake_tui):
    assert main(["--endpoint", ref_server.jira_endpoint, "--token", ref_server.token, "--content", ISSUE, "--read-only"]) == 0
    connection, store, polls = fake_tui[-1]
    assert connection.read_only and connection.ref.content == ISSUE and isinstance(store, ProfileStore)
    assert polls[0]["id"] == STARS_ID
    assert sys.modules["pollstui.tui.app"].prefetched == [connection.ref]  # its first request already sent
    # The garbage collector is paused while the app starts (the app resumes it after its first
    # frame: pollstui.tui.heap), and is running again once the app has ended, whatever happened.
    assert sys.modules["pollstui.tui.app"].collector == [False] and gc.isenabled()


def _outcome(parse, argv: list[str], capsys) -> tuple:  # noqa: ANN001
    from pollstui.cli.parser import ArgumentError

    try:
        read = vars(parse(argv))
        func = read["func"]  # each parser has its own stand-in for a command's function
        read["func"] = (func.module, func.name) if hasattr(func, "module") else func
        return ("read", read)
    except ArgumentError as exc:
        return ("refused", exc.prog, str(exc))
    except SystemExit as exc:  # --help, --version
        return ("exit", exc.code, capsys.readouterr().out)


@pytest.mark.parametrize(
    "argv",
    [
        [],  # the app, from the environment or the default profile
        ["--profile", "list", "--read-only", "--insecure"],  # a profile named like a command
        ["--end", "http://127.0.0.1:1/x1/jira", "--tok=t-123456789", "--cont", "PLAT-1"],  # abbreviated
        ["--content", "PLAT-1", "list", "--json"],  # a command after the connection options
        ["--help"], ["--he"], ["-V"],
        ["lsit"], ["--product", "jura"], ["--endpoint"], ["--debug"],  # mistakes
    ],
)  # fmt: skip
def test_the_command_line_is_read_as_the_whole_parser_reads_it(argv, capsys):
    """main reads the app's own options with a parser of those alone (quicker to build); whatever
    the command line, what it reads, refuses or prints is what the whole parser would."""
    from pollstui.cli.parser import build_parser, parse_args

    assert _outcome(parse_args, argv, capsys) == _outcome(lambda a: build_parser().parse_args(a), argv, capsys)


@pytest.mark.parametrize("argv", [[], ["demo"]])
def test_without_a_terminal_the_app_says_so_and_exits_2(argv, fake_tui, monkeypatch, capsys):
    """`pollstui < /dev/null` (or under cron) spun at 100 % of a core: it needs a terminal."""
    monkeypatch.delenv("TEXTUAL_DRIVER")
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and fake_tui == []
    assert "needs a terminal, and stdin and stdout are not one" in one_error_line(err) and "`pollstui list`" in err


def test_without_a_terminal_the_real_app_exits_at_once(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "pollstui"], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"},
    )
    assert result.returncode == 2, result.stderr
    assert "needs a terminal" in one_error_line(result.stderr)


def test_no_command_without_configuration_opens_setup(capsys, fake_tui):
    assert main([]) == 0
    connection, store, _ = fake_tui[-1]
    assert connection is None and isinstance(store, ProfileStore)
    assert sys.modules["pollstui.tui.app"].prefetched == [None]  # nothing to fetch before the setup


def test_no_command_with_default_profile_and_no_content(capsys, ref_server, fake_tui):
    run(capsys, "profile", "add", "local", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    assert main([]) == 0
    connection, _, _ = fake_tui[-1]
    assert connection.profile_name == "local" and connection.ref is None


def test_demo_serves_seeded_polls_and_stops(capsys, fake_tui):
    assert main(["demo"]) == 0
    connection, store, polls = fake_tui[-1]
    assert (connection.profile_name, connection.product) == ("demo", "jira")
    assert connection.ref.content == ISSUE and polls
    # a throwaway profile store: recents work in the demo, the user's file is never written
    assert store.path != paths.config_file() and not store.path.exists()
    assert store.get("demo").recents[0] == connection.ref
    # the demo server is the profile's site: `o` and present mode's QR code point at its pages
    assert store.get("demo").site.startswith("http://127.0.0.1:")
    assert polls[0]["title"] in sys.modules["pollstui.tui.app"].pages[-1]
    assert {r.content for r in store.get("demo").recents} >= {ISSUE, "PLAT-254611", "MOBI-1207"}
    assert store.get("demo").pinned == store.get("demo").recents  # All items (g) shows every seeded poll
    assert not paths.config_file().exists()
    with pytest.raises(urllib.error.URLError):  # stopped on exit
        urllib.request.urlopen(connection.endpoint, timeout=2)
    assert paths.demo_db().exists()


def test_demo_with_db_keeps_edits(capsys, fake_tui, tmp_path):
    db = tmp_path / "mine.sqlite3"
    assert main(["demo", "--db", str(db)]) == 0
    assert main(["demo", "--db", str(db)]) == 0
    assert len(fake_tui[0][2]) == len(fake_tui[1][2])


def test_serve_calls_the_server(capsys, monkeypatch, tmp_path):
    seen = {}

    def fake_serve(store, token, host, port, seed=False, seed_items=0, out=None, voters=None):
        seen.update(token=token, host=host, port=port, seed=seed, seed_items=seed_items, path=store.path, voters=voters)

    monkeypatch.setattr("pollstui.server.serve_forever", fake_serve)
    code, _, err = run(capsys, "serve", "--seed", "--port", "9999")
    assert code == 0 and err == ""
    assert seen["host"] == "127.0.0.1" and seen["port"] == 9999 and seen["seed"] is True and seen["voters"] is None
    assert len(seen["token"]) >= 20
    assert Path(seen["path"]) == paths.data_dir() / "server.sqlite3"
    code, _, err = run(capsys, "serve", "--host", "0.0.0.0", "--token", "given-token", "--db", str(tmp_path / "s.db"))
    assert code == 0 and "pollstui: warning:" in err and "0.0.0.0" in err
    assert seen["token"] == "given-token" and seen["path"] == str(tmp_path / "s.db")


def test_serve_port_in_use_is_exit_6(ref_server):
    port = ref_server.base_url.rsplit(":", 1)[1]
    result = cli("serve", "--port", port)
    assert result.returncode == 6
    assert "Cannot listen" in one_error_line(result.stderr)


def test_serve_for_real_then_ctrl_c(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "pollstui", "serve", "--port", "0", "--seed", "--token", "serve-token-123",
         "--db", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        endpoint = None
        for line in process.stdout:
            if line.strip().startswith("jira") and endpoint is None:
                endpoint = line.split()[1]
            if "Ctrl-C" in line:
                break
        assert endpoint and endpoint.endswith("/x1/jira")
        result = cli("list", "--json", "--endpoint", endpoint, "--token", "serve-token-123", "--content", ISSUE)
        assert result.returncode == 0 and STARS_ID in result.stdout
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err


# --- update and delete go through the session's save and delete (as the TUI's do) ---------------


def _between_read_and_write(monkeypatch, change) -> None:
    """Run ``change()`` (a change on the server by someone else) after the command read the poll
    and before its write: the race a real server cannot be made to lose."""
    from pollstui.session.session import Session

    save = Session.save

    async def late(self, *args, **kwargs):
        change()
        return await save(self, *args, **kwargs)

    monkeypatch.setattr(Session, "save", late)


def test_update_from_file_names_the_options_whose_votes_stop_counting(capsys, ref_server, tmp_path):
    path = tmp_path / "poll.json"
    path.write_text(json.dumps({"title": "Fewer stars", "options": [{"id": "1", "title": "⭐", "order": 0}]}))
    code, out, err = run(capsys, "update", STARS_ID, "--file", str(path), *conn(ref_server))
    assert code == 0 and "Fewer stars" in out  # a script is not stopped, as before
    assert "“⭐⭐⭐⭐⭐”" in err and "votes will stop counting" in err  # but told what it cost
    assert [o["title"] for o in ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID)["options"]] == ["⭐"]


def test_update_from_a_file_that_is_not_a_poll_sends_nothing(capsys, ref_server, tmp_path):
    path = tmp_path / "poll.json"
    path.write_text(json.dumps({"title": "T", "options": [{"id": "1", "title": "One", "order": "first"}]}))
    code, _, err = run(capsys, "update", STARS_ID, "--file", str(path), *conn(ref_server))
    assert code == 2 and "options.0.order" in one_error_line(err) and "nothing was sent" in err
    assert ref_server.store.get_poll("jira", "PLAT", ISSUE, "", STARS_ID)["title"] == STARS_TITLE


def test_update_of_a_poll_deleted_meanwhile_creates_nothing(capsys, ref_server, monkeypatch):
    store = ref_server.store
    before = len(store.list_polls("jira", "PLAT", ISSUE, ""))
    _between_read_and_write(monkeypatch, lambda: store.delete_poll("jira", "PLAT", ISSUE, "", STARS_ID))
    code, _, err = run(capsys, "update", STARS_ID, "--title", "Mine", *conn(ref_server))
    line = one_error_line(err)
    assert code == 4 and "deleted" in line and "not updated" in line and "pollstui list" in line
    assert "refresh the list" not in line  # the TUI's words
    assert len(store.list_polls("jira", "PLAT", ISSUE, "")) == before - 1  # not created again


def test_cli_changes_are_not_in_the_tuis_undo_journal(capsys, ref_server):
    from pollstui.session.journal import Journal

    assert run(capsys, "update", STARS_ID, "--title", "Renamed", *conn(ref_server))[0] == 0
    assert run(capsys, "delete", STARS_ID, "--yes", *conn(ref_server))[0] == 0
    assert Journal.default().last() is None


def test_delete_asks_saying_it_cannot_be_undone(capsys, ref_server, monkeypatch):
    monkeypatch.setattr(sys, "stdin", FakeStdin("n\n"))
    code, _, err = run(capsys, "delete", STARS_ID, *conn(ref_server))
    assert code == 8 and "cannot be undone" in err and "[y/N]" in err and "press u" not in err
    assert re.search(r"Its \d+ votes? will be lost", err)  # counted, as the TUI's question does
