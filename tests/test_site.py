"""Site URLs and the links `o` and present mode's QR code point at."""

from __future__ import annotations

import pytest

from pollstui.api.address import ContentRef
from pollstui.api.errors import InvalidInputError
from pollstui.site import check_site, has_graphical_browser, item_url

ISSUE = ContentRef.create("jira", "PLAT", "PLAT-123")
PAGE = ContentRef.create("confluence", "98304", "557057", "a1b2c3d4-0000")


def test_jira_issue_link():
    assert item_url("https://acme.atlassian.net", ISSUE) == "https://acme.atlassian.net/browse/PLAT-123"
    assert item_url("https://jira.acme.com/jira/", ISSUE) == "https://jira.acme.com/jira/browse/PLAT-123"


def test_confluence_page_link_cloud_and_server():
    assert item_url("https://acme.atlassian.net", PAGE) == (
        "https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=557057")
    assert item_url("https://acme.atlassian.net/wiki/", PAGE) == (
        "https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=557057")
    assert item_url("https://wiki.acme.com", PAGE) == "https://wiki.acme.com/pages/viewpage.action?pageId=557057"


def test_a_pasted_url_keeps_no_token_or_credentials():
    site = check_site("https://bob:secret@acme.atlassian.net/?token=tok-123#frag")
    assert site == "https://acme.atlassian.net"
    assert "tok-123" not in item_url("https://acme.atlassian.net/?token=tok-123", ISSUE)


def test_a_bare_host_is_taken_as_https():
    assert check_site("acme.atlassian.net") == "https://acme.atlassian.net"


@pytest.mark.parametrize("bad", ["", "ftp://acme.example", "https://", "not a url at all"])
def test_unusable_site_urls_say_what_to_give(bad):
    with pytest.raises(InvalidInputError, match="site URL"):
        check_site(bad)


def test_graphical_browser_needs_a_display_on_linux():
    assert not has_graphical_browser({"SSH_CONNECTION": "1 2 3 4"}, "linux")
    assert has_graphical_browser({"DISPLAY": ":0"}, "linux")
    assert has_graphical_browser({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert has_graphical_browser({}, "darwin")


def test_profile_add_site_is_kept_shown_and_cleaned(capsys):
    from pollstui.cli import main
    from pollstui.profiles import ProfileStore

    code = main(["profile", "add", "work", "--endpoint", "https://polls.example.test/x1/jira", "--token", "tok-abc",
                 "--site", "https://acme.atlassian.net/?token=tok-abc"])
    assert code == 0
    assert ProfileStore().load().get("work").site == "https://acme.atlassian.net"
    capsys.readouterr()
    assert main(["profile", "show", "work"]) == 0
    shown = capsys.readouterr().out
    assert "site       https://acme.atlassian.net" in shown and "tok-abc" not in shown


def test_profile_add_refuses_an_unusable_site(capsys):
    from pollstui.cli import main
    from pollstui.profiles import ProfileStore

    code = main(["profile", "add", "work", "--endpoint", "https://polls.example.test/x1/jira", "--token", "tok-abc",
                 "--site", "ftp://nope"])
    assert code != 0
    assert "site URL" in capsys.readouterr().err
    assert "work" not in ProfileStore().load().profiles, "nothing saved"
