"""Where polls live: ContentRef validation, pasted URLs, endpoint checks."""

from __future__ import annotations

import pytest

from pollstui.api.address import (
    ContentRef,
    PastedURL,
    build_url,
    check_endpoint,
    endpoint_host,
    parse_pasted_url,
)
from pollstui.api.errors import InvalidInputError, PollsError
from pollstui.cli.errors import exit_code

DOCS_ENDPOINT = "https://1d609651-8def-4d6b-aadc-d4e843273d1d.hello.atlassian-dev.net/x1/xs2i4ODeo611kO2x4adU6sCYcqM"
DOCS_TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
DOCS_URL = f"{DOCS_ENDPOINT}?token={DOCS_TOKEN}&type=polls&workspace=PLAT&content=PLAT-254604"


# --- ContentRef ---------------------------------------------------------------------------


def test_jira_ref_is_normalised() -> None:
    ref = ContentRef.create("Jira", " plat ", " plat-254604 ", "ignored-macro")
    assert ref == ContentRef("jira", "PLAT", "PLAT-254604", "")
    assert ref.query() == {"type": "polls", "workspace": "PLAT", "content": "PLAT-254604"}
    assert ref.label == "PLAT-254604"
    assert ref.key == "jira/PLAT/PLAT-254604/"


def test_jira_workspace_defaults_to_the_project_of_the_key() -> None:
    assert ContentRef.create("jira", "", "MOBI_2-17").workspace == "MOBI_2"
    assert ContentRef.create("jira", None, "AB-1").workspace == "AB"  # type: ignore[arg-type]


