"""A keyring backend that never answers in time: a locked keyring waiting on a prompt nobody sees.

A real ``keyring`` backend class (chosen with ``PYTHON_KEYRING_BACKEND=tests.slow_keyring.SlowKeyring``)
whose every call sleeps; a fault a working keyring does not produce on request. Each call records
itself, so a test can tell whether a command asked the keyring at all.
"""

from __future__ import annotations

import time

from keyring.backend import KeyringBackend

CALLS: list[str] = []


class SlowKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _wait(self, call: str) -> None:
        CALLS.append(call)
        time.sleep(5)

    def get_password(self, service: str, username: str) -> str | None:
        self._wait("get_password")
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._wait("set_password")

    def delete_password(self, service: str, username: str) -> None:
        self._wait("delete_password")
