"""The profiles file's TOML, as :class:`pollstui.profiles.ProfileStore` writes it, and its lists of
content items (``recents``, ``pinned``) as the store reads them.

The top: ``default``, the TUI's preferences and keys this version does not know; then each
profile's table (known keys, then the unknown ones kept as read), its pinned items in order and
its recents, most recent first. Standard library and tomli-w only (the CLI writes profiles before
it loads httpx or pydantic).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pollstui.api.address import ContentRef
from pollstui.api.errors import InvalidInputError

if TYPE_CHECKING:
    from pollstui.profiles import Profile

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")

HEADER = "# pollstui profiles. This file holds access tokens: keep it private.\n\n"


def profiles_text(
    default: str | None, prefs: dict[str, Any], extra: dict[str, Any], profiles: dict[str, Profile],
    unusable: dict[str, Any],
) -> str:
    """The whole file: ``default``, ``prefs`` (None values left out), ``extra``, ``profiles``, then
    the tables of profiles that could not be used (``unusable``), as they were read."""
    import tomli_w

    head: dict[str, Any] = {"default": default} if default else {}
    head.update({key: value for key, value in prefs.items() if value is not None})
    head.update(extra)
    chunks = [HEADER, tomli_w.dumps(head)]
    for name, profile in profiles.items():
        table = {
            "endpoint": profile.endpoint,
            "token": "keyring" if profile.token_in_keyring else profile.token,
            "product": profile.product,
            "read_only": profile.read_only,
            "insecure": profile.insecure,
            **{key: value for key in ("site", "sort", "concurrency") if (value := getattr(profile, key))},
            **profile.extra,
        }
        chunks.append("\n" + tomli_w.dumps({"profiles": {name: table}}))
        for key in ("pinned", "recents"):
            for ref in getattr(profile, key):
                chunks.append(f"\n[[profiles.{_toml_key(name)}.{key}]]\n" + tomli_w.dumps(ref.to_dict()))
    for name, table in unusable.items():
        chunks.append("\n" + tomli_w.dumps({"profiles": {name: table}}))
    return "".join(chunks)


class FileProblem(Exception):
    """The file parsed as TOML but does not have the profiles layout."""


def read_refs(
    table: dict[str, Any], key: str, skipped: Callable[[str], None], *, limit: int | None = None
) -> list[ContentRef]:
    """The content items listed under ``key`` of a profile's table, in order, each once; one that
    cannot be read is left out and ``skipped("a pinned item (why)")`` told. With ``limit``, reading
    stops once that many distinct items are found, however long the list in the file (each item is
    looked up in a set: linear in what is read). FileProblem when ``key`` is not a list."""
    raw = table.get(key, [])
    if not isinstance(raw, list):
        raise FileProblem(f"'{key}' must be a list of tables")
    refs: list[ContentRef] = []
    seen: set[str] = set()
    for item in raw:
        if limit is not None and len(refs) >= limit:
            break
        try:
            if not isinstance(item, dict):
                raise InvalidInputError("not a table")
            ref = ContentRef.from_dict(item)
        except InvalidInputError as exc:
            skipped(f"{'a recent' if key == 'recents' else 'a pinned'} item ({exc})")
            continue
        if ref.key not in seen:
            seen.add(ref.key)
            refs.append(ref)
    return refs


def _toml_key(name: str) -> str:
    return name if _BARE_KEY.match(name) else json.dumps(name)
