"""The profile commands: add, list, use, remove, show, migrate, and items add|remove|list (the pinned items)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from pollstui.api.address import ContentRef, endpoint_host, parse_items, parse_pasted_url
from pollstui.api.errors import mask_token, redact, register_secret
from pollstui.cli.common import UsageError, loaded_store, note, read_text, stdin_is_tty, terminal_width, warn
from pollstui.cli.output import format_tsv, json_text
from pollstui.profiles import Profile, ProfileStore
from pollstui.settings import ENV_TOKEN
from pollstui.text import one_line
from pollstui.site import check_site


def cmd_profile_add(args: argparse.Namespace) -> int:
    recents: list[ContentRef] = []
    if args.token and args.token_stdin:
        raise UsageError("Pass --token or --token-stdin, not both.")
    if args.url:
        if args.endpoint:
            raise UsageError("Pass --url or --endpoint, not both.")
        pasted = parse_pasted_url(args.url)
        endpoint, token = pasted.endpoint, args.token or pasted.token
        product = args.product or (pasted.product if pasted.content else "jira")
        if pasted.content:
            recents.append(pasted.content_ref(product))
    elif args.endpoint:
        endpoint, token, product = args.endpoint, args.token or "", args.product or "jira"
    else:
        raise UsageError(
            "Say where to connect: --url '<the URL from the Polls app>', or --endpoint URL "
            f"(the token then comes from --token-stdin, {ENV_TOKEN}, or a prompt)."
        )
    site = check_site(args.site) if getattr(args, "site", None) else ""  # before any token prompt
    if args.token_stdin:
        token = _token_from_stdin()
    token = token or os.environ.get(ENV_TOKEN, "").strip() or _token_from_prompt(endpoint)
    register_secret(token)
    store = loaded_store()
    profile = Profile(args.name, endpoint, token, product, read_only=args.read_only, insecure=args.insecure,
                      recents=recents, site=site)
    # As `gh auth login` does: adding a name again replaces its connection (its items are kept).
    replaced = args.name.strip() in store.profiles
    fallback = store.add(profile, keyring=not args.insecure_storage, replace=True)
    if fallback:
        note(fallback)
    for warning in store.warnings:  # the replaced token, which the keyring could not delete
        warn(warning)
    if args.json:
        print(json_text(profile_data(profile, store.default)))
        return 0
    default = " It is the default profile." if store.default == profile.name else ""
    where = "the keyring" if profile.token_in_keyring else "the profiles file"
    done = "Replaced" if replaced else "Added"
    kept = ", keeping its pinned and recent items" if replaced else ""
    print(one_line(f"{done} profile {profile.name!r} ({profile.product}, {endpoint_host(profile.endpoint)}){kept}; "
                   f"its token is in {where}.{default}"))  # fmt: skip
    return 0


def _token_from_stdin() -> str:
    """The token piped in (``--token-stdin``), as ``docker login --password-stdin`` reads it."""
    token = sys.stdin.read().strip()
    if not token:
        raise UsageError("--token-stdin read nothing: pipe the token in, e.g. `pass polls/work | pollstui profile add …`.")
    if any(ch.isspace() for ch in token):
        raise UsageError("--token-stdin read more than one word: pipe in the token alone.")
    return token


def _token_from_prompt(endpoint: str) -> str:
    """The token typed at a prompt that does not echo it; a usage error when there is no terminal."""
    if not stdin_is_tty():
        raise UsageError(
            f"No token: the URL has none, {ENV_TOKEN} is not set, and stdin is not a terminal to ask on. "
            f"Pipe it in with --token-stdin, or set {ENV_TOKEN}."
        )
    import getpass

    token = getpass.getpass(f"Token for {endpoint_host(endpoint)} (not shown): ").strip()
    if not token:
        raise UsageError("No token given: nothing was saved.")
    return token


def profile_data(profile: Profile, default: str | None) -> dict:
    """A profile as `profile list/show --json` print it: the token masked, never whole."""
    return {
        "name": profile.name,
        "default": profile.name == default,
        "endpoint": redact(profile.endpoint),
        "token": profile.shown_token(),
        "tokenStorage": profile.token_place,
        "product": profile.product,
        "readOnly": profile.read_only,
        "insecure": profile.insecure,
        "site": profile.site,
        "pinned": [ref.label for ref in profile.pinned],
        "recents": [ref.label for ref in profile.recents],
    }


def cmd_profile_list(args: argparse.Namespace) -> int:
    store = loaded_store()
    if args.json:
        print(json_text([profile_data(p, store.default) for p in store.profiles.values()]))
        return 0
    terminal = terminal_width() is not None
    if not store.profiles:
        message = "No profiles yet. Add one with: pollstui profile add NAME --url '<the URL from the Polls app>'"
        print(message, file=sys.stdout if terminal else sys.stderr)
        return 0
    names = {name: one_line(name) for name in store.profiles}  # names and hosts come from a file
    if not terminal:  # for scripts: tab-separated, one profile a line
        rows = [
            ["*" if name == store.default else "", names[name], p.product, one_line(endpoint_host(p.endpoint)), p.shown_token(),
             ",".join(f for f, on in (("read-only", p.read_only), ("insecure", p.insecure)) if on)]
            for name, p in store.profiles.items()
        ]  # fmt: skip
        header = None if args.no_headers else ["DEFAULT", "NAME", "PRODUCT", "HOST", "TOKEN", "FLAGS"]
        print(format_tsv(header, rows))
        return 0
    name_width = max(len(n) for n in names.values())
    for name, profile in store.profiles.items():
        mark = "*" if name == store.default else " "
        flags = ", ".join(f for f, on in (("read-only", profile.read_only), ("insecure", profile.insecure)) if on)
        line = (
            f"{mark} {names[name]:<{name_width}}  {profile.product:<10}  {one_line(endpoint_host(profile.endpoint))}  "
            f"token {profile.shown_token()}"
        )
        print(f"{line}  {flags}".rstrip())
    if not args.no_headers:
        print("(* = default)")
    return 0


def cmd_profile_use(args: argparse.Namespace) -> int:
    store = loaded_store()
    store.use(args.name)
    if args.json:
        print(json.dumps({"default": args.name}, ensure_ascii=False))
        return 0
    print(one_line(f"{args.name!r} is now the default profile."))
    return 0


def cmd_profile_remove(args: argparse.Namespace) -> int:
    store = loaded_store()
    default = store.remove(args.name)
    for warning in store.warnings:  # a token the keyring could not delete
        warn(warning)
    if args.json:
        print(json.dumps({"removed": args.name, "default": default}, ensure_ascii=False))
        return 0
    then = f" The default profile is now {default!r}." if default else ""
    print(one_line(f"Removed profile {args.name!r}.{then}"))
    return 0


def _token_place(profile: Profile, path: object) -> str:
    """Where a profile's token lives, for `profile show`, without reading a keyring's secret."""
    if profile.token_in_keyring:
        from pollstui import keychain

        return f"in the keyring (service {keychain.SERVICE!r}, user {profile.name!r})"
    return f"{mask_token(profile.token)} (in the profiles file, {one_line(str(path))})"


def cmd_profile_migrate(args: argparse.Namespace) -> int:
    """Move the tokens kept in the profiles file into the keyring."""
    store = loaded_store()
    moved = store.migrate()
    if args.json:
        print(json_text({"moved": moved}))
        return 0
    if not moved:
        print("No token to move: every profile's token is in the keyring already." if store.profiles else "No profiles yet.")
        return 0
    names = ", ".join(repr(name) for name in moved)
    print(one_line(f"Moved the token of {names} to the keyring; {store.path} holds none of them now."))
    return 0


def cmd_profile_show(args: argparse.Namespace) -> int:
    store = loaded_store()
    if args.name:
        profile = store.get(args.name)
    else:
        profile = store.default_profile()
        if profile is None:
            raise UsageError("There is no default profile: name one (see `pollstui profile list`).")
    if args.json:
        print(json_text(profile_data(profile, store.default)))
        return 0
    lines = [
        f"name       {one_line(profile.name)}{'  (default)' if profile.name == store.default else ''}",
        f"endpoint   {one_line(redact(profile.endpoint))}",
        f"token      {_token_place(profile, store.path)}",
        f"product    {profile.product}",
        f"read-only  {'yes' if profile.read_only else 'no'}",
        f"insecure   {'yes (plain http allowed)' if profile.insecure else 'no'}",
        f"site       {one_line(profile.site) or '(none: o and QR codes need one)'}",
    ]
    if profile.pinned:
        lines.append("pinned     " + "\n           ".join(one_line(ref.label) for ref in profile.pinned))
    if profile.recents:
        lines.append("recent     " + "\n           ".join(one_line(ref.label) for ref in profile.recents))
    print("\n".join(lines))
    return 0


# --- pinned items ---------------------------------------------------------------------------


def _items_profile(store: ProfileStore, words: list[str]) -> tuple[Profile, list[str]]:
    """The profile the words name first (else the default one), and the words after it."""
    if words and words[0] in store.profiles:
        return store.profiles[words[0]], words[1:]
    profile = store.default_profile()
    if profile is None:
        if not store.profiles:
            store.get("")  # the "no profiles yet" error, with how to add one
        raise UsageError("There is no default profile: name one first (see `pollstui profile list`).")
    return profile, words


def _item_refs(args: argparse.Namespace, profile: Profile, words: list[str]) -> list[ContentRef]:
    """The items the words give ('-' reads more from stdin), for ``profile``'s product and endpoint."""
    texts = [read_text("-", "stdin") if word == "-" else word for word in words]
    if not texts:
        raise UsageError(
            "No items given: name issue keys (PLAT-1 PLAT-2), PAGE:MACRO ids or pasted URLs, or '-' to read them from stdin."
        )
    space = args.space or only_space(profile)
    return parse_items(texts, profile.product, profile.endpoint, space)


