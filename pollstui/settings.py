"""Where a session's connection comes from: flags > environment > profile file.

The one place the three are merged. Pure stdlib, so the CLI resolves it before loading httpx.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from pollstui.api.address import (
    ContentRef,
    PastedURL,
    check_endpoint,
    check_product,
    endpoint_host,
    parse_pasted_url,
)
from pollstui.api.errors import InvalidInputError, mask_token, register_secret
from pollstui.profiles import Profile, ProfileFileError, ProfileStore


@dataclass
class Connection:
    """Everything needed to talk to one endpoint, and which content to open first."""

    endpoint: str
    token: str
    product: str  # "jira" | "confluence"
    profile_name: str | None = None  # None when the connection came from flags/env only
    read_only: bool = False
    allow_insecure: bool = False
    ref: ContentRef | None = None  # the content item to open/act on, when known

    @property
    def host(self) -> str:
        return endpoint_host(self.endpoint)

    def __repr__(self) -> str:
        return (
            f"Connection(endpoint={self.endpoint!r}, token={mask_token(self.token)!r}, product={self.product!r}, "
            f"profile_name={self.profile_name!r}, read_only={self.read_only}, ref={self.ref!r})"
        )

    def make_client(self, **kwargs):
        """A PollsClient for this connection (imports httpx only now); ``POLLSTUI_TIMEOUT`` and
        ``POLLSTUI_MAX_BODY`` apply."""
        from pollstui.api.client import PollsClient

        timeout = request_timeout()
        if timeout is not None:
            kwargs.setdefault("timeout", timeout)
        limit = max_body()
        if limit is not None:
            kwargs.setdefault("max_body", limit)
        return PollsClient(self.endpoint, self.token, allow_insecure=self.allow_insecure, **kwargs)


#: Seconds a request may take in all (connect, send, answer, retries and the waits between them);
#: unset: the client's default (60 s, for a slow web trigger).
ENV_TIMEOUT = "POLLSTUI_TIMEOUT"


def request_timeout(env: Mapping[str, str] = os.environ) -> float | None:
    """``POLLSTUI_TIMEOUT`` as seconds, None when unset; InvalidInputError when not a positive number."""
    return seconds(ENV_TIMEOUT, env, example="30")


def seconds(name: str, env: Mapping[str, str] = os.environ, *, example: str) -> float | None:
    """The environment variable ``name`` as seconds, None when unset; InvalidInputError (suggesting
    ``example``) when it is not a number above 0."""
    text = (env.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise InvalidInputError(f"{name}={text!r} is not a number of seconds above 0: unset it, or set it to e.g. {example}.")
    return value


#: The largest answer pollstui reads, in bytes (``16MiB``, ``512KiB`` and plain numbers too);
#: unset: the client's default (16 MiB).
ENV_MAX_BODY = "POLLSTUI_MAX_BODY"

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2, "mib": 1024**2,
          "g": 1024**3, "gb": 1024**3, "gib": 1024**3}  # fmt: skip


def max_body(env: Mapping[str, str] = os.environ) -> int | None:
    """``POLLSTUI_MAX_BODY`` in bytes, None when unset; InvalidInputError when it is not a size
    above 0 (a number of bytes, or with a unit: ``32MiB``, ``512k``; units are powers of 1024)."""
    text = (env.get(ENV_MAX_BODY) or "").strip()
    if not text:
        return None
    number = text.rstrip("bBkKmMgGiI ")
    unit = _UNITS.get(text[len(number):].strip().lower())
    try:
        value = float(number) * unit if unit is not None and number.strip().isascii() else math.nan
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 1):
        raise InvalidInputError(f"{ENV_MAX_BODY}={text!r} is not a size: unset it, or set it to e.g. 64MiB.")
    return int(value)


# --- where a connection comes from ---------------------------------------------------------

#: Environment variables read by :func:`resolve_connection`.
ENV_URL = "POLLS_URL"
ENV_TOKEN = "POLLS_TOKEN"
ENV_PROFILE = "POLLS_PROFILE"

SETUP_HINT = (
    "add a profile with `pollstui profile add NAME --url '<the URL from the Polls app>'`, "
    f"or set {ENV_URL} (and {ENV_TOKEN}), or try the built-in demo with `pollstui demo` (it needs the server extra)."
)


class NotConfiguredError(InvalidInputError):
    """Nothing names an endpoint: no flags, no environment variables, no profile."""


def resolve_connection(
    *,
    profile: str | None = None,
    url: str | None = None,
    endpoint: str | None = None,
    token: str | None = None,
    workspace: str | None = None,
    content: str | None = None,
    container: str | None = None,
    product: str | None = None,
    read_only: bool = False,
    insecure: bool = False,
    env: Mapping[str, str] = os.environ,
    store: ProfileStore | None = None,
) -> Connection:
    """Merge flags, environment and profile file into one :class:`Connection`.

    Each value comes from the first place that has it:

    1. flags: ``--endpoint``/``--token``/``--workspace``/``--content``/``--container``/``--product``,
       then the parts of ``--url``;
    2. the environment: ``POLLS_TOKEN``, then the parts of ``POLLS_URL`` (skipped when
       ``--profile`` names a profile: an explicit flag outranks the environment);
    3. a profile: the one ``--profile`` names, else ``POLLS_PROFILE``, else the default profile.
       The default profile is only used when it talks to the same endpoint (or no endpoint was
       given), so its token never goes to another host.

    The content item comes from the flags and the URL; without any, from the profile's most
    recent one. ``ref`` stays None when nothing names content. The product: ``product`` when
    given; else Confluence when a container is given as a flag (Confluence needs one, Jira has
    none); else a URL with a container is Confluence's, one without is Jira's; else the
    profile's; else Jira. A content item that does not fit the product is an error that says
    why pollstui chose that product and names ``--product``.
    """
    register_secret(token)
    register_secret(env.get(ENV_TOKEN))
    flag_url = parse_pasted_url(url) if url and url.strip() else None
    use_env = profile is None
    env_url_text = (env.get(ENV_URL) or "").strip() if use_env else ""
    env_url = parse_pasted_url(env_url_text) if env_url_text else None
    env_token = (env.get(ENV_TOKEN) or "").strip() if use_env else ""

    given_endpoint = _first((endpoint, _part(flag_url, "endpoint"), _part(env_url, "endpoint")))
    given_token = _first((token, _part(flag_url, "token"), env_token, _part(env_url, "token")))

    named = profile or (env.get(ENV_PROFILE) or "").strip() or None
    chosen = _pick_profile(store, named, need=bool(named) or not (given_endpoint and given_token))
    if chosen is not None and not named and given_endpoint and not _same_endpoint(given_endpoint, chosen.endpoint):
        chosen = None  # the default profile is for another endpoint: keep its token away from this one

    endpoint_ = given_endpoint or (chosen.endpoint if chosen else "")
    token_ = given_token or (chosen.secret() if chosen else "")
    if not endpoint_ and not token_:
        raise NotConfiguredError(f"pollstui has no connection set up yet: {SETUP_HINT}")
    if not endpoint_:
        raise InvalidInputError(
            f"A token was given but no endpoint: pass --url or --endpoint, set {ENV_URL}, or use a profile (--profile NAME)."
        )
    if not token_:
        raise InvalidInputError(
            f"No token for {endpoint_host(endpoint_)}: pass --token, set {ENV_TOKEN}, "
            "or use the whole URL from the Polls app (it includes token=…)."
        )
    allow_insecure = insecure or bool(chosen and chosen.insecure)
    endpoint_ = check_endpoint(endpoint_, allow_insecure=allow_insecure)

    pasted = flag_url or env_url
    pasted_names_content = bool(pasted and pasted.content)
    container = (container or "").strip() or None
    if product:
        product_, why = check_product(product), f"--product {product.strip().lower()}"
    elif container:
        # A container is Confluence's (the poll macro on a page): with plain flags, that is the product.
        if chosen is not None and chosen.product == "jira":
            raise InvalidInputError(
                f"--container is for Confluence (the poll macro on a page), but profile {chosen.name!r} talks to "
                "Jira. Drop --container for a Jira issue, or pass --product confluence if this endpoint serves Confluence."
            )
        product_, why = "confluence", "--container was given"
    elif pasted_names_content:
        product_ = pasted.product  # type: ignore[union-attr]
        why = "the URL has a container" if product_ == "confluence" else "the URL has no container"
    else:
        product_ = chosen.product if chosen else "jira"
        why = f"profile {chosen.name!r} talks to {_NAMES[product_]}" if chosen else "that is the default"
    if container and product_ == "jira":
        raise InvalidInputError(
            "--container is for Confluence (the poll macro on a page), but --product jira was given: "
            "drop --container, or pass --product confluence."
        )

    ref = None
    if workspace or content or container or pasted_names_content:
        base = pasted if pasted_names_content else None
        if content and product_ == "jira" and not workspace:
            workspace_ = ""  # a Jira issue key names its project: don't mix in the URL's
        else:
            workspace_ = workspace or _part(base, "workspace")
        try:
            ref = ContentRef.create(
                product_,
                workspace_,
                content or _part(base, "content"),
                container or _part(base, "container"),
            )
        except InvalidInputError as exc:
            # Say why pollstui took it for this product, and how to say otherwise.
            other = "confluence" if product_ == "jira" else "jira"
            raise InvalidInputError(
                f"{exc} (pollstui read it as {_NAMES[product_]} because {why}; if it is a {_NAMES[other]} "
                f"{'page' if other == 'confluence' else 'issue'}, pass --product {other}.)"
            ) from None
    elif chosen is not None:
        ref = next((r for r in chosen.recents if r.product == product_), None)

    return Connection(
        endpoint=endpoint_,
        token=token_,
        product=product_,
        profile_name=chosen.name if chosen else None,
        read_only=read_only or bool(chosen and chosen.read_only),
        allow_insecure=allow_insecure,
        ref=ref,
    )


_NAMES = {"jira": "Jira", "confluence": "Confluence"}


def _first(values: tuple[str | None, ...]) -> str:
    for value in values:
        if value and value.strip():
            return value.strip()
    return ""


def _part(pasted: PastedURL | None, name: str) -> str:
    return getattr(pasted, name) if pasted is not None else ""


def _same_endpoint(a: str, b: str) -> bool:
    return a.strip().rstrip("/") == b.strip().rstrip("/")


def _pick_profile(store: ProfileStore | None, name: str | None, *, need: bool) -> Profile | None:
    """The named profile, else the default one; loads the store if needed.

    When flags and environment already give endpoint and token (``need`` false), an unreadable
    profiles file is not an obstacle.
    """
    store = store if store is not None else ProfileStore()
    try:
        if not store.loaded:
            store.load()
    except ProfileFileError:
        if need:
            raise
        return None
    if name:
        return store.get(name)
    chosen = store.default_profile()
    if chosen is None and len(store.profiles) > 1 and need:
        names = ", ".join(sorted(store.profiles))
        raise InvalidInputError(
            f"There are several profiles ({names}) and none is the default: pass --profile NAME, "
            "or choose one with `pollstui profile use NAME`."
        )
    return chosen
