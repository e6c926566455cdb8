"""Tokens in the operating system's keyring, through the ``keyring`` library, every call under a time limit.

``keyring`` speaks to the Secret Service (GNOME Keyring, KWallet), the macOS Keychain and the
Windows Credential Locker. A profile whose token lives there says ``token = "keyring"`` in the
profiles file; its entry is service ``pollstui``, user the profile's name.

A keyring can hang (a locked collection waiting for a prompt nobody sees, a D-Bus that never
answers), so every call runs in a daemon thread and is given up after :func:`time_limit` seconds
(3, as gh waits; ``POLLSTUI_KEYRING_TIMEOUT`` changes it): :class:`KeyringTimeout`. This module
imports ``keyring`` (slow to import and to find its backend) on the first call only, and only profiles that keep their token there call it (``tests/test_import_hygiene.py``).

A backend counts as a keyring when it is one the library recommends (priority 1 or more) or the
one the user chose (``PYTHON_KEYRING_BACKEND``, or keyring's ``keyringrc.cfg``). keyring's
``fail.Keyring`` (no keyring at all) and ``keyrings.alt``'s plain-text file, when nothing chose
it, are not: a token is no safer there than in pollstui's own 0600 file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["SERVICE", "KeyringTimeout", "KeyringUnavailable", "delete", "read", "store", "time_limit"]

#: The keyring entries' service name; the user name is the profile's.
SERVICE = "pollstui"
ENV_TIMEOUT = "POLLSTUI_KEYRING_TIMEOUT"
DEFAULT_TIME_LIMIT = 3.0

T = TypeVar("T")


class KeyringUnavailable(Exception):
    """No keyring could be used (none here, it refused, or it failed); the message says why."""

    def __init__(self, message: str, keyring: str = "the keyring") -> None:
        super().__init__(message)
        #: The backend's name when known ("SecretService Keyring"), else "the keyring".
        self.keyring = keyring


class KeyringTimeout(KeyringUnavailable):
    """The keyring did not answer within the time limit."""


class NoSuchEntry(KeyringUnavailable):
    """The keyring works but holds no token for that profile."""


def time_limit() -> float:
    """Seconds a keyring call may take (``POLLSTUI_KEYRING_TIMEOUT``, default 3)."""
    try:
        value = float(os.environ.get(ENV_TIMEOUT, "") or DEFAULT_TIME_LIMIT)
    except ValueError:
        return DEFAULT_TIME_LIMIT
    return value if value > 0 else DEFAULT_TIME_LIMIT


def _backend() -> Any:
    """The keyring backend to use; KeyringUnavailable when there is none worth the name."""
    import keyring
    from keyring.backends import chainer, fail

    # The backend PYTHON_KEYRING_BACKEND names is loaded afresh each time (keyring keeps the first
    # one it found for the whole process, and the variable may have changed since).
    backend = (os.environ.get("PYTHON_KEYRING_BACKEND") and keyring.core.load_env()) or keyring.get_keyring()
    name = _name(backend)
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable("no keyring is available here (no Secret Service, Keychain or Credential Locker)", name)
    if _chosen_by_user():
        return backend
    chained = list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]
    if not chained or max(b.priority for b in chained) < 1:
        raise KeyringUnavailable(f"the only keyring here is {name}, which keyring does not recommend", name)
    return backend


def _chosen_by_user() -> bool:
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    from keyring.util import platform_

    return (platform_.config_root() / "keyringrc.cfg").is_file()


def _name(backend: Any) -> str:
    try:
        return str(backend.name)
    except Exception:  # noqa: BLE001 - a third-party backend's name must not fail the call
        return type(backend).__name__


def _call(doing: str, work: Callable[[Any], T]) -> T:
    """``work(backend)`` in a daemon thread, given up after :func:`time_limit` seconds."""
    box: dict[str, Any] = {"keyring": "the keyring"}

    def run() -> None:
        try:
            backend = _backend()
            box["keyring"] = _name(backend)
            box["result"] = work(backend)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"pollstui-keyring-{doing}", daemon=True)
    thread.start()
    limit = time_limit()
    thread.join(limit)
    keyring_name = box["keyring"]
    if thread.is_alive():
        raise KeyringTimeout(f"{keyring_name} did not answer within {limit:g} s while {doing}", keyring_name)
    error = box.get("error")
    if isinstance(error, KeyringUnavailable):
        raise error
    if error is not None:
        reason = str(error).strip() or type(error).__name__
        raise KeyringUnavailable(f"{keyring_name} failed while {doing}: {reason}", keyring_name) from None
    return box["result"]


def store(profile: str, token: str) -> str:
    """Keep ``token`` as the entry of ``profile`` (replacing one it had); the keyring's name."""

    def work(backend: Any) -> str:
        backend.set_password(SERVICE, profile, token)
        return _name(backend)

    return _call(f"storing the token of profile {profile!r}", work)


def read(profile: str) -> str:
    """The token kept for ``profile``: NoSuchEntry when the keyring has none."""

    def work(backend: Any) -> str | None:
        return backend.get_password(SERVICE, profile)

    token = _call(f"reading the token of profile {profile!r}", work)
    if not token:
        raise NoSuchEntry(f"the keyring holds no token for profile {profile!r} (service {SERVICE!r})")
    return token


def delete(profile: str) -> bool:
    """Delete the entry of ``profile``; whether there was one."""

    def work(backend: Any) -> bool:
        from keyring.errors import PasswordDeleteError

        try:
            backend.delete_password(SERVICE, profile)
        except PasswordDeleteError:
            return False
        return True

    return _call(f"deleting the token of profile {profile!r}", work)
