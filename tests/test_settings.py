"""resolve_connection: flags > environment > profile file."""

from __future__ import annotations

import pytest

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.api.errors import InvalidInputError, redact
from pollstui.profiles import Profile, ProfileFileError, ProfileStore, UnknownProfileError
from pollstui.settings import NotConfiguredError, resolve_connection
from pollstui.cli.errors import exit_code

EP = "https://1d609651.hello.atlassian-dev.net/x1/xs2i4ODeo611kO2x4adU6sCYcqM"
OTHER = "https://other.example.net/x1/polls"
TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
JIRA_URL = f"{EP}?token={TOKEN}&type=polls&workspace=PLAT&content=PLAT-254604"
CONF_URL = f"{EP}?token={TOKEN}&type=polls&workspace=98306&content=557057&container=abc-123"


def resolve(env=None, **kwargs):
    return resolve_connection(env=env or {}, **kwargs)


def saved(*profiles: Profile) -> ProfileStore:
    store = ProfileStore().load()
    for profile in profiles:
        store.add(profile)
    return ProfileStore()


def test_nothing_configured_says_how_to_set_up():
    with pytest.raises(NotConfiguredError) as info:
        resolve()
    message = str(info.value)
    assert "pollstui profile add NAME --url" in message and "pollstui demo" in message
    assert isinstance(info.value, InvalidInputError) and exit_code(info.value) == 2


def test_jira_url_flag():
    conn = resolve(url=JIRA_URL)
    assert (conn.endpoint, conn.token, conn.product) == (EP, TOKEN, "jira")
    assert conn.ref == ContentRef.create("jira", "PLAT", "PLAT-254604")
    assert conn.profile_name is None and conn.read_only is False


def test_url_with_container_is_confluence_unless_product_says_otherwise():
    conn = resolve(url=CONF_URL)
    assert conn.product == "confluence"
    assert conn.ref == ContentRef.create("confluence", "98306", "557057", "abc-123")
    jira_url = f"{EP}?token={TOKEN}&type=polls&workspace=9&content=5"
    with_product = resolve(url=jira_url + "&container=m1", product="confluence")
    assert with_product.ref.container == "m1"


def test_content_flags_override_the_url():
    conn = resolve(url=JIRA_URL, content="MOBI-7")
    assert conn.ref == ContentRef.create("jira", "MOBI", "MOBI-7")  # workspace from the key, not the URL
    conf = resolve(url=CONF_URL, container="other-macro")
    assert conf.ref == ContentRef.create("confluence", "98306", "557057", "other-macro")


def test_no_content_anywhere_leaves_ref_none():
    conn = resolve(endpoint=EP, token=TOKEN)
    assert conn.ref is None and conn.product == "jira"


def test_invalid_content_is_a_usage_error():
    with pytest.raises(InvalidInputError, match="Jira issue key"):
        resolve(endpoint=EP, token=TOKEN, content="not a key")


def test_environment_is_used_and_flags_win():
    env = {"POLLS_URL": JIRA_URL}
    assert resolve(env).token == TOKEN
    assert resolve(env, token="flag-token-1234").token == "flag-token-1234"
    env_token = {"POLLS_URL": JIRA_URL, "POLLS_TOKEN": "env-token-5678"}
    assert resolve(env_token).token == "env-token-5678"
    assert resolve(env_token, url=CONF_URL).product == "confluence"
    assert resolve({"POLLS_URL": EP, "POLLS_TOKEN": "env-token-5678"}).ref is None


def test_default_profile_with_its_last_content():
    saved(Profile("work", EP, TOKEN, recents=[ContentRef.create("jira", "", "PLAT-9")]))
    conn = resolve()
    assert conn.profile_name == "work"
    assert (conn.endpoint, conn.token) == (EP, TOKEN)
    assert conn.ref == ContentRef.create("jira", "", "PLAT-9")
    assert resolve(content="PLAT-10").ref.content == "PLAT-10"


def test_env_overrides_profile_and_named_profile_overrides_env():
    saved(Profile("work", EP, TOKEN), Profile("home", OTHER, "home-token-999"))
    env = {"POLLS_TOKEN": "env-token-5678"}
    assert resolve(env).token == "env-token-5678"  # env over the default profile's token
    assert resolve(env, profile="home").token == "home-token-999"  # an explicit flag outranks the env
    picked = resolve({"POLLS_PROFILE": "home"})
    assert (picked.profile_name, picked.endpoint) == ("home", OTHER)