def test_confluence_ref() -> None:
    ref = ContentRef.create("confluence", " 98306", "557057 ", " macro-1 ")
    assert ref == ContentRef("confluence", "98306", "557057", "macro-1")
    assert ref.query("p1", results=True) == {
        "type": "polls", "workspace": "98306", "content": "557057", "container": "macro-1", "pollId": "p1", "expand": "results"
    }
    assert ref.label == "557057 · macro-1"
    assert ref.key == "confluence/98306/557057/macro-1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "No Jira issue given: pass an issue key such as PLAT-123."),
        ("   ", "No Jira issue given: pass an issue key such as PLAT-123."),
        ("PLAT", "'PLAT' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("123", "'123' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("PLAT-", "'PLAT-' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("PLAT-0", "'PLAT-0' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("PLAT 12", "'PLAT 12' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("1PLAT-12", "'1PLAT-12' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("PLAT-12a", "'PLAT-12A' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
        ("PL-AT-12", "'PL-AT-12' is not a Jira issue key: it should look like PLAT-123 (project key, a dash, the issue number)."),
    ],
)
def test_bad_jira_issue_key(content: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        ContentRef.create("jira", "PLAT", content)
    assert str(info.value) == message
    assert exit_code(info.value) == 2


@pytest.mark.parametrize("workspace", ["PL AT", "9PLAT", "PLAT-1", "PL.AT"])
def test_bad_jira_project_key(workspace: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        ContentRef.create("jira", workspace, "PLAT-1")
    assert str(info.value) == (
        f"{workspace.upper()!r} is not a Jira project key: it should look like PLAT (letters and digits)."
    )


@pytest.mark.parametrize(
    ("workspace", "content", "container", "message"),
    [
        ("98306", "557057", "", "Confluence needs a container: pass the macro id of the poll macro on the page "
         "(the `container` value of the URL the app shows)."),
        ("98306", "557057", None, "Confluence needs a container: pass the macro id of the poll macro on the page "
         "(the `container` value of the URL the app shows)."),
        ("98306", "557057", "  ", "Confluence needs a container: pass the macro id of the poll macro on the page "
         "(the `container` value of the URL the app shows)."),
        ("", "557057", "m", "No Confluence space given: pass the space id as the workspace."),
        ("98306", "", "m", "No Confluence page given: pass the page id as the content."),
        ("98 306", "557057", "m", "The space id '98 306' contains spaces: copy it again from the URL."),
        ("98306", "557\t057", "m", "The page id '557\\t057' contains spaces: copy it again from the URL."),
        ("98306", "557057", "ma cro", "The container 'ma cro' contains spaces: copy it again from the URL."),
    ],
)
def test_bad_confluence_ref(workspace: str, content: str, container: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        ContentRef.create("confluence", workspace, content, container)
    assert str(info.value) == message


@pytest.mark.parametrize("product", ["trello", "", "jira cloud"])
def test_unknown_product(product: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        ContentRef.create(product, "PLAT", "PLAT-1")
    assert str(info.value) == f"Unknown product {product!r}: use 'jira' or 'confluence'."


def test_invalid_input_is_a_value_error_and_a_polls_error() -> None:
    with pytest.raises(ValueError):
        ContentRef.create("jira", "PLAT", "nope")
    with pytest.raises(PollsError):
        ContentRef.create("jira", "PLAT", "nope")


@pytest.mark.parametrize(
    "ref",
    [
        ContentRef.create("jira", "PLAT", "PLAT-254604"),
        ContentRef.create("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
    ],
)
def test_to_dict_from_dict_round_trip(ref: ContentRef) -> None:
    data = ref.to_dict()
    assert data == {"product": ref.product, "workspace": ref.workspace, "content": ref.content, "container": ref.container}
    assert ContentRef.from_dict(data) == ref


def test_from_dict_validates() -> None:
    assert ContentRef.from_dict({"content": "plat-7"}) == ContentRef("jira", "PLAT", "PLAT-7", "")
    with pytest.raises(InvalidInputError, match="Confluence needs a container"):
        ContentRef.from_dict({"product": "confluence", "workspace": "1", "content": "2"})


# --- pasted URLs ----------------------------------------------------------------------------


def test_the_docs_example_url_parses() -> None:
    pasted = parse_pasted_url(DOCS_URL)
    assert (pasted.endpoint, pasted.token, pasted.workspace, pasted.content, pasted.container) == (
        DOCS_ENDPOINT, DOCS_TOKEN, "PLAT", "PLAT-254604", ""
    )
    assert pasted.product == "jira"
    assert pasted.content_ref() == ContentRef("jira", "PLAT", "PLAT-254604", "")


def test_a_confluence_url_with_a_container() -> None:
    url = (
        "https://abc.hello.atlassian-dev.net/x1/trig?token=T0K3N-xyz&type=polls"
        "&workspace=98306&content=557057&container=a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
    )
    pasted = parse_pasted_url(url)
    assert pasted == PastedURL(
        "https://abc.hello.atlassian-dev.net/x1/trig", "T0K3N-xyz", "98306", "557057",
        "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    )
    assert pasted.product == "confluence"
    assert pasted.content_ref() == ContentRef("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")


def test_a_pasted_url_tolerates_quotes_spaces_and_extra_parameters() -> None:
    pasted = parse_pasted_url(f"  '{DOCS_URL}&expand=results&pollId=abc#frag'\n")
    assert (pasted.endpoint, pasted.token, pasted.workspace, pasted.content) == (
        DOCS_ENDPOINT, DOCS_TOKEN, "PLAT", "PLAT-254604"
    )


def test_a_bare_endpoint_parses_with_empty_parts() -> None:
    pasted = parse_pasted_url("http://127.0.0.1:8765/x1/jira")
    assert pasted == PastedURL("http://127.0.0.1:8765/x1/jira", "", "", "", "")


def test_product_can_be_overridden() -> None:
    pasted = parse_pasted_url(f"{DOCS_ENDPOINT}?token=t&workspace=98306&content=557057")
    with pytest.raises(InvalidInputError, match="Confluence needs a container"):
        pasted.content_ref("confluence")


@pytest.mark.parametrize("text", ["", "PLAT-254604", "ftp://host/x?token=SECRET-1234", "https:///x1?token=SECRET-1234", "token=SECRET-1234"])
def test_not_a_url(text: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_pasted_url(text)
    assert str(info.value) == "That is not a URL the Polls API uses: paste the whole URL, starting with https://."


def test_pasted_url_repr_hides_the_token() -> None:
    pasted = parse_pasted_url(DOCS_URL)
    for text in (repr(pasted), str(pasted), f"{pasted}", repr([pasted])):
        assert DOCS_TOKEN not in text
        assert "token='***'" in text
    assert repr(pasted) == (
        f"PastedURL(endpoint={DOCS_ENDPOINT!r}, token='***', workspace='PLAT', "
        "content='PLAT-254604', container='')"
    )


@pytest.mark.parametrize(
    "ref",
    [
        ContentRef.create("jira", "PLAT", "PLAT-254604"),
        ContentRef.create("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
    ],
)
@pytest.mark.parametrize("token", [DOCS_TOKEN, "a&b=c d+e/f?g#h%i", "ünï-çødé"])
def test_build_url_and_parse_round_trip(ref: ContentRef, token: str) -> None:
    url = build_url(DOCS_ENDPOINT, token, ref)
    assert url.startswith(f"{DOCS_ENDPOINT}?token=")
    pasted = parse_pasted_url(url)
    assert (pasted.endpoint, pasted.token) == (DOCS_ENDPOINT, token)
    assert pasted.content_ref() == ref


def test_build_url_in_the_docs_form() -> None:
    assert build_url(DOCS_ENDPOINT, DOCS_TOKEN, ContentRef.create("jira", "PLAT", "PLAT-254604")) == DOCS_URL


# --- endpoints ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("https://polls.example.com/x1/abc", "https://polls.example.com/x1/abc"),
        ("https://polls.example.com/x1/abc?token=x&type=polls#top", "https://polls.example.com/x1/abc"),
        ("  http://127.0.0.1:8765/x1/jira ", "http://127.0.0.1:8765/x1/jira"),
        ("http://127.1.2.3/x1/jira", "http://127.1.2.3/x1/jira"),
        ("http://localhost:8765/x1/jira", "http://localhost:8765/x1/jira"),
        ("http://LOCALHOST/x1/jira", "http://LOCALHOST/x1/jira"),
        ("http://[::1]:8765/x1/jira", "http://[::1]:8765/x1/jira"),
    ],
)
def test_check_endpoint_accepts(endpoint: str, expected: str) -> None:
    assert check_endpoint(endpoint) == expected


@pytest.mark.parametrize(
    ("endpoint", "host"),
    [
        ("http://polls.example.com/x1/abc", "polls.example.com"),
        ("http://10.0.0.5:8765/x1/jira", "10.0.0.5"),
        ("http://0.0.0.0:8765/x1/jira", "0.0.0.0"),
        ("http://localhost.evil.example/x1", "localhost.evil.example"),
        ("http://127.0.0.1.nip.io/x1", "127.0.0.1.nip.io"),
        ("http://polls.localhost.example/x1", "polls.localhost.example"),
        ("http://[2001:db8::1]/x1", "2001:db8::1"),
    ],
)
def test_check_endpoint_refuses_plain_http_to_other_hosts(endpoint: str, host: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_endpoint(endpoint)
    assert str(info.value) == (
        f"Refusing plain http:// to {host}: the token would travel unencrypted. "
        "Use https://, or pass --insecure if you really mean it."
    )
    assert check_endpoint(endpoint, allow_insecure=True) == endpoint


@pytest.mark.parametrize("endpoint", ["", "polls.example.com/x1", "ftp://polls.example.com/x1", "https://", "file:///etc/passwd"])
def test_check_endpoint_refuses_what_is_not_an_endpoint(endpoint: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_endpoint(endpoint)
    assert str(info.value) == (
        f"{endpoint!r} is not an endpoint URL: it should start with https:// and name a host."
    )


def test_check_endpoint_message_hides_a_token() -> None:
    with pytest.raises(InvalidInputError) as info:
        check_endpoint("ftp://host/x1?token=Zq9-secret-value&type=polls")
    assert "Zq9-secret-value" not in str(info.value)
    assert str(info.value) == (
        "'ftp://host/x1?token=***&type=polls' is not an endpoint URL: it should start with https:// and name a host."
    )


@pytest.mark.parametrize(
    ("endpoint", "host"),
    [("https://polls.example.com/x1/abc", "polls.example.com"), ("http://127.0.0.1:8765/x1", "127.0.0.1:8765"), ("nothing", "nothing")],
)
def test_endpoint_host(endpoint: str, host: str) -> None:
    assert endpoint_host(endpoint) == host


@pytest.mark.parametrize("endpoint", ["http://[::1/x1", "https://polls.example.com:99999/x1", "https://polls.example.com:https/x1"])
def test_check_endpoint_refuses_a_malformed_host_or_port(endpoint: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        check_endpoint(endpoint)
    assert str(info.value) == (
        f"{endpoint!r} is not an endpoint URL: it should start with https:// and name a host."
    )


def test_a_malformed_pasted_url_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_pasted_url("https://[::1/x1?token=Zq9-secret-value")
    assert str(info.value) == "That is not a URL the Polls API uses: paste the whole URL, starting with https://."


def _resolving(monkeypatch, answers: dict[str, list[str]]) -> None:
    """Names resolve to ``answers`` (an unknown name does not resolve), as getaddrinfo says."""
    import socket

    def getaddrinfo(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0)) for address in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_localhost_subdomain_counts_as_loopback_only_when_it_resolves_there(monkeypatch) -> None:
    _resolving(monkeypatch, {"polls.localhost": ["127.0.0.1"], "mixed.localhost": ["127.0.0.1", "10.0.0.7"],
                             "away.localhost": ["203.0.113.9"]})  # fmt: skip
    assert check_endpoint("http://polls.localhost:8765/x1/jira") == "http://polls.localhost:8765/x1/jira"
    for host in ("mixed.localhost", "away.localhost", "unknown.localhost"):
        with pytest.raises(InvalidInputError, match=f"Refusing plain http:// to {host}"):
            check_endpoint(f"http://{host}/x1/jira")
    assert check_endpoint("http://localhost/x1") == "http://localhost/x1"  # localhost itself: no lookup


def test_user_and_password_in_an_endpoint_are_never_shown() -> None:
    from pollstui.api.address import endpoint_host
    from pollstui.api.errors import redact

    endpoint = "https://bob:s3cret-pw@polls.example.com:8443/x1/jira"
    assert endpoint_host(endpoint) == "polls.example.com:8443"
    assert redact(endpoint) == "https://***@polls.example.com:8443/x1/jira"
    assert "s3cret" not in redact(f"GET {endpoint}?token=abc failed") and "bob" not in redact(endpoint)
    with pytest.raises(InvalidInputError) as info:
        check_endpoint("http://bob:s3cret-pw@polls.example.com/x1", allow_insecure=False)
    assert "s3cret" not in str(info.value)
