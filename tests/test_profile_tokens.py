"""Tokens off the command line, credentials out of sight, private folders, no stale token files.

`profile add` takes the token from POLLS_TOKEN, a prompt that does not echo, or stdin
(--token-stdin), so it need not be in argv, where every local user can read it (`ps`, and
/proc/PID/cmdline, which `ps` reads).
"""

from __future__ import annotations

import io
import os
import platform
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pollstui import paths
from pollstui.cli import main
from pollstui.profiles import ProfileStore

ENDPOINT = "https://polls.example.test/x1/jira"
TOKEN = "tok-9d3c1f5e-0a7b-4e21-b6d8-3f2a1c0e9b7d"


def saved_token(name: str) -> str:
    return ProfileStore().load().get(name).token


def test_the_token_comes_from_polls_token_when_no_option_carries_one(capsys, monkeypatch):
    monkeypatch.setenv("POLLS_TOKEN", TOKEN)
    assert main(["profile", "add", "work", "--endpoint", ENDPOINT]) == 0
    assert saved_token("work") == TOKEN
    assert TOKEN not in capsys.readouterr().out


def test_a_token_in_the_url_wins_over_polls_token(capsys, monkeypatch):
    monkeypatch.setenv("POLLS_TOKEN", "tok-from-the-environment")
    assert main(["profile", "add", "work", "--url", f"{ENDPOINT}?token={TOKEN}&type=polls"]) == 0
    assert saved_token("work") == TOKEN


def test_on_a_terminal_the_token_is_asked_for_without_echo(capsys, monkeypatch):
    import getpass

    asked = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(getpass, "getpass", lambda prompt: asked.append(prompt) or f"  {TOKEN}\n")
    assert main(["profile", "add", "work", "--endpoint", ENDPOINT]) == 0
    assert saved_token("work") == TOKEN
    assert asked == ["Token for polls.example.test (not shown): "]
    assert TOKEN not in "".join(capsys.readouterr())


def test_without_a_token_or_a_terminal_it_says_how_to_give_one(capsys):
    assert main(["profile", "add", "work", "--endpoint", ENDPOINT]) == 2
    err = capsys.readouterr().err
    assert "--token-stdin" in err and "POLLS_TOKEN" in err
    assert not paths.config_file().exists()


def test_token_and_token_stdin_together_are_refused(capsys):
    assert main(["profile", "add", "work", "--endpoint", ENDPOINT, "--token", TOKEN, "--token-stdin"]) == 2
    assert "not both" in capsys.readouterr().err


@pytest.mark.parametrize(("stdin", "problem"), [("", "read nothing"), ("two words\n", "more than one word")])
def test_token_stdin_refuses_what_is_not_one_token(capsys, monkeypatch, stdin, problem):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    assert main(["profile", "add", "work", "--endpoint", ENDPOINT, "--token-stdin"]) == 2
    assert problem in capsys.readouterr().err


