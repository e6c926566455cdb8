"""Delete, undo and duplicate: the flows, inside PollsApp, against the real reference server."""

from __future__ import annotations

from pollstui.api.address import ContentRef
from pollstui.journal import Journal
from pollstui.tui.flows import delete_flow, duplicate_flow, undo_flow
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.duplicate import DuplicateScreen, parse_target
from pollstui.tui.screens.main import MainScreen
from tests.tui.test_editor import (
    AUDIT,
    AUDIT_TITLE,
    FaultTransport,
    field,
    loaded_poll,
    make_app,
    notes,
    open_editor,
    server_poll,
    server_polls,
    until,
)

OTHER = ContentRef.create("jira", "PLAT", "PLAT-254611")


async def start(app, pilot):
    await until(pilot, lambda: isinstance(app.screen, MainScreen))
    await pilot.pause(0.3)


def run(app, coro):
    return app.run_worker(coro, exit_on_error=False)


async def answer(pilot, app, key: str, screen_type=ConfirmScreen):
    await until(pilot, lambda: isinstance(app.screen, screen_type))
    await pilot.pause()
    await pilot.press(key)


# -- delete ----------------------------------------------------------------------------------------


async def test_delete_asks_naming_the_poll_and_its_votes_and_enter_cancels(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)
        worker = run(app, delete_flow(app, AUDIT, poll))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        dialog = app.screen
        assert AUDIT_TITLE in dialog.title_text
        assert f"Its {poll.total_votes} votes will be lost" in dialog.message
        assert app.focused.id == "cancel"
        await pilot.press("enter")  # a stray enter deletes nothing
        assert await worker.wait() is False
    assert server_poll(ref_server, AUDIT, poll.id) is not None
    assert Journal.default().last() is None


