"""A keyring backend for the bench: entries in a JSON file beside the child's other files.

The bench machine has no desktop keyring (no Secret Service), and the client venv has only
pollstui's own dependencies, so ``keyring_token`` names this backend in keyring's own config file
(``keyringrc.cfg``, ``keyring-path`` pointing here), as a user configures a keyring. What the
figure measures is pollstui's side: importing ``keyring``, loading the configured backend, and
one read, each under pollstui's time limit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


def _path() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "bench-keyring.json"


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _entries(self) -> dict[str, str]:
        try:
            return json.loads(_path().read_text())
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._entries()
        entries[f"{service}/{username}"] = password
        _path().write_text(json.dumps(entries))

    def delete_password(self, service: str, username: str) -> None:
        entries = self._entries()
        entries.pop(f"{service}/{username}", None)
        _path().write_text(json.dumps(entries))
