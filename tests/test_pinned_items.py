"""Pinned items: a profile's own list of content items (the overview reads them), kept in order,
without a cap, next to the recents; `pollstui profile items add|remove|list` and the one parser of
a pasted list (keys, PAGE:MACRO, URLs; spaces, commas or lines)."""

from __future__ import annotations

import io
import json
import tomllib

import pytest

from pollstui.api.address import ContentRef, parse_items, split_items
from pollstui.api.errors import InvalidInputError
from pollstui.cli import main
from pollstui.profiles import MAX_RECENTS, Profile, ProfileStore

TOKEN = "f991ebe3-2d93-4fd9-b8ee-4a1725c9f337"
ENDPOINT = "https://1d609651.hello.atlassian-dev.net/x1/xs2i4ODeo611kO2x4adU6sCYcqM"
WIKI = "https://1d609651.hello.atlassian-dev.net/x1/wiki"


def jira(key: str) -> ContentRef:
    return ContentRef.create("jira", "", key)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store() -> ProfileStore:
    store = ProfileStore().load()
    store.add(Profile("work", ENDPOINT, TOKEN))
    store.add(Profile("wiki", WIKI, TOKEN + "-w", "confluence"), make_default_if_first=False)
    return store


# --- the parser ------------------------------------------------------------------------------


def test_a_pasted_list_splits_on_spaces_commas_semicolons_and_lines():
    assert split_items(" PLAT-1, PLAT-2;PLAT-3\nPLAT-4\r\n\tPLAT-5 ,, ") == ["PLAT-1", "PLAT-2", "PLAT-3", "PLAT-4", "PLAT-5"]


def test_parse_items_keeps_order_drops_repeats_and_reads_urls_of_the_endpoint():
    url = f"{ENDPOINT}?token={TOKEN}&type=polls&workspace=OPS&content=OPS-9"
    refs = parse_items(["plat-2 PLAT-1", f"PLAT-2,{url}"], "jira", ENDPOINT)
    assert [r.label for r in refs] == ["PLAT-2", "PLAT-1", "OPS-9"]


def test_parse_items_confluence_page_macro_takes_the_space_given_or_written():
    refs = parse_items("557057:abc 98307:557058:def", "confluence", WIKI, space="98306")
    assert refs == [
        ContentRef.create("confluence", "98306", "557057", "abc"),
        ContentRef.create("confluence", "98307", "557058", "def"),
    ]
    with pytest.raises(InvalidInputError, match="needs its space"):
        parse_items("557057:abc", "confluence", WIKI)
    with pytest.raises(InvalidInputError, match="container"):
        parse_items("557057", "confluence", WIKI, space="98306")


def test_parse_items_names_every_bad_item_and_takes_none():
    with pytest.raises(InvalidInputError) as caught:
        parse_items("PLAT-1 nope https://elsewhere.example/x1/j?content=PLAT-2", "jira", ENDPOINT)
    message = str(caught.value)
    assert "'nope'" in message and "another endpoint" in message and "Nothing was taken" in message
    with pytest.raises(InvalidInputError, match="No content items"):
        parse_items(" , \n", "jira", ENDPOINT)


# --- the store -------------------------------------------------------------------------------


def test_pinned_items_are_kept_in_order_uncapped_beside_the_recents(store):
    keys = [jira(f"PLAT-{n}") for n in range(1, 2 * MAX_RECENTS + 6)]
    assert store.pin("work", keys) == keys
    store.touch_recent("work", jira("OPS-1"))
    assert store.pin("work", [jira("PLAT-3"), jira("OPS-2")]) == [jira("OPS-2")]
    again = ProfileStore().load().get("work")
    assert again.pinned == [*keys, jira("OPS-2")]
    assert again.recents == [jira("OPS-1")]
    data = tomllib.loads(store.path.read_text())
    assert len(data["profiles"]["work"]["pinned"]) == len(keys) + 1
    assert store.pin("work", [jira("PLAT-2"), jira("NOPE-1")], unpin=True) == [jira("PLAT-2")]
    assert jira("PLAT-2") not in ProfileStore().load().get("work").pinned


