"""Where polls live: :class:`ContentRef`, pasted-URL parsing and endpoint checks.

Pure stdlib on purpose: the CLI parses addresses before it loads httpx or pydantic.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlsplit, urlunsplit

from pollstui.api.errors import InvalidInputError, mask_userinfo, redact, register_secret

Product = Literal["jira", "confluence"]
PRODUCTS: tuple[str, ...] = ("jira", "confluence")

_JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]*-[1-9][0-9]*$")
_JIRA_PROJECT = re.compile(r"^[A-Z][A-Z0-9_]*$")


def check_product(product: str) -> Product:
    value = product.strip().lower()
    if value not in PRODUCTS:
        raise InvalidInputError(f"Unknown product {product!r}: use 'jira' or 'confluence'.")
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class ContentRef:
    """One content item that holds polls: a Jira issue, or a poll macro on a Confluence page.

    Build it with :meth:`create`, which validates and normalises every value.
    """

    product: Product
    workspace: str
    content: str
    container: str = ""

    @classmethod
    def create(cls, product: str, workspace: str, content: str, container: str | None = "") -> ContentRef:
        product_ = check_product(product)
        workspace = (workspace or "").strip()
        content = (content or "").strip()
        container = (container or "").strip()
        if product_ == "jira":
            workspace = workspace.upper()
            content = content.upper()
            if not content:
                raise InvalidInputError("No Jira issue given: pass an issue key such as PLAT-123.")
            if not _JIRA_KEY.match(content):
                raise InvalidInputError(
                    f"{content!r} is not a Jira issue key: it should look like PLAT-123 "
                    "(project key, a dash, the issue number)."
                )
            if not workspace:
                workspace = content.rsplit("-", 1)[0]
            if not _JIRA_PROJECT.match(workspace):
                raise InvalidInputError(
                    f"{workspace!r} is not a Jira project key: it should look like PLAT (letters and digits)."
                )
            container = ""
        else:
            if not workspace:
                raise InvalidInputError("No Confluence space given: pass the space id as the workspace.")
            if not content:
                raise InvalidInputError("No Confluence page given: pass the page id as the content.")
            if not container:
                raise InvalidInputError(
                    "Confluence needs a container: pass the macro id of the poll macro on the page "
                    "(the `container` value of the URL the app shows)."
                )
            for name, value in (("space id", workspace), ("page id", content), ("container", container)):
                if any(ch.isspace() for ch in value):
                    raise InvalidInputError(f"The {name} {value!r} contains spaces: copy it again from the URL.")
        return cls(product_, workspace, content, container)

    def query(self, poll_id: str | None = None, *, results: bool = False) -> dict[str, str]:
        """The query parameters of a request for this content item's polls (``poll_id``: one of
        them; ``results``: with their results), without the token."""
        params = {"type": "polls", "workspace": self.workspace, "content": self.content}
        if self.product == "confluence":
            params["container"] = self.container
        if poll_id is not None:
            params["pollId"] = poll_id
        if results:
            params["expand"] = "results"
        return params

    @property
    def label(self) -> str:
        """Short human name: ``PLAT-123`` or ``page 98765 · macro abc``."""
        if self.product == "jira":
            return self.content
        return f"{self.content} · {self.container}"

    @property
    def key(self) -> str:
        """A stable string id for caches, drafts and the sidebar."""
        return "/".join((self.product, self.workspace, self.content, self.container))

    @property
    def item(self) -> str:
        """The item as :func:`parse_item` reads it back: ``PLAT-123``, ``SPACE:PAGE:MACRO``."""
        return self.content if self.product == "jira" else f"{self.workspace}:{self.content}:{self.container}"

    def to_dict(self) -> dict[str, str]:
        return {"product": self.product, "workspace": self.workspace, "content": self.content, "container": self.container}

    @classmethod
    def from_dict(cls, data: dict) -> ContentRef:
        return cls.create(data.get("product", "jira"), data.get("workspace", ""), data.get("content", ""), data.get("container", ""))


@dataclass(frozen=True)
class PastedURL:
    """The parts of a docs-style URL: ``<endpoint>?token=…&type=polls&workspace=…&content=…[&container=…]``."""

    endpoint: str
    token: str
    workspace: str
    content: str
    container: str

    @property
    def product(self) -> Product:
        """A URL with a container is Confluence's, one without is Jira's."""
        return "confluence" if self.container else "jira"

    def content_ref(self, product: str | None = None) -> ContentRef:
        return ContentRef.create(product or self.product, self.workspace, self.content, self.container)

    def __repr__(self) -> str:  # never show the token
        return (
            f"PastedURL(endpoint={self.endpoint!r}, token='***', workspace={self.workspace!r}, "
            f"content={self.content!r}, container={self.container!r})"
        )


def parse_pasted_url(url: str) -> PastedURL:
    """Split a URL in the form of the docs' example into its parts.

    Only the endpoint is required; a URL without a token, workspace or content yields empty
    strings for them, so a caller can fill them from elsewhere.
    """
    text = url.strip().strip("'\"<>")
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. "Invalid IPv6 URL"
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInputError(
            "That is not a URL the Polls API uses: paste the whole URL, starting with https://."
        )
    query = parse_qs(parts.query, keep_blank_values=True)

    def one(name: str) -> str:
        values = query.get(name) or [""]
        return values[-1].strip()

    token = one("token")
    register_secret(token)
    endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return PastedURL(endpoint, token, one("workspace"), one("content"), one("container"))


def build_url(endpoint: str, token: str, ref: ContentRef) -> str:
    """The docs-style URL for ``ref`` (the inverse of :func:`parse_pasted_url`)."""
    from urllib.parse import urlencode

    return f"{endpoint}?{urlencode({'token': token, **ref.query()})}"


def parse_item(text: str, product: str, endpoint: str = "", space: str = "", container: str = "") -> ContentRef:
    """One content item as a user types or pastes it, for a profile of ``product`` on ``endpoint``.

    ========================  ====================================================================
    ``PLAT-123``              a Jira issue key (lower case is read as upper)
    ``557057:a1b2c3``         Confluence: page id and the poll macro's id, in ``space``
    ``98306:557057:a1b2c3``   Confluence: space id, page id and macro id
    ``557057``                Confluence: a page id alone, with ``container`` as its macro
    ``https://…?…content=…``  the URL the Polls app shows (its endpoint must be ``endpoint``
                              when one is given; its token is never used)
    ========================  ====================================================================

    Raises InvalidInputError saying what to type instead.
    """
    value = text.strip().strip("'\"<>")
    jira = product == "jira"
    if not value:
        raise InvalidInputError(
            "Type an issue key such as PLAT-123, a page id, or paste the URL the Polls app shows."
            if jira
            else "Type a page id, or paste the URL the Polls app shows."
        )
    if "://" in value:
        pasted = parse_pasted_url(value)
        if endpoint and pasted.endpoint.rstrip("/") != endpoint.rstrip("/"):
            raise InvalidInputError(
                f"That URL belongs to another endpoint ({endpoint_host(pasted.endpoint)}); this profile talks to "
                f"{endpoint_host(endpoint)}. Add it as a profile of its own (pollstui profile add)."
            )
        if pasted.container and jira:
            raise InvalidInputError("That URL is a Confluence one (it names a container), but this profile is for Jira.")
        if not pasted.content:
            raise InvalidInputError("That URL names no content item: it needs content=… (and workspace=…).")
        return pasted.content_ref(product)
    if jira:
        return ContentRef.create("jira", "", value)
    parts = value.split(":")
    if len(parts) == 3:
        space, page, container = parts
    elif len(parts) == 2:
        page, container = parts
    elif len(parts) == 1:
        page = value
    else:
        raise InvalidInputError(f"{value!r} is not a Confluence item: write PAGE:MACRO, SPACE:PAGE:MACRO or paste the URL.")
    if not space.strip():
        raise InvalidInputError(
            f"{value!r} needs its space: write SPACE:PAGE:MACRO, give the space id, or paste the URL the Polls app shows."
        )
    return ContentRef.create("confluence", space, page, container)


#: What separates the items of a pasted list: spaces, commas, semicolons, line breaks.
_ITEM_SEPARATORS = re.compile(r"[\s,;]+")


def split_items(text: str) -> list[str]:
    """The items of a pasted list, in order: separated by spaces, commas, semicolons or lines."""
    return [part for part in _ITEM_SEPARATORS.split(text) if part]


def parse_items(
    texts: str | list[str], product: str, endpoint: str = "", space: str = "", container: str = ""
) -> list[ContentRef]:
    """Every item of a pasted list (see :func:`split_items`, :func:`parse_item`), in order, each once.

    One InvalidInputError naming every item that cannot be read (and why), so a list is taken
    whole or not at all; an empty list is an error too.
    """
    words = split_items(texts if isinstance(texts, str) else " ".join(texts))
    if not words:
        raise InvalidInputError(
            "No content items given: type issue keys (PLAT-1 PLAT-2), PAGE:MACRO ids or pasted URLs, "
            "separated by spaces, commas or lines."
        )
    refs: dict[str, ContentRef] = {}
    problems: list[str] = []
    for word in words:
        try:
            ref = parse_item(word, product, endpoint, space, container)
        except InvalidInputError as exc:
            problems.append(str(exc) if len(words) == 1 else f"{redact(word)!r}: {exc}")
            continue
        refs.setdefault(ref.key, ref)
    if problems:
        nothing = "" if len(words) == 1 else " Nothing was taken; fix those and try again."
        raise InvalidInputError(" ".join(problems) + nothing)
    return list(refs.values())


def is_loopback_host(host: str, *, resolve: Callable[..., list] | None = None) -> bool:
    """Whether ``host`` is this machine: ``localhost``, an address in 127.0.0.0/8, or ``::1``.

    A name under ``.localhost`` counts only when it resolves, and only to loopback addresses
    (RFC 6761 reserves it, but a resolver may send it anywhere). Any other name does not count,
    however it resolves: plain http is allowed to loopback only.
    """
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if not host.endswith(".localhost"):
        return False
    try:
        addresses = {info[4][0] for info in (resolve or socket.getaddrinfo)(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(_loopback_address(a) for a in addresses)


def _loopback_address(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def check_endpoint(endpoint: str, *, allow_insecure: bool = False) -> str:
    """Validate an endpoint URL and return it without query or fragment.

    Plain ``http://`` is accepted only for loopback hosts, since the token travels in the URL;
    ``allow_insecure`` lifts that rule. A control character anywhere (an escape pasted along) is
    refused: no URL may hold one.
    """
    try:
        parts = urlsplit(endpoint.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0-65535
    except ValueError:  # also "Invalid IPv6 URL"
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError(
            f"{redact(endpoint)!r} is not an endpoint URL: it should start with https:// and name a host."
        )
    control = next((ch for ch in endpoint.strip() if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0), None)
    if control is not None:
        raise InvalidInputError(
            f"The endpoint URL holds a control character (U+{ord(control):04X}), which no URL may: copy it "
            "again from the Polls app into --endpoint, --url, POLLS_URL or the profile (pollstui profile show)."
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname) and not allow_insecure:
        raise InvalidInputError(
            f"Refusing plain http:// to {parts.hostname}: the token would travel unencrypted. "
            "Use https://, or pass --insecure if you really mean it."
        )
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def endpoint_host(endpoint: str) -> str:
    """The host (and port) of an endpoint, for headers and titles: never ``user:password@``."""
    try:
        netloc = urlsplit(endpoint).netloc
    except ValueError:
        netloc = ""
    return netloc.rpartition("@")[2] if netloc else mask_userinfo(endpoint)
