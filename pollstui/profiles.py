"""Profiles: named connections (endpoint, token, product) kept in one TOML file.

The file (``paths.config_file()``) holds access tokens, so it is written atomically with mode
0600 in a 0700 directory, and a file found readable by others is tightened on load. When the file
is a symbolic link (a dotfiles checkout), it is read and written through the link, which stays: a
save writes the file it points to (0600); on load, that file's mode is never changed, only
warned about. Layout::

    default = "work"

    [profiles.work]
    endpoint = "https://….hello.atlassian-dev.net/x1/…"
    token = "…"
    product = "jira"
    read_only = false
    insecure = false
    site = "https://acme.atlassian.net"   # optional: where `o` opens an issue or page
    sort = "votes"                        # the TUI's last poll order (title, votes, ends)
    concurrency = 4                       # an overview's requests in flight at most (default 4)

    [[profiles.work.pinned]]           # the items an overview reads, in the user's order, no cap
    content = "PLAT-1"                 # (product, workspace and container as in recents)

    [[profiles.work.recents]]          # most recent first, at most 20
    product = "jira"
    workspace = "PLAT"
    content = "PLAT-254604"
    container = ""

A profile whose name is not one ``profile add`` accepts (letters, digits, ``-`` and ``_``) is
skipped with a warning and kept in the file as it is: such a name never reaches a shell's
completion or a terminal.

A file that cannot be read or parsed is never overwritten: :meth:`ProfileStore.load` raises
:class:`ProfileFileError`, and every later write refuses until the file is fixed or moved aside.
Keys this version does not know are kept as they are.

Plain dataclasses and the standard library only: the CLI reads profiles before it loads
httpx or pydantic.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pollstui import paths
from pollstui.api.address import PRODUCTS, ContentRef, check_endpoint, check_product
from pollstui.api.errors import InvalidInputError, PollsError, mask_token, register_secret
from pollstui.profiles_text import FileProblem as _FileProblem
from pollstui.profiles_text import read_refs

log = logging.getLogger("pollstui.profiles")

#: How many recently opened content items a profile remembers.
MAX_RECENTS = 20

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_KNOWN_KEYS = ("endpoint", "token", "product", "read_only", "insecure", "recents", "pinned", "site", "sort", "concurrency")

#: The most requests an overview may have in flight, whatever a profile or flag asks.
MAX_CONCURRENCY = 16


class ProfileFileError(PollsError):
    """The profiles file cannot be read, or must not be written."""


class ProfileWriteError(ProfileFileError, OSError):
    """Saving failed (full disk, permissions); the file is unchanged. Still an OSError for old callers."""


class UnknownProfileError(InvalidInputError):
    """No profile has the name given."""


class KeyringError(PollsError):
    """A token kept in the keyring could not be stored, read or deleted (none here, locked, too slow)."""


#: What the profiles file says in place of a token that lives in the keyring.
KEYRING = "keyring"


@dataclass
class Profile:
    """One named connection. ``recents`` is most recent first; ``pinned`` is in the user's order."""

    name: str
    endpoint: str
    token: str
    product: str = "jira"
    read_only: bool = False
    insecure: bool = False
    recents: list[ContentRef] = field(default_factory=list)
    #: The Jira site or Confluence base URL the polls belong to ("" when unknown): `o` opens items there.
    site: str = ""
    #: The poll table's order in the TUI ("" is the server's order).
    sort: str = ""
    #: The items the user keeps (an overview reads them), in the order given, each once.
    pinned: list[ContentRef] = field(default_factory=list)
    #: An overview's requests in flight at most (0: the default).
    concurrency: int = 0
    #: Keys of this profile's table that this version does not know, kept for the next save.
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The token lives in the operating system's keyring (``token = "keyring"`` in the file); then
    #: :attr:`token` is "" until :meth:`secret` reads it.
    token_in_keyring: bool = False

    def __post_init__(self) -> None:
        register_secret(self.token)

    @property
    def token_place(self) -> str:
        """Where the token lives: ``"keyring"`` or ``"file"`` (the profiles file)."""
        return KEYRING if self.token_in_keyring else "file"

    def shown_token(self) -> str:
        """The token as lists show it, without reading a keyring: masked, or ``keyring``."""
        return KEYRING if self.token_in_keyring and not self.token else mask_token(self.token)

    def secret(self) -> str:
        """The token. One kept in the keyring is read on the first call (under the keyring's time
        limit); :class:`KeyringError` when that fails, naming the way around it that works:
        ``POLLS_TOKEN`` with ``POLLS_PROFILE`` (``--profile`` keeps the environment out, see
        :func:`pollstui.settings.resolve_connection`)."""
        if self.token_in_keyring and not self.token:
            from pollstui import keychain

            try:
                self.token = keychain.read(self.name)
            except keychain.KeyringUnavailable as exc:
                raise KeyringError(
                    f"Cannot read the token of profile {self.name!r} from the keyring: {exc}. Make {exc.keyring} "
                    f"available (unlock it), or go around it: set POLLS_TOKEN to the token and name the profile with "
                    f"POLLS_PROFILE={self.name} instead of --profile (a --profile flag keeps the environment out)."
                ) from None
            register_secret(self.token)
        return self.token

    def __repr__(self) -> str:
        return (
            f"Profile(name={self.name!r}, endpoint={self.endpoint!r}, token={self.shown_token()!r}, "
            f"product={self.product!r}, read_only={self.read_only}, insecure={self.insecure}, "
            f"recents={len(self.recents)}, pinned={len(self.pinned)})"
        )

    def add_recent(self, ref: ContentRef) -> bool:
        """Put ``ref`` first (once); return whether anything changed."""
        recents = [ref, *(r for r in self.recents if r.key != ref.key)][:MAX_RECENTS]
        changed = recents != self.recents
        self.recents = recents
        return changed

    def last_ref(self) -> ContentRef | None:
        return self.recents[0] if self.recents else None

    def pin(self, refs: list[ContentRef], *, unpin: bool = False) -> list[ContentRef]:
        """Add ``refs`` after the pinned items (each once), or take them out; return what changed."""
        given = {ref.key: ref for ref in refs}
        if unpin:
            changed = [ref for ref in self.pinned if ref.key in given]
            self.pinned = [ref for ref in self.pinned if ref.key not in given]
        else:
            have = {p.key for p in self.pinned}
            changed = [ref for key, ref in given.items() if key not in have]
            self.pinned = [*self.pinned, *changed]
        return changed