def test_default_profile_token_never_goes_to_another_endpoint():
    saved(Profile("work", EP, TOKEN))
    with pytest.raises(InvalidInputError, match="No token for other.example.net"):
        resolve(endpoint=OTHER)
    same = resolve(endpoint=EP)
    assert same.token == TOKEN and same.profile_name == "work"


def test_unknown_profile_lists_names():
    saved(Profile("work", EP, TOKEN))
    with pytest.raises(UnknownProfileError, match="Profiles: work"):
        resolve(profile="nope")


def test_read_only_and_insecure_come_from_flag_or_profile():
    saved(Profile("ro", EP, TOKEN, read_only=True), Profile("lab", "http://lab.internal/x1/jira", "lab-token-42", insecure=True))
    assert resolve().read_only is True
    assert resolve(profile="lab").read_only is False
    assert resolve(profile="lab", read_only=True).read_only is True
    assert resolve(profile="lab").allow_insecure is True
    with pytest.raises(InvalidInputError, match="--insecure"):
        resolve(endpoint="http://lab.internal/x1/jira", token=TOKEN)
    assert resolve(endpoint="http://lab.internal/x1/jira", token=TOKEN, insecure=True).allow_insecure


def test_loopback_http_is_fine():
    assert resolve(endpoint="http://127.0.0.1:8765/x1/jira", token=TOKEN).endpoint.startswith("http://127.0.0.1")


def test_half_configured_says_what_is_missing():
    with pytest.raises(InvalidInputError, match="no endpoint"):
        resolve(token=TOKEN)
    with pytest.raises(InvalidInputError, match="No token"):
        resolve(endpoint=EP)


def test_several_profiles_without_default_must_be_named():
    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_text(
        '[profiles.a]\nendpoint = "https://a.example/x1"\ntoken = "aaaaaaaa"\n'
        '[profiles.b]\nendpoint = "https://b.example/x1"\ntoken = "bbbbbbbb"\n'
    )
    with pytest.raises(InvalidInputError, match="none is the default"):
        resolve()
    assert resolve(profile="b").endpoint == "https://b.example/x1"


def test_corrupt_profile_file_blocks_only_when_needed():
    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_text("this is = = not toml")
    with pytest.raises(ProfileFileError, match="config.toml"):
        resolve()
    assert resolve(url=JIRA_URL).token == TOKEN
    assert path.read_text() == "this is = = not toml"


def test_every_token_seen_is_registered_for_redaction():
    resolve({"POLLS_TOKEN": "env-secret-0001", "POLLS_URL": EP}, token="flag-secret-0002")
    assert redact("env-secret-0001 flag-secret-0002") == "*** ***"
    assert "flag-secret-0002" not in repr(resolve(endpoint=EP, token="flag-secret-0002"))


# --- which product (issue 8) ----------------------------------------------------------------------


def test_a_container_with_plain_flags_means_confluence():
    conn = resolve(endpoint=EP, token=TOKEN, workspace="98306", content="98765", container="macro-1")
    assert conn.product == "confluence"
    assert conn.ref == ContentRef.create("confluence", "98306", "98765", "macro-1")


def test_a_container_against_a_jira_profile_names_product():
    store = saved(Profile("work", EP, TOKEN, "jira"))
    with pytest.raises(InvalidInputError) as info:
        resolve(profile="work", workspace="98306", content="98765", container="macro-1", store=store)
    assert "profile 'work' talks to Jira" in str(info.value) and "--product confluence" in str(info.value)
    conn = resolve(profile="work", workspace="98306", content="98765", container="m", product="confluence", store=store)
    assert conn.product == "confluence"


def test_a_container_with_product_jira_is_refused_naming_product():
    with pytest.raises(InvalidInputError, match="--container is for Confluence.*--product confluence"):
        resolve(endpoint=EP, token=TOKEN, workspace="PLAT", content="PLAT-1", container="m", product="jira")


def test_a_content_item_that_does_not_fit_the_product_says_why_and_names_product():
    store = saved(Profile("wiki", EP, TOKEN, "confluence"))
    with pytest.raises(InvalidInputError) as info:
        resolve(profile="wiki", content="PLAT-1", store=store)
    message = str(info.value)
    assert message.startswith("No Confluence space given")
    assert "because profile 'wiki' talks to Confluence" in message and "pass --product jira" in message
    with pytest.raises(InvalidInputError, match="because that is the default.*pass --product confluence"):
        resolve(endpoint=OTHER, token=TOKEN, workspace="98306", content="98765")  # (not wiki's endpoint)