def reading_stdin(pid: int) -> bool:
    """The process is blocked reading its stdin: in read(0, …) by /proc/PID/syscall (its wait
    channel names the pipe read where the system call number is not known here)."""
    read = {"x86_64": 0, "aarch64": 63}.get(platform.machine())
    try:
        if read is None:
            return Path(f"/proc/{pid}/wchan").read_text().endswith("pipe_read")
        fields = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    return len(fields) > 1 and fields[0] == str(read) and int(fields[1], 16) == 0


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc, as ps does")
def test_token_stdin_keeps_the_token_out_of_what_ps_shows():
    process = subprocess.Popen(
        [sys.executable, "-m", "pollstui", "profile", "add", "work", "--endpoint", ENDPOINT, "--token-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not reading_stdin(process.pid):  # waiting for stdin: what every other user can see of it now
            assert process.poll() is None and time.monotonic() < deadline, "it never read its stdin"
            time.sleep(0.01)
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        assert "--token-stdin" in cmdline and TOKEN not in cmdline
        out, err = process.communicate(f"{TOKEN}\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert TOKEN not in out + err
    assert saved_token("work") == TOKEN


def test_user_and_password_in_an_endpoint_are_masked_in_profile_list_and_show(capsys, monkeypatch):
    endpoint = "https://bob:s3cret-pw@polls.example.test/x1/jira"
    monkeypatch.setenv("POLLS_TOKEN", TOKEN)
    assert main(["profile", "add", "work", "--endpoint", endpoint]) == 0
    assert ProfileStore().load().get("work").endpoint == endpoint  # kept exactly: it is what to connect with
    shown = []
    for argv in (["profile", "list"], ["profile", "show", "work"], ["profile", "show", "work", "--json"]):
        assert main(argv) == 0
        shown.append("".join(capsys.readouterr()))
    assert all("polls.example.test" in out for out in shown)
    assert not [out for out in shown if "s3cret" in out or "bob" in out], shown


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_a_token_with_control_characters_is_shown_inert(capsys, monkeypatch, terminal):
    """A pasted URL's token decodes to anything (%1B is ESC): its masked form never drives a terminal."""
    monkeypatch.setattr("pollstui.cli.common.stdout_is_tty", lambda: terminal)
    url = f"{ENDPOINT}?token=%1B%5D0%3BX%07-abcdef-%C2%9B2J%1B%5B2J&type=polls"
    assert main(["profile", "add", "work", "--url", url]) == 0
    assert saved_token("work") == "\x1b]0;X\x07-abcdef-\x9b2J\x1b[2J"  # kept exactly: it is what is sent
    for argv in (["profile", "list"], ["profile", "show", "work"], ["profile", "show", "--json"], ["profile", "list", "--json"]):
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert not [ch for ch in out + err if ch in "\x1b\x07\x9b"], (argv, out + err)
        assert "abcdef" not in out + err
    main(["profile", "show", "work"])
    assert "token      ␛]0;…2J" in capsys.readouterr().out  # shown as the placeholders, as titles are


def test_the_header_shows_no_credentials():
    from pollstui.settings import Connection
    from pollstui.tui.widgets.header import header_parts

    parts = header_parts(Connection("https://bob:s3cret-pw@polls.example.test/x1/jira", TOKEN, "jira"))
    assert "polls.example.test" in parts and not [p for p in parts if "s3cret" in p or "bob" in p]


# --- folders and temporary files ------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_folder_pollstui_creates_is_private_parents_included(tmp_path, monkeypatch):
    base = tmp_path / "fresh"  # nothing of XDG_DATA_HOME exists yet
    base.mkdir(mode=0o755)
    os.chmod(base, 0o755)
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "share"))
    drafts = paths.ensure_private_dir(paths.drafts_dir())
    created = [drafts, *[p for p in drafts.parents if base in p.parents]]
    assert [str(p.relative_to(base)) for p in created] == ["share/pollstui/drafts", "share/pollstui", "share"]
    assert all(mode(p) == 0o700 for p in created), {str(p): oct(mode(p)) for p in created}
    assert mode(base) == 0o755  # not pollstui's: left as it was


def test_a_folder_the_user_named_is_not_tightened(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    os.chmod(folder, 0o755)
    paths.ensure_private_dir(folder, ours=False)
    assert mode(folder) == 0o755


def test_the_next_write_removes_the_temporary_files_a_killed_writer_left(tmp_path):
    tmp_path = tmp_path / "folder"
    tmp_path.mkdir()
    target = tmp_path / "config.toml"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f".config.toml.{dead.stdout.strip()}.tmp"
    orphan.write_text(f'token = "{TOKEN}"\n')
    other = tmp_path / ".other.toml.1.tmp"  # not this file's: left alone
    other.write_text("x")
    paths.write_private_file(target, "profiles = 1\n")
    assert not orphan.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.toml.1.tmp", "config.toml"]


def test_a_live_writers_fresh_temporary_file_is_left_alone(tmp_path):
    live = tmp_path / f".config.toml.{os.getppid()}.tmp"  # a running process, writing just now
    live.write_text("half")
    paths.write_private_file(tmp_path / "config.toml", "profiles = 1\n")
    assert live.exists()
    old = time.time() - 2 * paths.STALE_TEMP_SECONDS  # … but not one it left long ago
    os.utime(live, (old, old))
    paths.write_private_file(tmp_path / "config.toml", "profiles = 2\n")
    assert not live.exists()
