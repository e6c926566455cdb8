"""https against a real TLS server on loopback (a certificate made for these tests, in tests/tls):
the certificates httpx verifies with, read the same way by the first request; and the settings
that go wrong (SSL_CERT_FILE naming nothing usable, an endpoint holding an escape) as one-line
errors that name what to fix."""

from __future__ import annotations

import json
import os
import ssl
from pathlib import Path

import pytest

from pollstui.api.address import ContentRef
from pollstui.api.client import PollsClient
from pollstui.api.errors import CertificatesError, InvalidInputError, TLSError
from pollstui.cli import main
from pollstui.session import prefetch
from pollstui.settings import Connection
from pollstui.cli.errors import told
from tests.conftest import TOKEN
from tests.example import STARS_POLL
from tests.faults import RawServer
from tests.hostile import controls_in

TLS = Path(__file__).resolve().parent.parent / "tls"
CERTIFICATE = TLS / "server.pem"  # self-signed for 127.0.0.1 and localhost, valid until 2126
STARS = ContentRef.create("jira", "PLAT", "PLAT-254604")
BODY = json.dumps([STARS_POLL]).encode()
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(BODY) + BODY


@pytest.fixture
def tls_server():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERTIFICATE, TLS / "server.key")
    with RawServer(ANSWER, context=context) as server:
        yield server


@pytest.fixture(autouse=True)
def no_certificate_settings(monkeypatch):
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)


def argv(endpoint: str, *flags: str) -> list[str]:
    return ["list", *flags, "--endpoint", endpoint, "--token", TOKEN, "--content", STARS.content]


async def test_a_server_trusted_through_ssl_cert_file_is_read_by_both_paths(tls_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(CERTIFICATE))
    endpoint = tls_server.url(scheme="https")
    async with PollsClient(endpoint, TOKEN) as client:
        assert await client.list_polls_body(STARS, results=True) == (BODY, json.loads(BODY))
    connection = Connection(endpoint, TOKEN, "jira", ref=STARS)
    assert prefetch.plain_get(connection, STARS, 10.0) == (BODY, json.loads(BODY))  # verified as httpx verifies


async def test_an_untrusted_server_is_a_tls_error_said_once(tls_server):
    """certifi's bundle does not hold the test certificate: the handshake fails, the same way
    every time, so the client does not try again; the message names SSL_CERT_FILE."""
    endpoint = tls_server.url(scheme="https")
    assert prefetch.plain_get(Connection(endpoint, TOKEN, "jira", ref=STARS), STARS, 10.0) is None
    connections = tls_server.connections
    async with PollsClient(endpoint, TOKEN, backoff=0.01) as client:
        with pytest.raises(TLSError) as caught:
            await client.poll_listing(STARS)
    assert tls_server.connections == connections + 1  # not retried
    message = told(caught.value)  # what to do: the CLI's words
    assert "secure connection to 127.0.0.1" in message and "self-signed certificate" in message
    assert "SSL_CERT_FILE" in message and TOKEN not in message


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["list", "list-json"])
def test_the_cli_exits_6_for_a_tls_failure(tls_server, capsys, json_flag):
    assert main(argv(tls_server.url(scheme="https"), *json_flag)) == 6
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "secure connection" in err and "unexpected" not in err


@pytest.mark.parametrize("kind", ["missing", "not-certificates"])
@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["list", "list-json"])
def test_ssl_cert_file_naming_nothing_usable_is_invalid_input(tmp_path, monkeypatch, capsys, kind, json_flag):
    path = tmp_path / "ca.pem"
    if kind == "not-certificates":
        path.write_text("not a certificate\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    with pytest.raises(CertificatesError) as caught:
        PollsClient("https://polls.example.com/x1/jira", TOKEN)
    assert (caught.value.setting, caught.value.path) == ("SSL_CERT_FILE", str(path))
    assert main(argv("https://127.0.0.1:9/x1/jira", *json_flag)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"SSL_CERT_FILE='{path}'" in err and "unexpected" not in err
    assert ("no such file" if kind == "missing" else "holds no certificates") in err
    PollsClient("http://127.0.0.1:9/x1/jira", TOKEN)  # plain http to this machine verifies nothing: no matter


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["list", "list-json"])
def test_an_escape_in_the_endpoint_is_invalid_input(capsys, json_flag):
    endpoint = "https://127.0.0.1:9/x1/ji\x1b]0;pwned\x07ra"
    with pytest.raises(InvalidInputError, match="control character"):
        PollsClient(endpoint, TOKEN)
    assert main(argv(endpoint, *json_flag)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--endpoint" in err and "unexpected" not in err
    assert controls_in(err, allowed="\n") == []


@pytest.mark.parametrize(
    "host", ["xn--zz.example.com", "é" + "a" * 70 + ".example.com", "a\u202eb.example.com"], ids=["bad-a-label", "label-too-long", "bidi"]
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["list", "list-json"])
def test_a_host_name_httpx_cannot_encode_is_invalid_input(capsys, host, json_flag):
    """A host name that is not a valid internationalised name: exit 2 naming where to fix it, not
    a bug's exit 1 ("unexpected InvalidURL" or "IDNAError")."""
    endpoint = f"https://{host}/x1/jira"
    with pytest.raises(InvalidInputError, match="host name"):
        PollsClient(endpoint, TOKEN)
    assert main(argv(endpoint, *json_flag)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--endpoint" in err and "unexpected" not in err
    assert controls_in(err, allowed="\n") == []


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("ALL_PROXY", "socks5://127.0.0.1:1080", "httpx[socks]"),
        ("HTTPS_PROXY", "ftp://proxy.example.com:21", "http://"),
        ("https_proxy", "http://[::1", "not a proxy URL"),
        ("Https_Proxy", "http://user:hunter22@proxy.example.com:abc", "not a proxy URL"),
    ],
    ids=["socks-without-socksio", "unknown-scheme", "broken-url", "bad-port-with-password"],
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["list", "list-json"])
def test_a_proxy_variable_httpx_cannot_use_is_invalid_input(capsys, monkeypatch, variable, value, said, json_flag):
    """A proxy setting httpx refuses: exit 2 naming the variable and what to do, not a bug's exit
    1 ("unexpected ImportError / ValueError / InvalidURL"), and never its password."""
    for name in [name for name in os.environ if name.lower().endswith("_proxy")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv(variable, value)
    endpoint = "https://polls.example.test/x1/jira"
    with pytest.raises(InvalidInputError, match=variable):
        PollsClient(endpoint, TOKEN)
    assert main(argv(endpoint, *json_flag)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and variable in err and said in err and "unexpected" not in err
    assert "hunter22" not in err