@dataclass
class Preferences:
    """The TUI's own settings, at the top of the file next to the profiles: ``theme`` (the last one
    chosen in the palette) and ``[keys]`` (the main screen's keys by action id). Kept as written;
    the TUI checks them and says what it ignores (pollstui.tui.keymap)."""

    theme: Any = None
    keys: Any = None


def check_profile_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise InvalidInputError(
            f"{name!r} is not a usable profile name: use letters, digits, '-' and '_' "
            "(at most 64, starting with a letter or digit)."
        )
    return name


class ProfileStore:
    """The profiles file, loaded into :attr:`profiles` and :attr:`default`.

    Every change (:meth:`add`, :meth:`remove`, :meth:`use`, :meth:`touch_recent`,
    :meth:`remove_recent`, :meth:`pin`) is saved at once. Before a change the file is re-read when another
    process changed it since, so a CLI command and a running TUI do not undo each other's edits.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.config_file()
        self.profiles: dict[str, Profile] = {}
        self.default: str | None = None
        #: Things the user should be told about (permissions tightened, entries skipped).
        self.warnings: list[str] = []
        self.loaded = False
        self._load_error: ProfileFileError | None = None
        #: The TUI's preferences (``theme``, ``[keys]``).
        self.prefs = Preferences()
        #: Top-level keys this version does not know, kept for the next save.
        self._extra: dict[str, Any] = {}
        #: Profiles whose names are not usable (skipped with a warning), kept as they are for the next save.
        self._unusable: dict[str, Any] = {}
        self._stamp: tuple[int, int] | None = None

    @property
    def load_error(self) -> ProfileFileError | None:
        """Why the last :meth:`load` failed (then every write refuses), or None."""
        return self._load_error

    def __repr__(self) -> str:
        return f"ProfileStore(path={str(self.path)!r}, profiles={list(self.profiles)}, default={self.default!r})"

    # --- reading ----------------------------------------------------------------------------

    def load(self) -> ProfileStore:
        """Read the file (a missing file means no profiles). Raises :class:`ProfileFileError`."""
        self.profiles, self.default, self.prefs, self._extra, self._unusable = {}, None, Preferences(), {}, {}
        self._load_error = None
        self._stamp = None
        self.loaded = True
        if not self.path.exists():
            return self
        import tomllib  # (only when there is a file to read)

        try:
            self._tighten_permissions()
            raw = self.path.read_bytes()
            self._stamp = self._current_stamp()
            data = tomllib.loads(raw.decode("utf-8"))
            self._parse(data)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, _FileProblem) as exc:
            self.profiles, self.default, self.prefs, self._extra = {}, None, Preferences(), {}
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._load_error = ProfileFileError(
                f"Cannot read the profiles file {self.path}: {reason}. Fix it in an editor, or move it "
                "aside to start afresh; pollstui will not overwrite it meanwhile."
            )
            raise self._load_error from None
        return self

    def _parse(self, data: dict[str, Any]) -> None:
        profiles = data.get("profiles", {})
        if not isinstance(profiles, dict):
            raise _FileProblem("'profiles' must be a table of [profiles.NAME] sections")
        for name, table in profiles.items():
            if not _NAME.fullmatch(name):
                self._unusable[name] = table
                self._warn(
                    f"Skipped the profile {name!r} in {self.path}: a name may hold only letters, digits, "
                    "'-' and '_' (at most 64, starting with a letter or digit). Rename it in that file to use it."
                )
                continue
            self.profiles[name] = self._parse_profile(name, table)
        default = data.get("default")
        if default is not None and not isinstance(default, str):
            raise _FileProblem("'default' must be a profile name in quotes")
        if default and default not in self.profiles:
            self._warn(f"The default profile {default!r} in {self.path} does not exist; no default is set.")
            default = None
        self.default = default or None
        self.prefs = Preferences(data.get("theme"), data.get("keys"))
        self._extra = {k: v for k, v in data.items() if k not in ("default", "profiles", "theme", "keys")}

    def _parse_profile(self, name: str, table: Any) -> Profile:
        where = f"profile {name!r}"
        if not isinstance(table, dict):
            raise _FileProblem(f"{where} must be a table")
        for key in ("endpoint", "token"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                raise _FileProblem(f"{where} needs a non-empty '{key}' string")
        product = table.get("product", "jira")
        if product not in PRODUCTS:
            raise _FileProblem(f"{where} has product {product!r}; use \"jira\" or \"confluence\"")
        for key in ("read_only", "insecure"):
            if not isinstance(table.get(key, False), bool):
                raise _FileProblem(f"{where}: '{key}' must be true or false")
        recents, pinned = (
            read_refs(table, key, lambda why: self._warn(f"Skipped {why} of {where} in {self.path}."), limit=limit)
            for key, limit in (("recents", MAX_RECENTS), ("pinned", None))
        )
        concurrency = table.get("concurrency", 0)
        if type(concurrency) is not int or not 0 <= concurrency <= MAX_CONCURRENCY:
            self._warn(f"Ignored 'concurrency' of {where} in {self.path}: use a whole number from 1 to {MAX_CONCURRENCY}.")
            concurrency = 0
        site, sort = table.get("site", ""), table.get("sort", "")
        if not isinstance(site, str):
            raise _FileProblem(f"{where}: 'site' must be a URL in quotes")
        in_keyring = table["token"].strip() == KEYRING
        return Profile(
            name=name,
            endpoint=table["endpoint"].strip(),
            token="" if in_keyring else table["token"].strip(),
            token_in_keyring=in_keyring,
            product=product,
            read_only=table.get("read_only", False),
            insecure=table.get("insecure", False),
            recents=recents,
            site=site.strip(),
            sort=sort if isinstance(sort, str) else "",
            pinned=pinned,
            concurrency=concurrency,
            extra={k: v for k, v in table.items() if k not in _KNOWN_KEYS},
        )

    def _tighten_permissions(self) -> None:
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if not mode & 0o077:
            return
        if self.path.is_symlink():  # a file elsewhere: pollstui does not change its mode behind the user's back
            import shlex

            target = os.path.realpath(self.path)
            self._warn(
                f"{self.path} links to {target}, which other users can read (mode {mode:04o}) and which holds "
                f"access tokens; pollstui does not change a linked file's mode. Run: chmod 600 {shlex.quote(target)}"
            )
            return
        try:
            os.chmod(self.path, 0o600)
        except OSError as exc:
            import shlex

            self._warn(
                f"{self.path} can be read by other users (mode {mode:04o}) and holds access tokens; "
                f"pollstui could not change that ({exc.strerror}). Run: chmod 600 {shlex.quote(str(self.path))}"
            )
            return
        self._warn(
            f"{self.path} could be read by other users (mode {mode:04o}); it holds access tokens, "
            "so pollstui changed it to 0600."
        )

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        log.info("%s", message)

    def _current_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _fresh(self) -> None:
        """Load before a change: the first time, or when the file changed since it was read."""
        if self._load_error is not None:
            raise self._refusal()
        if not self.loaded or self._current_stamp() != self._stamp:
            self.load()

    def _refusal(self) -> ProfileFileError:
        assert self._load_error is not None
        return ProfileFileError(
            f"Not saving profiles: {self.path} could not be read ({self._load_error}). "
            "Fix or move that file first."
        )

    # --- looking up -------------------------------------------------------------------------

    def get(self, name: str) -> Profile:
        if not self.loaded:
            self.load()
        try:
            return self.profiles[name]
        except KeyError:
            pass
        if self.profiles:
            names = ", ".join(sorted(self.profiles))
            raise UnknownProfileError(f"No profile named {name!r}. Profiles: {names} (see `pollstui profile list`).")
        raise UnknownProfileError(
            f"No profile named {name!r}: there are no profiles yet. "
            "Add one with `pollstui profile add NAME --url '<the URL from the Polls app>'`."
        )

    def default_profile(self) -> Profile | None:
        """The default profile; the only profile when there is just one; else None."""
        if self.default:
            return self.profiles.get(self.default)
        if len(self.profiles) == 1:
            return next(iter(self.profiles.values()))
        return None

    def last_ref(self, name: str) -> ContentRef | None:
        return self.get(name).last_ref()

    # --- changing ---------------------------------------------------------------------------

    def add(
        self, profile: Profile, make_default_if_first: bool = True, *, replace: bool = False, keyring: bool = True
    ) -> str | None:
        """Add ``profile`` and save. Refuses an existing name unless ``replace``; a profile replaced
        gets the new connection (endpoint, token, product, read-only, insecure) and keeps the rest:
        its pinned and recent items (the new ones first), site unless a new one is given, sort,
        concurrency and the keys this version does not know.

        The token goes into the operating system's keyring when ``keyring`` and one works (an
        entry the name had there is replaced), else into the file. Returns a one-line note when
        a keyring was wanted but the token went into the file (why, and where it is), else None.
        """
        self._fresh()
        profile.name = check_profile_name(profile.name)
        profile.product = check_product(profile.product)
        profile.endpoint = check_endpoint(profile.endpoint, allow_insecure=profile.insecure)
        profile.token = profile.token.strip()
        if not profile.token:
            raise InvalidInputError(f"Profile {profile.name!r} needs a token.")
        register_secret(profile.token)
        if profile.name in self.profiles and not replace:
            raise InvalidInputError(
                f"A profile named {profile.name!r} already exists: remove it first "
                f"(`pollstui profile remove {profile.name}`) or choose another name."
            )
        previous = self.profiles.get(profile.name)
        if previous is not None:
            new = {r.key for r in profile.recents}
            profile.recents = [*profile.recents, *(r for r in previous.recents if r.key not in new)][:MAX_RECENTS]
            profile.pin(previous.pinned)
            profile.site = profile.site or previous.site
            profile.sort = profile.sort or previous.sort
            profile.concurrency = profile.concurrency or previous.concurrency
            profile.extra = {**previous.extra, **profile.extra}
        note = None
        profile.token_in_keyring = False
        if keyring:
            from pollstui import keychain

            try:
                keychain.store(profile.name, profile.token)
                profile.token_in_keyring = True
            except keychain.KeyringUnavailable as exc:
                note = f"{exc}, so the token is in {self.path}, which only you can read."
        if previous is not None and previous.token_in_keyring and not profile.token_in_keyring:
            self._forget_keyring_entry(profile.name)
        self.profiles[profile.name] = profile
        if make_default_if_first and self.default is None:
            self.default = profile.name
        self.save()
        return note

    def remove(self, name: str) -> str | None:
        """Remove a profile and save; return the new default (another profile takes over). Its
        token is deleted from the keyring too (a warning when that fails)."""
        self._fresh()
        profile = self.get(name)
        del self.profiles[name]
        if self.default == name or self.default not in self.profiles:
            self.default = next(iter(self.profiles), None)
        self.save()
        if profile.token_in_keyring:
            self._forget_keyring_entry(name)
        return self.default

    def migrate(self) -> list[str]:
        """Move every token kept in the file into the keyring and save; the profiles moved.
        :class:`KeyringError` (nothing changed) when no keyring works."""
        from pollstui import keychain

        self._fresh()
        moved = []
        for profile in self.profiles.values():
            if profile.token_in_keyring:
                continue
            try:
                keychain.store(profile.name, profile.token)
            except keychain.KeyringUnavailable as exc:
                if moved:
                    self.save()
                done = f" (moved before it: {', '.join(moved)})" if moved else ""
                raise KeyringError(
                    f"Cannot move the token of profile {profile.name!r} to the keyring: {exc}{done}. "
                    "The tokens not moved stay in the profiles file."
                ) from None
            profile.token_in_keyring = True
            moved.append(profile.name)
        if moved:
            self.save()
        return moved

    def _forget_keyring_entry(self, name: str) -> None:
        from pollstui import keychain

        try:
            keychain.delete(name)
        except keychain.KeyringUnavailable as exc:
            self._warn(
                f"Could not delete the token of profile {name!r} from the keyring ({exc}): delete the entry "
                f"service {keychain.SERVICE!r}, user {name!r} there yourself."
            )

    def use(self, name: str) -> None:
        """Make ``name`` the default profile and save."""
        self._fresh()
        self.get(name)
        self.default = name
        self.save()

    def touch_recent(self, name: str, ref: ContentRef) -> None:
        """Move ``ref`` to the front of the profile's recents (saved when that changes anything)."""
        self._fresh()
        if self.get(name).add_recent(ref):
            self.save()

    def remember(self, name: str, **values: str) -> None:
        """Set plain settings of a profile (``site``, ``sort``); saved when that changes anything."""
        self._fresh()
        profile = self.get(name)
        changed = {key: value for key, value in values.items() if getattr(profile, key) != value}
        if changed:
            for key, value in changed.items():
                setattr(profile, key, value)
            self.save()

    def remember_theme(self, theme: str) -> None:
        """Keep the TUI's theme (saved when that changes anything)."""
        self._fresh()
        if self.prefs.theme != theme:
            self.prefs.theme = theme
            self.save()

    def pin(self, name: str, refs: list[ContentRef], *, unpin: bool = False) -> list[ContentRef]:
        """Pin ``refs`` to the profile (at the end, each once), or unpin them; saved; return what changed."""
        self._fresh()
        if changed := self.get(name).pin(refs, unpin=unpin):
            self.save()
        return changed

    def remove_recent(self, name: str, ref: ContentRef) -> None:
        self._fresh()
        profile = self.get(name)
        kept = [r for r in profile.recents if r.key != ref.key]
        if kept != profile.recents:
            profile.recents = kept
            self.save()

    # --- writing ----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the file atomically (0600, directory 0700)."""
        if self._load_error is not None:
            raise self._refusal()
        if not self.loaded and self.path.exists():
            raise ProfileFileError(f"Not saving profiles: {self.path} exists and was not loaded first.")
        try:
            paths.write_private_file(self.path, self.dumps())
        except OSError as exc:
            raise ProfileWriteError(
                f"Could not save the profiles file {self.path}: {exc.strerror or exc}. "
                "It is unchanged; free some space or check that folder's permissions, then try again."
            ) from None
        self.loaded = True
        self._stamp = self._current_stamp()

    def dumps(self) -> str:
        """The file's text (:mod:`pollstui.profiles_text`); unusable profiles' tables kept as read."""
        from pollstui.profiles_text import profiles_text
        return profiles_text(self.default, vars(self.prefs), self._extra, self.profiles, self._unusable)
