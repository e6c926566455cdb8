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


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path


def write_private_file(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file + rename), mode 0600.

    A crash mid-write leaves the old file whole.
    """
    ensure_private_dir(path.parent)
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