def only_space(profile: Profile) -> str:
    """The Confluence space every item of the profile is in, when there is exactly one."""
    spaces = {ref.workspace for ref in (*profile.pinned, *profile.recents) if ref.product == "confluence"}
    return spaces.pop() if len(spaces) == 1 else ""


def _labels(refs: list[ContentRef]) -> str:
    return ", ".join(one_line(ref.label) for ref in refs)


def cmd_profile_items_add(args: argparse.Namespace) -> int:
    store = loaded_store()
    profile, words = _items_profile(store, args.words)
    refs = _item_refs(args, profile, words)
    added = store.pin(profile.name, refs)
    if args.json:
        print(json_text({"profile": profile.name, "added": [r.to_dict() for r in added],
                         "pinned": [r.to_dict() for r in profile.pinned]}))  # fmt: skip
        return 0
    had = len(refs) - len(added)
    already = f" ({had} already pinned)" if had and added else ""
    if added:
        print(one_line(f"Pinned {_count(len(added))} to profile {profile.name!r}{already}: {_labels(added)}."))
    else:
        print(one_line(f"Nothing new: {_labels(refs)} {'is' if len(refs) == 1 else 'are'} already pinned to {profile.name!r}."))
    return 0


def cmd_profile_items_remove(args: argparse.Namespace) -> int:
    store = loaded_store()
    profile, words = _items_profile(store, args.words)
    refs = _item_refs(args, profile, words)
    removed = store.pin(profile.name, refs, unpin=True)
    if args.json:
        print(json_text({"profile": profile.name, "removed": [r.to_dict() for r in removed],
                         "pinned": [r.to_dict() for r in profile.pinned]}))  # fmt: skip
        return 0
    missing = [r for r in refs if all(r.key != x.key for x in removed)]
    if missing:
        warn(f"not pinned to {profile.name!r}, so not removed: {_labels(missing)}")
    if removed:
        print(one_line(f"Unpinned {_count(len(removed))} from profile {profile.name!r}: {_labels(removed)}."))
    return 0 if removed or not missing else 4


def cmd_profile_items_list(args: argparse.Namespace) -> int:
    store = loaded_store()
    profile, _ = _items_profile(store, [args.words] if args.words else [])
    if args.words and args.words not in store.profiles:
        store.get(args.words)  # the "no profile named …" error
    if args.json:
        print(json_text([ref.to_dict() for ref in profile.pinned]))
        return 0
    if not profile.pinned:
        message = f"No items pinned to {profile.name!r}. Pin some with: pollstui profile items add PLAT-1 PLAT-2"
        print(message, file=sys.stdout if terminal_width() is not None else sys.stderr)
        return 0
    for ref in profile.pinned:
        print(one_line(ref.label))
    return 0


def _count(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


# --- server, demo, TUI, info -----------------------------------------------------------------
