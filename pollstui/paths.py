"""Every file location pollstui uses, in one place.

All of them come from platformdirs, so the XDG variables (``XDG_CONFIG_HOME``,
``XDG_DATA_HOME``, ``XDG_CACHE_HOME``, ``XDG_STATE_HOME``) move them, and tests
redirect them by setting those variables to a temporary directory.
Directories are created on demand with mode 0700 by :func:`ensure_private_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "pollstui"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def config_file() -> Path:
    """The profiles file (TOML)."""
    return config_dir() / "config.toml"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


def drafts_dir() -> Path:
    """Autosaved editor drafts."""
    return data_dir() / "drafts"


def demo_db() -> Path:
    """The database `pollstui demo` seeds afresh each time."""
    return data_dir() / "demo.sqlite3"


def server_db() -> Path:
    """The database `pollstui serve` keeps its polls in, unless --db names another."""
    return data_dir() / "server.sqlite3"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def polls_cache_dir() -> Path:
    """The last polls loaded for each content item."""
    return cache_dir() / "polls"


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME))


def journal_file() -> Path:
    """Every change the TUI made on a server, for undo."""
    return state_dir() / "journal.jsonl"


def log_file() -> Path:
    return state_dir() / "pollstui.log"


def all_locations() -> dict[str, Path]:
    """Every file or directory pollstui may write: what `pollstui info` prints."""
    return {
        "config file": config_file(),
        "drafts": drafts_dir(),
        "demo database": demo_db(),
        "server database": server_db(),
        "polls cache": polls_cache_dir(),
        "undo journal": journal_file(),
        "log file": log_file(),
    }


def ensure_private_dir(path: Path, *, ours: bool = True) -> Path:
    """Create ``path`` if needed and make it 0700; every parent it has to create is 0700 too
    (``mkdir -p`` would leave them to the umask, usually 0755). Parents that exist are left as
    they are: they are not pollstui's; nor is ``path`` itself when it exists and not ``ours``
    (a folder the user named, e.g. for ``--db``)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by another process meanwhile
        _chmod(folder, 0o700)  # (mkdir's mode is filtered by the umask)
    if ours:
        _chmod(path, 0o700)
    return path


def _chmod(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except OSError:
        pass


#: Temporary files older than this are leftovers wherever a writer's liveness cannot be checked.
STALE_TEMP_SECONDS = 60.0


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Delete what earlier writes of ``path`` left behind (a writer killed mid-write leaves
    ``.NAME.PID.tmp``, which may hold a token): those whose process is gone, or, where that
    cannot be checked, older than :data:`STALE_TEMP_SECONDS`. The ones deleted."""
    import time

    removed = []
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = temp.name[len(path.name) + 2 : -len(".tmp")]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if _process_alive(int(pid)) and time.time() - temp.stat().st_mtime < STALE_TEMP_SECONDS:
                continue
            temp.unlink()
            removed.append(temp)
        except OSError:
            continue
    return removed


def _process_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # (os.kill would end the process on Windows): the age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def write_private_file(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file + rename), mode 0600.

    A crash mid-write leaves the old file whole, and a temporary file the next write removes
    (:func:`remove_stale_temp_files`). When ``path`` is a symbolic link (a dotfiles checkout), the
    link stays and the file it points to is written, the same way, next to itself; the folder
    that file is in is left as it is (it is not pollstui's).
    """
    ensure_private_dir(path.parent)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    remove_stale_temp_files(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
