"""The profiles file under accidents: crashes mid-write, full disks, permissions, corruption.

tests/test_profiles.py already covers an ``os.replace`` that fails, a corrupt file refused by
every write of the store and by ``pollstui profile add``, and loose permissions tightened with a
warning. This file adds what those leave out: a writer process killed in the middle of a write,
failures at the other steps of the atomic write (as the CLI and the TUI report them),
permissions that cannot be tightened, a loose directory, and a corrupt file that the TUI's
first-run setup must not overwrite either.
"""

from __future__ import annotations

import errno
import os
import shlex
import signal
import stat
import subprocess
import sys
import tomllib

import pytest

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.cli import main
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import Connection
from pollstui.tui.app import PollsApp
from tests.tui.helpers import screen_text, wait_for

ENDPOINT = "https://1d609651.hello.atlassian-dev.net/x1/xs2i4ODeo611kO2x4adU6sCYcqM"
TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
OTHER_TOKEN = "0b6e2b55-5c55-4a4e-9d0e-9c1b8d2f7a11"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def one_profile() -> bytes:
    """A profiles file holding the profile "first"; its bytes."""
    ProfileStore().load().add(Profile("first", ENDPOINT, TOKEN, recents=[ContentRef.create("jira", "", "PLAT-1")]))
    return paths.config_file().read_bytes()


def leftovers() -> list[str]:
    return sorted(p.name for p in paths.config_dir().iterdir() if p.name != "config.toml")


# --- a crash in the middle of a write ------------------------------------------------------------

WRITER = """
import os, sys, time
from pollstui.profiles import Profile, ProfileStore

real_fsync = os.fsync


def stall(fd):
    real_fsync(fd)  # the new text is in the temporary file, on disk; the rename has not happened
    print("written", flush=True)
    time.sleep(60)  # stalls here until the test kills it (never waited out)


os.fsync = stall
ProfileStore().load().add(Profile("second", sys.argv[1], sys.argv[2]))
print("saved", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_a_writer_killed_mid_write_leaves_the_old_file_whole() -> None:
    before = one_profile()
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, ENDPOINT, OTHER_TOKEN], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout.readline() == "written\n", proc.stderr.read() if proc.poll() is not None else ""
            [temp] = leftovers()
            assert "second" in (paths.config_dir() / temp).read_text()  # the new version, half done
            proc.send_signal(signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert paths.config_file().read_bytes() == before  # the old file, whole
    [temp] = leftovers()
    assert mode(paths.config_dir() / temp) == 0o600  # the orphan holds a token: private too
    store = ProfileStore().load()
    assert list(store.profiles) == ["first"] and store.warnings == []
    store.add(Profile("third", ENDPOINT, OTHER_TOKEN))  # and the next write works
    assert list(ProfileStore().load().profiles) == ["first", "third"]
    assert leftovers() == []  # … and removes the orphan, and the token in it


# --- a write that fails part-way --------------------------------------------------------------------


class _HalfWriter:
    """A file whose write() puts half the data on disk, then fails like a full disk."""

    def __init__(self, fh) -> None:  # noqa: ANN001
        self.fh = fh

    def write(self, data: bytes) -> int:
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.fh, name)

    def __enter__(self):  # noqa: ANN204
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def fail_at(step: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the atomic write fail at ``step``, as a full disk or a stubborn file system would."""
    if step == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _HalfWriter(real_fdopen(fd, *a, **k)))
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))
    elif step == "replace":
        monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(errno.EXDEV, "Invalid cross-device link")))
    else:  # pragma: no cover
        raise AssertionError(step)


REASONS = {"write": "No space left on device", "fsync": "Input/output error", "replace": "Invalid cross-device link"}


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_a_failed_cli_write_keeps_the_file_and_says_why(step: str, monkeypatch, capsys) -> None:
    before = one_profile()
    with monkeypatch.context() as patch:  # (not monkeypatch.undo(): that would undo isolated_dirs too)
        fail_at(step, patch)
        code = main(["profile", "add", "second", "--endpoint", ENDPOINT, "--token", OTHER_TOKEN])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        f"pollstui: error: Could not save the profiles file {paths.config_file()}: {REASONS[step]}. "
        "It is unchanged; free some space or check that folder's permissions, then try again.\n"
    )
    assert OTHER_TOKEN not in err and TOKEN not in err
    assert paths.config_file().read_bytes() == before
    assert leftovers() == []


async def test_a_failed_write_of_recents_keeps_the_tui_up(monkeypatch, ref_server) -> None:
    """Opening a content item remembers it in the profile; a full disk must not end the app."""
    before = one_profile()
    store = ProfileStore().load()
    connection = Connection(ref_server.jira_endpoint, ref_server.token, "jira", profile_name="first",
                            ref=ContentRef.create("jira", "PLAT", "PLAT-254604"))  # fmt: skip
    app = PollsApp(connection, profile_store=store)
    with monkeypatch.context() as patch:
        fail_at("write", patch)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.is_running
            messages = [n.message for n in app._notifications if n.severity == "error"]
            assert messages == [
                f"Could not save the profiles file {paths.config_file()}: No space left on device. "
                "It is unchanged; free some space or check that folder's permissions, then try again."
            ]
            assert ref_server.token not in messages[0]
    assert paths.config_file().read_bytes() == before
    assert leftovers() == []


