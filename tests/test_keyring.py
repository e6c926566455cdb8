"""Tokens at rest in the operating system's keyring, on a real keyring backend that needs no desktop.

The backend is keyrings.alt's file keyring (``PlaintextKeyring``, chosen with
``PYTHON_KEYRING_BACKEND``; it keeps its entries under ``XDG_DATA_HOME``, which every test has its
own of). "No keyring" is keyring's own ``fail.Keyring`` (the tests' default, tests/conftest.py);
a keyring that never answers is tests/slow_keyring.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from pollstui import paths
from pollstui.profiles import Profile, ProfileStore
from tests.test_cli import ISSUE, run

FILE_KEYRING = "keyrings.alt.file.PlaintextKeyring"
TOKEN = "tok-5e1b0c7a-keyring-4d2f"


@pytest.fixture
def file_keyring(monkeypatch):
    """The file keyring, as a user who chose it; returns it to look inside."""
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FILE_KEYRING)
    return PlaintextKeyring()


def add(capsys, server, name: str = "work", *extra: str) -> tuple[int, str, str]:
    return run(capsys, "profile", "add", name, "--endpoint", server.jira_endpoint, "--token", server.token, *extra)


def config_text() -> str:
    return paths.config_file().read_text()


def test_profile_add_keeps_the_token_in_the_keyring_and_it_is_used(capsys, ref_server, file_keyring):
    code, out, err = add(capsys, ref_server)
    assert code == 0 and err == ""
    assert "its token is in the keyring" in out
    assert ref_server.token not in config_text() and 'token = "keyring"' in config_text()
    assert file_keyring.get_password("pollstui", "work") == ref_server.token
    code, out, err = run(capsys, "list", "--profile", "work", "--content", ISSUE)
    assert (code, err) == (0, "") and out  # the polls, fetched with the token from the keyring
    assert ref_server.token not in config_text()  # remembering the item there saved the file without it
    assert ProfileStore().load().get("work").recents  # (it did save)


def test_without_a_keyring_the_token_goes_into_the_file_with_a_one_line_note(capsys, ref_server):
    code, out, err = add(capsys, ref_server)
    assert code == 0 and "its token is in the profiles file" in out
    assert err.count("\n") == 1 and err.startswith("pollstui: note: no keyring is available here")
    assert str(paths.config_file()) in err
    assert ProfileStore().load().get("work").token == ref_server.token
    code, out, _ = run(capsys, "list", "--profile", "work", "--content", ISSUE)
    assert code == 0 and out


def test_insecure_storage_keeps_the_token_in_the_file_where_a_keyring_works(capsys, ref_server, file_keyring):
    code, out, err = add(capsys, ref_server, "work", "--insecure-storage")
    assert (code, err) == (0, "") and "its token is in the profiles file" in out
    assert ProfileStore().load().get("work").token == ref_server.token
    assert file_keyring.get_password("pollstui", "work") is None


def test_replacing_a_profile_replaces_its_keyring_entry(ref_server, file_keyring):
    store = ProfileStore().load()
    store.add(Profile("work", ref_server.jira_endpoint, "tok-first-0000"))
    store.add(Profile("work", ref_server.jira_endpoint, TOKEN), replace=True)
    assert file_keyring.get_password("pollstui", "work") == TOKEN
    store.add(Profile("work", ref_server.jira_endpoint, "tok-in-file-1111"), replace=True, keyring=False)
    assert file_keyring.get_password("pollstui", "work") is None  # no stale secret left behind
    assert ProfileStore().load().get("work").token == "tok-in-file-1111"


def test_profile_add_over_an_existing_name_replaces_it_and_its_keyring_entry(capsys, ref_server, file_keyring):
    """As `gh auth login` does: the connection and token are new, the items and the default stay."""
    run(capsys, "profile", "add", "first", "--endpoint", ref_server.jira_endpoint, "--token", "tok-first-0000")
    run(capsys, "profile", "add", "work", "--endpoint", ref_server.jira_endpoint, "--token", "tok-old-1111")
    run(capsys, "profile", "items", "add", "work", ISSUE)
    code, out, err = add(capsys, ref_server, "work", "--read-only")
    assert (code, err) == (0, "")
    assert out.startswith("Replaced profile 'work'") and "keeping its pinned and recent items" in out
    assert file_keyring.get_password("pollstui", "work") == ref_server.token
    store = ProfileStore().load()
    assert store.default == "first" and store.get("work").read_only
    assert [r.content for r in store.get("work").pinned] == [ISSUE]
    assert run(capsys, "list", "--profile", "work", "--content", ISSUE)[0] == 0  # the new token is the one used

    code, out, err = run(capsys, "profile", "add", "work", "--endpoint", ref_server.jira_endpoint,
                         "--token", "tok-in-file-2222", "--insecure-storage")  # fmt: skip
    assert code == 0 and "its token is in the profiles file" in out
    assert file_keyring.get_password("pollstui", "work") is None  # no stale secret left behind
    assert ProfileStore().load().get("work").token == "tok-in-file-2222"


def test_replacing_a_keyring_profile_when_the_keyring_is_gone_says_where_the_old_token_is(
    capsys, ref_server, file_keyring, monkeypatch
):
    """The new token goes into the file; the old one, which the keyring can no longer delete, is
    named (service and user) so the user can delete it, not left behind in silence."""
    add(capsys, ref_server, "work")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    code, out, err = run(capsys, "profile", "add", "work", "--endpoint", ref_server.jira_endpoint, "--token", "tok-new-3333")
    assert code == 0 and "its token is in the profiles file" in out
    assert "Could not delete the token of profile 'work' from the keyring" in err and "user 'work'" in err
    assert ref_server.token not in out + err and file_keyring.get_password("pollstui", "work") == ref_server.token


def test_profile_remove_deletes_the_keyring_entry(capsys, ref_server, file_keyring):
    add(capsys, ref_server)
    code, _, err = run(capsys, "profile", "remove", "work")
    assert (code, err) == (0, "")
    assert file_keyring.get_password("pollstui", "work") is None


def test_list_and_show_say_where_tokens_live_without_reading_the_keyring(capsys, ref_server, file_keyring, monkeypatch):
    add(capsys, ref_server, "work")
    add(capsys, ref_server, "old", "--insecure-storage")
    from tests import slow_keyring

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.slow_keyring.SlowKeyring")
    slow_keyring.CALLS.clear()
    code, out, _ = run(capsys, "profile", "list", "--json")
    shown = {p["name"]: (p["token"], p["tokenStorage"]) for p in json.loads(out)}
    assert shown == {"work": ("keyring", "keyring"), "old": ("tok-…43", "file")}
    code, out, _ = run(capsys, "profile", "list")
    assert code == 0 and "\tkeyring\t" in out
    code, out, _ = run(capsys, "profile", "show", "work")
    assert code == 0 and "token      in the keyring (service 'pollstui', user 'work')" in out
    code, out, _ = run(capsys, "profile", "show", "old")
    assert "token      tok-…43 (in the profiles file" in out
    code, out, _ = run(capsys, "info")
    assert "token of 'work': in the keyring" in out and "token of 'old': in the config file" in out
    assert slow_keyring.CALLS == []  # no secret read, no prompt


def test_a_keyring_that_does_not_answer_is_a_one_line_error_naming_it_and_polls_token(capsys, ref_server, file_keyring, monkeypatch):
    add(capsys, ref_server)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.slow_keyring.SlowKeyring")
    monkeypatch.setenv("POLLSTUI_KEYRING_TIMEOUT", "0.3")
    started = time.monotonic()
    code, out, err = run(capsys, "list", "--profile", "work", "--content", ISSUE)
    assert time.monotonic() - started < 4  # the time limit, not the keyring's 5 s
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "SlowKeyring did not answer within 0.3 s" in err and "POLLS_TOKEN" in err
    assert ref_server.token not in err

    # POLLS_TOKEN wins over both places: the keyring is not asked
    monkeypatch.setenv("POLLS_TOKEN", ref_server.token)
    code, out, err = run(capsys, "list", "--content", ISSUE)
    assert (code, err) == (0, "") and out


def test_the_way_around_a_keyring_that_does_not_answer_is_the_one_the_error_names(capsys, ref_server, file_keyring, monkeypatch):
    add(capsys, ref_server, "first")  # the default profile: "work" is reached only by its name
    add(capsys, ref_server, "work")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.slow_keyring.SlowKeyring")
    monkeypatch.setenv("POLLSTUI_KEYRING_TIMEOUT", "0.3")
    monkeypatch.setenv("POLLS_TOKEN", ref_server.token)
    # --profile keeps the environment out (a flag outranks it), so POLLS_TOKEN does not help there ...
    code, out, err = run(capsys, "list", "--profile", "work", "--content", ISSUE)
    assert (code, out) == (2, "") and "did not answer" in err
    # ... and the error says what does: POLLS_TOKEN with the profile named in POLLS_PROFILE
    assert "POLLS_PROFILE=work instead of --profile" in err
    monkeypatch.setenv("POLLS_PROFILE", "work")
    code, out, err = run(capsys, "list", "--content", ISSUE)
    assert (code, err) == (0, "") and out


def test_a_file_token_keeps_working_and_migrate_moves_it(capsys, ref_server, file_keyring):
    store = ProfileStore().load()
    store.add(Profile("work", ref_server.jira_endpoint, ref_server.token), keyring=False)  # as older versions kept it
    assert run(capsys, "list", "--profile", "work", "--content", ISSUE)[0] == 0
    code, out, err = run(capsys, "profile", "migrate")
    assert (code, err) == (0, "") and "Moved the token of 'work' to the keyring" in out
    assert ref_server.token not in config_text()
    assert file_keyring.get_password("pollstui", "work") == ref_server.token
    code, out, _ = run(capsys, "list", "--profile", "work", "--content", ISSUE)
    assert code == 0 and out
    assert run(capsys, "profile", "migrate")[1].startswith("No token to move")


def test_migrate_without_a_keyring_changes_nothing(capsys, ref_server):
    ProfileStore().load().add(Profile("work", ref_server.jira_endpoint, ref_server.token), keyring=False)
    before = config_text()
    code, out, err = run(capsys, "profile", "migrate")
    assert code == 2 and out == "" and err.count("\n") == 1 and "no keyring is available here" in err
    assert config_text() == before


def test_a_file_token_profile_never_imports_keyring(ref_server):
    """`pollstui list` with a file-token profile keeps today's start-up: keyring is not imported."""
    ProfileStore().load().add(Profile("work", ref_server.jira_endpoint, ref_server.token), keyring=False)
    code = f"""
import sys
from pollstui.cli import main
assert main(["list", "--profile", "work", "--content", "{ISSUE}", "--json"]) == 0
print("\\n@@", "keyring" in sys.modules, "keyrings" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "@@ False False"
