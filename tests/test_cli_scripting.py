"""The CLI as scripts and shells use it: help, --json everywhere, plain tables in pipes, --debug,
completion scripts."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pollstui import __version__, paths
from pollstui.cli import build_parser
from tests.test_cli import STARS_ID, conn, run

ROOT = Path(__file__).resolve().parent.parent


def cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m pollstui …`` in a subprocess: stdout is a pipe, stdin is empty."""
    return subprocess.run(
        [sys.executable, "-m", "pollstui", *argv], input="", capture_output=True, text=True, timeout=60,
        env={**os.environ, "POLLSTUI_DEBUG": "", **(env or {})},
    )  # fmt: skip

# --- help ------------------------------------------------------------------------------------


def subcommands(parser, path=()):
    """(path, parser) for every command and profile action."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from subcommands(sub, (*path, name))


def test_version_short_and_long(capsys):
    for flag in ("-V", "--version"):
        code, out, _ = run(capsys, flag)
        assert (code, out.strip()) == (0, f"pollstui {__version__}")


def test_every_command_help_ends_with_examples(capsys):
    seen = 0
    for path, _ in subcommands(build_parser()):
        code, out, _ = run(capsys, *path, "--help")
        assert code == 0
        tail = out.rstrip().split("\n\n")[-1].splitlines()
        assert tail[0] == "examples:", (path, out)
        assert tail[1:] and all(line.startswith("  pollstui ") or "pollstui " in line for line in tail[1:]), path
        seen += 1
    assert seen >= 20  # every command and profile action, not just the top ones


def test_help_footer_names_every_environment_variable(capsys):
    """Every POLLS_*/POLLSTUI_* variable the code reads is in `pollstui --help`."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "pollstui").rglob("*.py"))
    names = set(re.findall(r"[\"'](POLLS(?:TUI)?_[A-Z_]+)[\"']", source))  # as strings: variable names
    names.discard("POLLSTUI_EXIT_AFTER_FIRST_LIST")  # a hook for the start-up benchmark, not for users
    assert {"POLLS_URL", "POLLS_TOKEN", "POLLS_PROFILE", "POLLSTUI_TIMEOUT", "POLLSTUI_DEBUG"} <= names
    _, out, _ = run(capsys, "--help")
    footer = out.split("environment:", 1)[1]
    assert [name for name in sorted(names) if name not in footer] == []
    assert "8 declined" in footer  # the exit codes, the declined one included


# --- --debug -----------------------------------------------------------------------------------


def test_debug_logs_each_request_and_status_with_the_token_masked(ref_server):
    result = cli("get", STARS_ID, "--debug", *conn(ref_server))
    assert result.returncode == 0
    debug = [line for line in result.stderr.splitlines() if line.startswith("pollstui: debug:")]
    assert len(debug) == 1 and "GET" in debug[0] and "200 OK" in debug[0] and "token=***" in debug[0]
    assert ref_server.token not in result.stderr + result.stdout

    missing = cli("get", "no-such-poll", *conn(ref_server), env={"POLLSTUI_DEBUG": "1"})
    assert missing.returncode == 4 and "404" in missing.stderr and ref_server.token not in missing.stderr

    quiet = cli("get", STARS_ID, *conn(ref_server))
    assert "debug" not in quiet.stderr


def test_debug_logs_the_request_of_list_json_too(capsys, ref_server):
    """`list --json` may ask with one standard-library GET (no httpx to load); with --debug the
    request is the client's, so it is logged like every other one."""
    from pollstui.cli import main

    assert main(["list", "--json", "--debug", *conn(ref_server)]) == 0
    out, err = capsys.readouterr()
    debug = [line for line in err.splitlines() if line.startswith("pollstui: debug:")]
    assert len(debug) == 1 and "GET" in debug[0] and "200 OK" in debug[0] and "token=***" in debug[0]
    assert ref_server.token not in err + out and json.loads(out)