async def test_delete_with_y_then_undo_brings_it_back_with_a_new_id(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    before = server_poll(ref_server, AUDIT, poll.id)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        worker = run(app, delete_flow(app, AUDIT, poll))
        await answer(pilot, app, "y")
        assert await worker.wait() is True
        assert server_poll(ref_server, AUDIT, poll.id) is None
        assert any(f"Deleted “{AUDIT_TITLE}” — press u to undo" in n for n in notes(app))
        entry = Journal.default().last()
        assert entry.action == "delete" and entry.before == before and entry.after is None

        worker = run(app, undo_flow(app))  # undoing a delete asks nothing: it only re-creates
        assert await worker.wait() == AUDIT
        assert any("new id" in n and AUDIT_TITLE in n for n in notes(app))
    restored = [p for p in server_polls(ref_server, AUDIT) if p["title"] == AUDIT_TITLE]
    assert len(restored) == 1 and restored[0]["id"] != poll.id
    assert {**restored[0], "id": poll.id} == before  # every field back, unknown ones included
    assert Journal.default().last() is None


async def test_delete_failure_is_told_and_not_journalled(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server, transport=FaultTransport({"DELETE"}, 500))
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        worker = run(app, delete_flow(app, AUDIT, poll))
        await answer(pilot, app, "y")
        assert await worker.wait() is False
        assert any("server failed (500)" in n for n in notes(app))
    assert server_poll(ref_server, AUDIT, poll.id) is not None
    assert Journal.default().last() is None


# -- undo ------------------------------------------------------------------------------------------


async def test_undo_of_an_update_made_in_the_editor(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    before = server_poll(ref_server, AUDIT, poll.id)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        field(screen, "#title").value = "Edited title"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: results)
        assert server_poll(ref_server, AUDIT, poll.id)["title"] == "Edited title"
        await pilot.pause(0.3)

        worker = run(app, undo_flow(app))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "before your edit" in app.screen.message
        await pilot.press("y")
        assert await worker.wait() == AUDIT
        assert any("previous version is back" in n for n in notes(app))
    assert server_poll(ref_server, AUDIT, poll.id) == before
    assert Journal.default().last() is None


async def test_undo_of_a_create_made_in_the_editor(empty_server):
    app = make_app(empty_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        screen, results = await open_editor(app, pilot, AUDIT, None)
        field(screen, "#title").value = "Short-lived"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: results)
        assert [p["title"] for p in server_polls(empty_server, AUDIT)] == ["Short-lived"]
        await pilot.pause(0.3)

        worker = run(app, undo_flow(app))
        await answer(pilot, app, "y")
        assert await worker.wait() == AUDIT
        assert any("Undid the creation" in n for n in notes(app))
    assert server_polls(empty_server, AUDIT) == []


async def test_undo_can_be_cancelled_and_nothing_changes(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    journal = Journal.default()
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        await start(app, pilot)
        edited = poll.clone()
        edited.title = "Edited"
        after = await app.client.update_poll(AUDIT, edited)
        journal.record("update", AUDIT, app.client.endpoint, poll.id, poll, after)
        worker = run(app, undo_flow(app))
        await answer(pilot, app, "n")
        assert await worker.wait() is None
    assert server_poll(ref_server, AUDIT, poll.id)["title"] == "Edited"
    assert journal.last().poll_id == poll.id


async def test_undo_asks_again_when_the_poll_changed_since(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    journal = Journal.default()
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        edited = poll.clone()
        edited.title = "Mine"
        after = await app.client.update_poll(AUDIT, edited)
        journal.record("update", AUDIT, app.client.endpoint, poll.id, poll, after)
        ref_server.store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, {**after.to_api(), "title": "Theirs"})
        worker = run(app, undo_flow(app))
        await answer(pilot, app, "y")  # undo the edit?
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen.title_text == "Undo anyway?")
        assert "changed on the server" in app.screen.message
        await pilot.press("y")
        assert await worker.wait() == AUDIT
    assert server_poll(ref_server, AUDIT, poll.id)["title"] == AUDIT_TITLE


async def test_nothing_to_undo(ref_server):
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        assert await run(app, undo_flow(app)).wait() is None
        assert any("Nothing to undo" in n for n in notes(app))


# -- duplicate -------------------------------------------------------------------------------------


async def test_duplicate_into_the_same_content_and_another(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    source = server_poll(ref_server, AUDIT, poll.id)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        worker = run(app, duplicate_flow(app, AUDIT, poll))
        await answer(pilot, app, "enter", DuplicateScreen)  # empty: this content item
        target, copy = await worker.wait()
        assert target == AUDIT and copy.title == AUDIT_TITLE + " (copy)" and copy.id != poll.id

        worker = run(app, duplicate_flow(app, AUDIT, poll))
        await until(pilot, lambda: isinstance(app.screen, DuplicateScreen))
        await pilot.press(*"PLAT-9x")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DuplicateScreen)  # not an issue key: the dialog says why
        assert "not a Jira issue key" in str(app.screen.query_one("#duplicate-error").content)
        app.screen.query_one("#duplicate-target").value = "plat-254611"
        await pilot.press("enter")
        target2, copy2 = await worker.wait()
        assert target2 == OTHER and copy2.title == AUDIT_TITLE
        assert any("Duplicated" in n for n in notes(app))

    stored = server_poll(ref_server, AUDIT, copy.id)
    expected = {**source, "id": copy.id, "title": AUDIT_TITLE + " (copy)"}
    assert stored == expected  # unknown fields copied too
    assert server_poll(ref_server, OTHER, copy2.id)["labels"] == ["audit", "q3"]
    entries = Journal.default().entries()
    assert [(e.action, e.ref, e.poll_id) for e in entries] == [("create", AUDIT, copy.id), ("create", OTHER, copy2.id)]


def test_parse_target():
    endpoint = "https://x.example/x1/abc"
    assert parse_target("", AUDIT, endpoint) == AUDIT
    assert parse_target(" plat-7 ", AUDIT, endpoint) == ContentRef.create("jira", "PLAT", "PLAT-7")
    url = f"{endpoint}?token=t0k3n-123&type=polls&workspace=MOBI&content=MOBI-1"
    assert parse_target(url, AUDIT, endpoint) == ContentRef.create("jira", "MOBI", "MOBI-1")
    page = ContentRef.create("confluence", "98306", "557057", "abc")
    assert parse_target("589825 def", page, endpoint) == ContentRef.create("confluence", "98306", "589825", "def")


# -- read-only and the keys on the main screen -------------------------------------------------------


async def test_flows_refuse_in_read_only_mode(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server, read_only=True)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        assert await run(app, delete_flow(app, AUDIT, poll)).wait() is False
        assert await run(app, undo_flow(app)).wait() is None
        assert await run(app, duplicate_flow(app, AUDIT, poll)).wait() is None
        assert sum("Read-only mode" in n for n in notes(app)) == 3
    assert server_poll(ref_server, AUDIT, poll.id) is not None


async def test_d_then_u_on_the_main_screen(ref_server):
    polls_before = server_polls(ref_server, AUDIT)
    first = polls_before[0]
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        await until(pilot, lambda: getattr(app.screen.table, "current_poll", None) is not None)
        assert app.screen.table.current_poll.id == first["id"]
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # Cancel
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("d")
        await answer(pilot, app, "y")
        await until(pilot, lambda: server_poll(ref_server, AUDIT, first["id"]) is None)
        await until(pilot, lambda: isinstance(app.screen, MainScreen) and not app.screen._busy)
        await pilot.press("u")
        await until(pilot, lambda: len(server_polls(ref_server, AUDIT)) == len(polls_before))
        await until(pilot, lambda: any("new id" in n for n in notes(app)))
    titles = sorted(p["title"] for p in server_polls(ref_server, AUDIT))
    assert titles == sorted(p["title"] for p in polls_before)


async def test_deleting_a_poll_already_gone_with_brackets_in_its_title_does_not_crash(ref_server):
    # The "already deleted" notice was markup: a title such as "[/] cleanup" raised MarkupError
    # while the toast rendered, and that ended the app.
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    poll.title = "[/] cleanup [WIP]"
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        ref_server.store.delete_poll("jira", AUDIT.workspace, AUDIT.content, AUDIT.container, poll.id)
        worker = run(app, delete_flow(app, AUDIT, poll))
        await answer(pilot, app, "y")
        assert await worker.wait() is True
        await pilot.pause(0.2)  # the toast renders
        assert any("“[/] cleanup [WIP]” was already deleted" in n for n in notes(app))


async def test_duplicate_to_a_pasted_url_never_shows_its_token(ref_server):
    from pollstui.api.address import build_url
    from tests.tui.helpers import screen_text

    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await start(app, pilot)
        worker = run(app, duplicate_flow(app, AUDIT, poll))
        await until(pilot, lambda: isinstance(app.screen, DuplicateScreen))
        app.screen.query_one("#duplicate-target").value = build_url(ref_server.jira_endpoint, ref_server.token, OTHER)
        await pilot.pause()
        assert ref_server.token not in screen_text(app)
        box = app.screen.query_one("#duplicate-target")
        assert ref_server.token not in box.value and "token=***" in box.value  # not even scrolled into view
        await pilot.press("enter")
        target, _copy = await worker.wait()
        assert target == OTHER