# --- permissions ----------------------------------------------------------------------------------


def test_permissions_that_cannot_be_tightened_are_reported_with_the_fix(monkeypatch, capsys) -> None:
    one_profile()
    path = paths.config_file()
    os.chmod(path, 0o644)

    def refuse(target, mode_, *args, **kwargs):  # noqa: ANN001, ANN202
        raise PermissionError(errno.EPERM, "Operation not permitted")

    with monkeypatch.context() as patch:
        patch.setattr(os, "chmod", refuse)
        code = main(["profile", "list"])
    out, err = capsys.readouterr()
    assert code == 0 and "first" in out
    assert err == (
        f"pollstui: warning: {path} can be read by other users (mode 0644) and holds access tokens; "
        f"pollstui could not change that (Operation not permitted). Run: chmod 600 {shlex.quote(str(path))}\n"
    )
    assert mode(path) == 0o644  # not pretended otherwise


def test_a_loose_directory_is_tightened_on_the_next_save(capsys) -> None:
    one_profile()
    os.chmod(paths.config_dir(), 0o755)
    os.chmod(paths.config_file(), 0o666)
    assert main(["profile", "use", "first"]) == 0
    _, err = capsys.readouterr()
    assert "changed it to 0600" in err
    assert (mode(paths.config_dir()), mode(paths.config_file())) == (0o700, 0o600)


def test_a_linked_profiles_file_keeps_its_link_and_its_mode_is_never_changed_behind_the_users_back(tmp_path, capsys) -> None:
    """A profiles file that is a symbolic link (dotfiles): read and written through the link; on
    load the file it points to keeps its mode (a warning says how to fix it)."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir(mode=0o755)
    os.chmod(dotfiles, 0o755)
    target = dotfiles / "pollstui.toml"
    target.write_bytes(one_profile())
    os.chmod(target, 0o644)
    link = paths.config_file()
    link.unlink()
    link.symlink_to(target)

    assert main(["profile", "list"]) == 0
    out, err = capsys.readouterr()
    assert "first" in out
    assert mode(target) == 0o644  # not changed on load
    assert f"{link} links to {target}, which other users can read (mode 0644)" in err
    assert f"Run: chmod 600 {target}" in err

    assert main(["profile", "add", "second", "--endpoint", ENDPOINT, "--token", OTHER_TOKEN]) == 0
    assert link.is_symlink() and link.resolve() == target  # the link stays
    assert set(tomllib.loads(target.read_text())["profiles"]) == {"first", "second"}  # the change went there
    assert mode(target) == 0o600 and mode(dotfiles) == 0o755  # pollstui's write is private; the folder is not pollstui's
    assert sorted(p.name for p in dotfiles.iterdir()) == ["pollstui.toml"]  # no temporary file left
    assert ProfileStore().load().warnings == []


# --- corruption -----------------------------------------------------------------------------------

CORRUPT = b'default = "work"\n[profiles.work]\nendpoint = "https://x.example/x1"\ntoken = "\xff\xfe-half-a-tok'


@pytest.mark.parametrize(
    "argv",
    [
        ["profile", "add", "new", "--endpoint", ENDPOINT, "--token", OTHER_TOKEN],
        ["profile", "use", "work"],
        ["profile", "remove", "work"],
        ["list", "--profile", "work", "--content", "PLAT-1"],
    ],
    ids=["add", "use", "remove", "list"],
)
def test_a_corrupt_file_is_never_overwritten_by_the_cli(argv: list[str], capsys) -> None:
    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_bytes(CORRUPT)
    os.chmod(path, 0o600)
    stamp = os.stat(path).st_mtime_ns
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"pollstui: error: Cannot read the profiles file {path}: ")
    assert "move it aside" in err and OTHER_TOKEN not in err
    assert path.read_bytes() == CORRUPT and os.stat(path).st_mtime_ns == stamp
    assert leftovers() == []


async def test_a_corrupt_file_is_never_overwritten_by_the_tui_setup(ref_server) -> None:
    from pollstui.api.address import build_url

    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_bytes(CORRUPT)
    os.chmod(path, 0o600)
    app = PollsApp(None)  # first run: the setup screen saves a profile
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#setup-url"))
        app.screen.query_one("#setup-url").value = build_url(
            ref_server.jira_endpoint, ref_server.token, ContentRef.create("jira", "PLAT", "PLAT-254604")
        )
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Not saving profiles" in " ".join(screen_text(app).split()))
        assert app.is_running
        text = screen_text(app)
        assert ref_server.token not in text
    assert path.read_bytes() == CORRUPT
    assert leftovers() == []


def test_the_profiles_file_written_is_valid_toml_with_every_profile() -> None:
    """The atomic write writes all of it: a save is never a partial file."""
    store = ProfileStore().load()
    for n in range(30):
        store.add(Profile(f"p{n}", ENDPOINT, f"{TOKEN}-{n}", recents=[ContentRef.create("jira", "", f"PLAT-{n + 1}")]))
    data = tomllib.loads(paths.config_file().read_text())
    assert sorted(data["profiles"]) == sorted(f"p{n}" for n in range(30))
    assert data["profiles"]["p29"]["token"] == f"{TOKEN}-29"
    assert leftovers() == []