def test_debug_in_one_main_call_leaves_the_next_call_quiet(capsys, ref_server):
    """main() called in-process (a script, the tests): the --debug of one call must not log the
    requests of the next, nor write to a stream the first call no longer owns."""
    from pollstui.cli import main

    assert main(["get", STARS_ID, "--debug", *conn(ref_server)]) == 0
    capsys.readouterr()
    assert main(["get", STARS_ID, *conn(ref_server)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and STARS_ID in out


# --- --json --------------------------------------------------------------------------------------


def test_update_and_delete_json(capsys, ref_server):
    code, out, _ = run(capsys, "update", STARS_ID, "--title", "Renamed", "--json", *conn(ref_server))
    poll = json.loads(out)
    assert code == 0 and poll["id"] == STARS_ID and poll["title"] == "Renamed" and poll["options"]
    code, out, _ = run(capsys, "delete", STARS_ID, "--yes", "--json", *conn(ref_server))
    assert code == 0 and json.loads(out) == {"id": STARS_ID, "deleted": True}


def test_import_json_lists_what_was_created_even_when_it_stops(capsys, ref_server, tmp_path):
    polls = [{"title": "First", "options": []}, {"title": "Second", "options": "not a list"}, {"title": "Third"}]
    source = tmp_path / "polls.json"
    source.write_text(json.dumps(polls))
    code, out, err = run(capsys, "import", str(source), "--json", *conn(ref_server, "PLAT-9"))
    created = json.loads(out)
    assert code == 5 and "Second" in err  # the server refused the second poll
    assert [p["title"] for p in created] == ["First"] and created[0]["id"]
    assert ref_server.store.get_poll("jira", "PLAT", "PLAT-9", "", created[0]["id"])["title"] == "First"


def test_profile_list_and_show_json_never_hold_the_token(capsys, ref_server):
    run(capsys, "profile", "add", "local", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    run(capsys, "profile", "add", "wiki", "--endpoint", ref_server.confluence_endpoint, "--token", ref_server.token,
        "--product", "confluence", "--read-only")  # fmt: skip
    code, out, _ = run(capsys, "profile", "list", "--json")
    profiles = json.loads(out)
    assert code == 0 and [p["name"] for p in profiles] == ["local", "wiki"]
    assert profiles[0]["default"] and not profiles[1]["default"] and profiles[1]["readOnly"]
    assert ref_server.token not in out and profiles[0]["token"].startswith(ref_server.token[:4])
    code, out, _ = run(capsys, "profile", "show", "wiki", "--json")
    shown = json.loads(out)
    assert code == 0 and shown == profiles[1] and shown["endpoint"] == ref_server.confluence_endpoint


# --- tables in a pipe ----------------------------------------------------------------------------


def test_list_in_a_pipe_is_tab_separated_with_whole_titles(ref_server):
    long_title = "A very long title " * 12
    ref_server.store.create_poll("jira", "PLAT", "PLAT-77", "", {"title": long_title + "\tend", "options": []})
    result = cli("list", *conn(ref_server, "PLAT-77"), env={"COLUMNS": "40"})
    header, row = result.stdout.splitlines()
    assert header.split("\t") == ["ID", "TITLE", "OPTIONS", "ENDS"]
    cells = row.split("\t")
    assert len(cells) == 4 and cells[1] == " ".join((long_title + " end").split())  # whole, one line, no tab
    bare = cli("list", "--no-headers", "--results", *conn(ref_server, "PLAT-77"))
    assert bare.stdout.splitlines() == [f"{cells[0]}\t{cells[1]}\t0\t0\t—"]


def test_profile_list_in_a_pipe(ref_server):
    cli("profile", "add", "local", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    listed = cli("profile", "list", "--no-headers")
    (line,) = listed.stdout.splitlines()
    assert line.split("\t")[:3] == ["*", "local", "jira"] and ref_server.token not in listed.stdout


def test_empty_list_in_a_pipe_prints_no_lines(ref_server):
    result = cli("list", *conn(ref_server, "PLAT-1"))
    assert result.returncode == 0 and result.stdout == "" and "no polls on PLAT-1" in result.stderr


# --- completion ----------------------------------------------------------------------------------


def completions(script: str, *words: str, bin_dir: Path | None = None, cwd: Path | None = None) -> list[str]:
    """What bash offers after ``pollstui WORDS…`` (the last word is the one being completed);
    ``pollstui`` is the one in ``bin_dir`` when given."""
    program = f"""
source {script}
complete -p pollstui || exit 9
COMP_WORDS=(pollstui {' '.join(shlex.quote(w) if w else '""' for w in words)})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_pollstui
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "PATH": f"{bin_dir or Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=60, env=env, cwd=cwd)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("complete -F _pollstui pollstui")
    return lines[1:]


def test_bash_completion_loads_and_completes(capsys, tmp_path, ref_server):
    code, script, _ = run(capsys, "completion", "bash")
    path = tmp_path / "pollstui.bash"
    path.write_text(script)
    assert code == 0 and subprocess.run(["bash", "-n", str(path)]).returncode == 0
    assert {"list", "edit", "completion", "profile"} <= set(completions(path, ""))
    assert completions(path, "profile", "") == ["add", "list", "use", "remove", "show", "migrate", "items"]
    assert completions(path, "list", "--re") == ["--read-only", "--results"]
    assert completions(path, "results", "X", "--format", "") == ["table", "csv", "md", "json"]
    assert completions(path, "--profile", "x", "ed") == ["edit"]  # an option's value is not a command
    assert completions(path, "completion", "") == ["bash", "zsh", "fish"]
    cli("profile", "add", "work", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    assert completions(path, "list", "--profile", "") == ["work"]  # profile names, asked at completion time


def test_bash_completion_never_runs_a_profile_name(capsys, tmp_path, ref_server):
    """A profiles file with a name that is a command: TAB offers the usable names and runs nothing."""
    _, script, _ = run(capsys, "completion", "bash")
    (tmp_path / "pollstui.bash").write_text(script)
    cli("profile", "add", "work", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    pwned = tmp_path / "pwned"
    with paths.config_file().open("a") as config:
        config.write(f'\n[profiles."$(touch {pwned})"]\nendpoint = "{ref_server.jira_endpoint}"\ntoken = "t0k3n"\n')
        config.write(f'\n[profiles."`touch {pwned}`"]\nendpoint = "{ref_server.jira_endpoint}"\ntoken = "t0k3n"\n')
    assert completions(tmp_path / "pollstui.bash", "list", "--profile", "", cwd=tmp_path) == ["work"]
    assert completions(tmp_path / "pollstui.bash", "profile", "show", "", cwd=tmp_path) == ["work"]
    assert not pwned.exists()
    listed = cli("profile", "list")
    assert "Skipped the profile" in listed.stderr and "work" in listed.stdout and "touch" not in listed.stdout


def test_bash_completion_takes_the_names_it_lists_as_data(capsys, tmp_path):
    """Whatever `pollstui profile list` prints, the script compares it as text and evaluates none of it."""
    _, script, _ = run(capsys, "completion", "bash")
    (tmp_path / "pollstui.bash").write_text(script)
    names = ["$(touch pwned)", "`touch pwned`", "a b", "*", "$HOME", "work", "w;touch pwned"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pollstui").write_text("#!/bin/sh\ncat <<'EOF'\n" + "".join(f"\t{name}\tjira\n" for name in names) + "EOF\n")
    (bin_dir / "pollstui").chmod(0o755)
    offered = completions(tmp_path / "pollstui.bash", "list", "--profile", "", bin_dir=bin_dir, cwd=tmp_path)
    assert offered == names
    assert completions(tmp_path / "pollstui.bash", "list", "--profile", "$", bin_dir=bin_dir, cwd=tmp_path) == [
        "$(touch pwned)", "$HOME",
    ]  # fmt: skip
    assert completions(tmp_path / "pollstui.bash", "list", "--profile", "w", bin_dir=bin_dir, cwd=tmp_path) == [
        "work", "w;touch pwned",
    ]  # fmt: skip
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_parse(capsys, tmp_path, shell):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed here")
    code, script, _ = run(capsys, "completion", shell)
    path = tmp_path / f"pollstui.{shell}"
    path.write_text(script)
    assert code == 0 and subprocess.run([shell, "-n", str(path)]).returncode == 0
    if shell == "fish":
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        offered = subprocess.run(
            ["fish", "-c", f"source {path}; complete -C 'pollstui profile '"],
            capture_output=True, text=True, timeout=60, env=env,
        ).stdout  # fmt: skip
        assert [line.split("\t")[0] for line in offered.splitlines()] == ["add", "items", "list", "migrate", "remove", "show", "use"]


def test_completion_imports_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from pollstui.cli import main; main(['completion', 'bash']); "
         "print(sorted(m for m in ('textual', 'httpx', 'pydantic') if m in sys.modules), file=sys.stderr)"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stderr.strip() == "[]" and "_pollstui" in result.stdout


def test_profile_add_use_remove_json(capsys, ref_server):
    code, out, _ = run(capsys, "profile", "add", "one", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token, "--json")
    added = json.loads(out)
    assert code == 0 and (added["name"], added["default"]) == ("one", True) and ref_server.token not in out
    run(capsys, "profile", "add", "two", "--endpoint", ref_server.jira_endpoint, "--token", ref_server.token)
    code, out, _ = run(capsys, "profile", "use", "two", "--json")
    assert code == 0 and json.loads(out) == {"default": "two"}
    code, out, _ = run(capsys, "profile", "remove", "two", "--json")
    assert code == 0 and json.loads(out) == {"removed": "two", "default": "one"}


def test_get_in_a_pipe_keeps_option_titles_whole(ref_server):
    long_option = "An option whose title runs well past sixty columns, as people sometimes write them"
    body = {"title": "Long options", "options": [{"id": "1", "title": long_option, "order": 0}]}
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-78", "", body)["id"]
    piped = cli("get", poll_id, *conn(ref_server, "PLAT-78"))
    assert piped.returncode == 0 and f"1. {long_option}" in piped.stdout
