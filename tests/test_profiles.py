"""ProfileStore: the profiles file is private, written atomically, and never clobbered."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import pytest

from pollstui import paths
from pollstui.api.address import ContentRef
from pollstui.api.errors import InvalidInputError, mask_token, redact
from pollstui.profiles import MAX_RECENTS, Profile, ProfileFileError, ProfileStore, UnknownProfileError
from pollstui.cli.errors import exit_code

TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
ENDPOINT = "https://1d609651.hello.atlassian-dev.net/x1/xs2i4ODeo611kO2x4adU6sCYcqM"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def jira(key: str) -> ContentRef:
    return ContentRef.create("jira", "", key)


def write_config(text: str) -> Path:
    """Write the profiles file by hand, private as pollstui writes it; return its path."""
    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_text(text)
    os.chmod(path, 0o600)
    return path


def make_store(*names: str) -> ProfileStore:
    store = ProfileStore().load()
    for name in names:
        store.add(Profile(name, ENDPOINT, f"{TOKEN}-{name}"))
    return store


def test_default_path_follows_xdg_config_home(isolated_dirs):
    store = make_store("work")
    expected = isolated_dirs / "config" / "pollstui" / "config.toml"
    assert store.path == expected == paths.config_file()
    assert expected.exists()


def test_missing_file_means_no_profiles(tmp_path):
    store = ProfileStore(tmp_path / "nope" / "config.toml").load()
    assert store.profiles == {} and store.default is None
    assert not store.path.exists()


def test_file_is_0600_and_dir_0700():
    store = make_store("work")
    assert mode(store.path) == 0o600
    assert mode(store.path.parent) == 0o700


def test_round_trip_and_layout():
    store = make_store("work", "home")
    store.touch_recent("work", jira("PLAT-1"))
    ref = ContentRef.create("confluence", "98306", "557057", "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
    store.touch_recent("work", ref)
    text = store.path.read_text()
    assert text.index('default = "work"') < text.index("[profiles.work]") < text.index("[[profiles.work.recents]]")
    data = tomllib.loads(text)
    assert data["default"] == "work"
    assert data["profiles"]["work"]["token"] == f"{TOKEN}-work"
    assert data["profiles"]["work"]["product"] == "jira"
    assert data["profiles"]["work"]["read_only"] is False
    assert data["profiles"]["work"]["insecure"] is False
    assert data["profiles"]["work"]["recents"][0] == ref.to_dict()

    again = ProfileStore().load()
    assert again.default == "work"
    assert list(again.profiles) == ["work", "home"]
    assert again.get("work").recents == [ref, jira("PLAT-1")]
    assert again.get("home").recents == []


def test_first_profile_becomes_default_others_do_not():
    store = make_store("a", "b")
    assert store.default == "a"
    store.use("b")
    assert ProfileStore().load().default == "b"


def test_add_refuses_existing_name_and_bad_values():
    store = make_store("work")
    with pytest.raises(InvalidInputError, match="already exists"):
        store.add(Profile("work", ENDPOINT, TOKEN))
    with pytest.raises(InvalidInputError, match="profile name"):
        store.add(Profile("has space", ENDPOINT, TOKEN))
    with pytest.raises(InvalidInputError, match="http"):
        store.add(Profile("plain", "http://example.com/x1/jira", TOKEN))
    store.add(Profile("plain", "http://example.com/x1/jira", TOKEN, insecure=True))
    store.add(Profile("work", ENDPOINT, "new-token-123"), replace=True)
    assert ProfileStore().load().get("work").token == "new-token-123"


def test_remove_hands_default_to_another_profile():
    store = make_store("a", "b")
    assert store.remove("a") == "b"
    assert store.remove("b") is None
    loaded = ProfileStore().load()
    assert loaded.profiles == {} and loaded.default is None


def test_get_unknown_lists_the_names(tmp_path):
    store = make_store("work", "home")
    with pytest.raises(UnknownProfileError) as info:
        store.get("nope")
    assert "home, work" in str(info.value)
    assert exit_code(info.value) == 2
    with pytest.raises(UnknownProfileError, match="no profiles yet"):
        ProfileStore(tmp_path / "empty.toml").load().get("x")


def test_recents_move_to_front_dedupe_and_cap():
    store = make_store("work")
    for n in range(1, MAX_RECENTS + 6):
        store.touch_recent("work", jira(f"PLAT-{n}"))
    store.touch_recent("work", jira("PLAT-24"))
    recents = ProfileStore().load().get("work").recents
    assert len(recents) == MAX_RECENTS
    assert recents[0] == jira("PLAT-24")
    assert len({r.key for r in recents}) == MAX_RECENTS
    assert store.last_ref("work") == jira("PLAT-24")
    store.remove_recent("work", jira("PLAT-24"))
    assert ProfileStore().load().last_ref("work") == jira("PLAT-25")


def test_a_file_with_100000_recents_is_read_only_until_20_distinct_are_found(monkeypatch):
    """Whatever the file holds, loading reads recent items until the cap is reached: 100,000 items
    (one repeated, one broken, then all distinct) cost the first 50, not a pass over each pair."""
    item = '\n[[profiles.work.recents]]\nproduct = "jira"\ncontent = "PLAT-{}"\n'
    write_config(
        '[profiles.work]\nendpoint = "https://x.example/x1"\ntoken = "abcdefgh"\n'
        + item.format(1) * 30
        + '\n[[profiles.work.recents]]\nproduct = "jira"\ncontent = "not a key"\n'
        + "".join(item.format(n) for n in range(2, 100_000 - 30))
    )
    read = ContentRef.from_dict
    calls = 0

    def counted(data):  # noqa: ANN001, ANN202
        nonlocal calls
        calls += 1
        assert calls <= 1_000, "read far past the 20 recent items the profile keeps"
        return read(data)

    monkeypatch.setattr(ContentRef, "from_dict", staticmethod(counted))
    store = ProfileStore().load()
    assert store.get("work").recents == [jira(f"PLAT-{n}") for n in range(1, MAX_RECENTS + 1)]
    assert calls == 30 + 1 + (MAX_RECENTS - 1)
    assert len(store.warnings) == 1 and "NOT A KEY" in store.warnings[0]


def test_last_ref_none_without_recents():
    assert make_store("work").last_ref("work") is None


def test_crash_during_write_leaves_old_file_whole(monkeypatch):
    store = make_store("work")
    before = store.path.read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.add(Profile("second", ENDPOINT, TOKEN))
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert [p.name for p in store.path.parent.iterdir()] == ["config.toml"]  # no temp file left


@pytest.mark.parametrize(
    "text",
    [
        "default = \n",  # not TOML
        "profiles = 3\n",  # wrong shape
        "[profiles.work]\nendpoint = 'https://x.example/x1'\n",  # no token
        "[profiles.work]\nendpoint = 'https://x.example/x1'\ntoken = 'abcd'\nproduct = 'trello'\n",
    ],
)
def test_corrupt_file_is_a_clear_error_and_never_overwritten(text):
    path = write_config(text)
    store = ProfileStore()
    with pytest.raises(ProfileFileError) as info:
        store.load()
    message = str(info.value)
    assert str(path) in message
    assert "move it aside" in message
    assert exit_code(info.value) == 2
    assert store.load_error is not None
    for write in (
        lambda: store.add(Profile("new", ENDPOINT, TOKEN)),
        lambda: store.use("new"),
        lambda: store.touch_recent("new", jira("PLAT-1")),
        store.save,
    ):
        with pytest.raises(ProfileFileError, match="Not saving"):
            write()
    assert path.read_text() == text


def test_not_utf8_is_a_clear_error():
    path = paths.config_file()
    paths.ensure_private_dir(path.parent)
    path.write_bytes(b"default = '\xff'\n")
    with pytest.raises(ProfileFileError, match=str(path)):
        ProfileStore().load()


def test_save_refuses_when_file_exists_but_was_not_loaded():
    make_store("work")
    with pytest.raises(ProfileFileError):
        ProfileStore().save()


def test_loose_permissions_are_tightened_with_a_warning():
    store = make_store("work")
    os.chmod(store.path, 0o644)
    again = ProfileStore().load()
    assert mode(store.path) == 0o600
    assert len(again.warnings) == 1
    assert "0644" in again.warnings[0] and "0600" in again.warnings[0]
    assert ProfileStore().load().warnings == []


def test_bad_recent_is_skipped_with_a_warning_and_bad_default_ignored():
    path = write_config(
        'default = "gone"\n[profiles.work]\nendpoint = "https://x.example/x1"\ntoken = "abcdefgh"\n'
        '[[profiles.work.recents]]\nproduct = "jira"\ncontent = "not a key"\n'
        '[[profiles.work.recents]]\nproduct = "jira"\ncontent = "PLAT-7"\n'
    )
    store = ProfileStore().load()
    assert store.get("work").recents == [jira("PLAT-7")]
    assert store.default is None
    assert store.default_profile().name == "work"  # the only profile
    assert len(store.warnings) == 2


@pytest.mark.parametrize("name", ["$(touch pwned)", "`id`", "a b", "work\n", "\x1b]0;x\x07", "-rf", "é", "x" * 65])
def test_a_profile_with_an_unusable_name_is_skipped_with_a_warning_and_kept(name):
    import tomli_w

    path = write_config(
        '[profiles.work]\nendpoint = "https://x.example/x1"\ntoken = "abcdefgh"\n'
        + tomli_w.dumps({"profiles": {name: {"endpoint": "https://y.example/x1", "token": "zyxwvuts"}}})
    )
    store = ProfileStore().load()
    assert list(store.profiles) == ["work"]
    assert len(store.warnings) == 1 and "Skipped the profile" in store.warnings[0]
    assert "Rename it" in store.warnings[0] and "\x1b" not in store.warnings[0]
    store.touch_recent("work", jira("PLAT-1"))  # a save keeps what it skipped, as it was
    assert tomllib.loads(path.read_text())["profiles"][name] == {"endpoint": "https://y.example/x1", "token": "zyxwvuts"}


def test_unknown_keys_survive_a_save():
    path = write_config(
        'theme = "dark"\n[profiles.work]\nendpoint = "https://x.example/x1"\ntoken = "abcdefgh"\n'
        'colour = "blue"\n[profiles.work.limits]\nrps = 3\n'
    )
    store = ProfileStore().load()
    store.touch_recent("work", jira("PLAT-1"))
    data = tomllib.loads(path.read_text())
    assert data["theme"] == "dark"
    assert data["profiles"]["work"]["colour"] == "blue"
    assert data["profiles"]["work"]["limits"] == {"rps": 3}
    assert data["profiles"]["work"]["recents"][0]["content"] == "PLAT-1"


def test_a_change_made_by_another_process_is_not_undone():
    mine = make_store("work")
    other = ProfileStore().load()
    other.add(Profile("home", ENDPOINT, TOKEN))
    mine.touch_recent("work", jira("PLAT-3"))
    final = ProfileStore().load()
    assert set(final.profiles) == {"work", "home"}
    assert final.last_ref("work") == jira("PLAT-3")


def test_tokens_are_masked_and_registered():
    profile = Profile("work", ENDPOINT, "tok-" + "s3cr3t" * 4)
    assert "s3cr3t" not in repr(profile)
    assert redact(f"oops {profile.token}") == "oops ***"
    assert mask_token(profile.token) == "tok-…3t"
    store = make_store("work")
    assert TOKEN not in repr(store)


def test_the_tuis_preferences_have_their_own_home_and_files_as_they_are_still_read():
    """``theme`` and ``[keys]`` stay where users write them (top level), read into ``prefs``, not
    into the bucket of keys this version does not know; both survive a save."""
    path = write_config(
        'theme = "dark"\nfuture = 1\n[keys]\nnew-poll = "N"\n'
        '[profiles.work]\nendpoint = "https://x.example/x1"\ntoken = "abcdefgh"\n'
    )
    store = ProfileStore().load()
    assert (store.prefs.theme, store.prefs.keys) == ("dark", {"new-poll": "N"})
    store.remember_theme("nord")
    data = tomllib.loads(path.read_text())
    assert (data["theme"], data["keys"], data["future"]) == ("nord", {"new-poll": "N"}, 1)
    assert ProfileStore().load().prefs.theme == "nord"