def test_pinning_many_items_onto_many_looks_each_up_once(store, monkeypatch):
    """Pinning n items onto n pinned ones costs a pass over each list, not a comparison of each pair."""
    n = 2_000
    store.pin("work", [jira(f"PLAT-{i}") for i in range(1, n + 1)])
    key = ContentRef.key
    reads = 0

    def counted(ref):  # noqa: ANN001, ANN202
        nonlocal reads
        reads += 1
        assert reads <= 10 * n, "compared each pinned item with each other"
        return key.fget(ref)

    monkeypatch.setattr(ContentRef, "key", property(counted))
    added = store.get("work").pin([jira(f"PLAT-{i}") for i in range(n // 2, n + n // 2 + 1)])
    assert added == [jira(f"PLAT-{i}") for i in range(n + 1, n + n // 2 + 1)]
    assert store.get("work").pinned == [jira(f"PLAT-{i}") for i in range(1, n + n // 2 + 1)]


def test_a_bad_pinned_entry_is_skipped_with_a_warning_and_concurrency_is_read(store):
    text = store.path.read_text().replace(
        "[profiles.work]\n", "[profiles.work]\nconcurrency = 6\n"
    ) + '\n[[profiles.work.pinned]]\ncontent = "not a key"\n\n[[profiles.work.pinned]]\ncontent = "PLAT-7"\n'
    store.path.write_text(text)
    again = ProfileStore().load()
    assert again.get("work").pinned == [jira("PLAT-7")]
    assert again.get("work").concurrency == 6
    assert any("pinned item" in w for w in again.warnings)


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_items_add_list_remove(store, capsys, monkeypatch):
    code, out, _ = run(capsys, "profile", "items", "add", "PLAT-1", "plat-2, PLAT-3\nPLAT-4")
    assert code == 0 and "Pinned 4 items to profile 'work'" in out
    code, out, _ = run(capsys, "profile", "items", "add", "work", "PLAT-3", "PLAT-9")
    assert code == 0 and "Pinned 1 item" in out and "(1 already pinned)" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("PLAT-5\nPLAT-6\n"))
    assert run(capsys, "profile", "items", "add", "-")[0] == 0
    code, out, _ = run(capsys, "profile", "items", "list", "work")
    assert out.split() == ["PLAT-1", "PLAT-2", "PLAT-3", "PLAT-4", "PLAT-9", "PLAT-5", "PLAT-6"]
    code, out, err = run(capsys, "profile", "items", "remove", "PLAT-5", "PLAT-77")
    assert code == 0 and "Unpinned 1 item" in out and "PLAT-77" in err
    code, out, _ = run(capsys, "profile", "items", "remove", "PLAT-77", "--json")
    assert json.loads(out)["removed"] == []
    assert run(capsys, "profile", "items", "remove", "PLAT-77")[0] == 4


def test_cli_items_take_nothing_when_one_is_bad(store, capsys):
    code, out, err = run(capsys, "profile", "items", "add", "PLAT-1", "nope")
    assert code == 2 and out == "" and "'nope'" in err and "Nothing was taken" in err
    assert ProfileStore().load().get("work").pinned == []


def test_cli_items_confluence_with_space_and_json(store, capsys):
    code, out, _ = run(capsys, "profile", "items", "add", "wiki", "--space", "98306", "557057:abc,557058:def", "--json")
    data = json.loads(out)
    assert code == 0 and [r["content"] for r in data["added"]] == ["557057", "557058"]
    # the profile's only space is used from now on
    code, out, _ = run(capsys, "profile", "items", "add", "wiki", "557059:ghi")
    assert code == 0
    assert [r.workspace for r in ProfileStore().load().get("wiki").pinned] == ["98306"] * 3
