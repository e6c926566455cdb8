"""The poll editor, driven with Pilot inside PollsApp against the real reference server on loopback.

(Cursor blinking is frozen by tests/tui/conftest.py.)

Faults are injected with ``client_factory``: tests/transports.py's FaultTransport fails only the
requests it is told to and passes everything else to the real server.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Select, Static, TextArea

from pollstui.api.address import ContentRef
from pollstui.api.models import Poll
from pollstui.dates import DateError, parse_typed_end
from pollstui.session.journal import Journal
from pollstui.settings import Connection
from pollstui.text import cell_width
from pollstui.tui.app import PollsApp
from pollstui.tui.screens.confirm import ConfirmScreen
from pollstui.tui.screens.conflict import ConflictScreen, describe_changes
from pollstui.tui.screens.editor import EditorScreen
from pollstui.tui.screens.restore_draft import RestoreDraftScreen
from pollstui.tui.screens.template_picker import TemplatePickerScreen
from pollstui.tui.widgets.footer import FittingFooter
from tests.example import STARS_TITLE
from tests.transports import FaultTransport
from tests.tui.helpers import screen_text
from tests.tui.helpers import wait_for as until

AUDIT = ContentRef.create("jira", "PLAT", "PLAT-254630")  # the poll with unknown fields lives here
STARS = ContentRef.create("jira", "PLAT", "PLAT-254604")
AUDIT_TITLE = "Database for the new audit log 🗄️"


# -- helpers (test_delete_undo imports them) -------------------------------------------------------


def make_app(server, ref: ContentRef = AUDIT, *, transport=None, read_only: bool = False) -> PollsApp:
    connection = Connection(endpoint=server.jira_endpoint, token=server.token, product="jira", ref=ref)
    # With a fault transport, a retried GET waits 10 ms, not 0.25 s and more (the waits: tests/api).
    factory = (lambda c: c.make_client(transport=transport, backoff=0.01)) if transport is not None else None
    return PollsApp(connection, read_only=read_only, client_factory=factory)


def server_polls(server, ref: ContentRef) -> list[dict]:
    return server.store.list_polls(ref.product, ref.workspace, ref.content, ref.container)


def server_poll(server, ref: ContentRef, poll_id: str) -> dict | None:
    return server.store.get_poll(ref.product, ref.workspace, ref.content, ref.container, poll_id)


def loaded_poll(server, ref: ContentRef, title: str) -> Poll:
    """The poll as the app would have it from GET ?expand=results."""
    for body in server_polls(server, ref):
        if body["title"] == title:
            return Poll.from_api({**body, "results": server.store.results(body["id"])})
    raise LookupError(title)


async def open_editor(app, pilot, ref: ContentRef, poll: Poll | None) -> tuple[EditorScreen, list]:
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted)
    await pilot.pause()
    results: list = []
    screen = EditorScreen(ref, poll.clone() if poll is not None else None)
    app.push_screen(screen, results.append)
    await until(pilot, lambda: app.screen is screen or isinstance(app.screen, RestoreDraftScreen))
    await pilot.pause()
    return screen, results


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def field(screen, selector: str, kind=Input):
    return screen.query_one(selector, kind)


async def save_and_wait(pilot, screen: EditorScreen, results: list) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, lambda: results)


# -- creating ----------------------------------------------------------------------------------------


async def test_new_poll_starts_from_the_default_template_with_the_title_focused(empty_server):
    app = make_app(empty_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, None)
        assert app.focused is field(screen, "#title")
        assert field(screen, "#title").value == ""
        assert [o.title for o in screen.options_editor.options] == ["Yes", "No"]
        assert screen.settings_form.values()["results_visibility"] == "alwaysPublic"
        assert not screen.is_dirty()


async def test_create_from_a_template_keeps_title_and_description(empty_server):
    app = make_app(empty_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, None)
        await pilot.press(*"Rate", "space", *"it")
        assert field(screen, "#title").value == "Rate it"
        field(screen, "#description", TextArea).load_text("How was the demo?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TemplatePickerScreen))
        await pilot.press("down", "enter")  # Yes/No → Stars 1–5
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert field(screen, "#title").value == "Rate it"
        assert field(screen, "#description", TextArea).text == "How was the demo?"
        assert [o.title for o in screen.options_editor.options] == ["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]

        await save_and_wait(pilot, screen, results)
        created = results[0]
        assert isinstance(created, Poll) and created.id
        await pilot.pause()
        assert app.screen is not screen

    stored = server_poll(empty_server, AUDIT, created.id)
    assert stored["title"] == "Rate it" and stored["description"] == "How was the demo?"
    assert [(o["id"], o["order"]) for o in stored["options"]] == [(str(i), i - 1) for i in range(1, 6)]
    assert stored["settings"]["resultsVisibility"] == "alwaysPublic"
    entry = Journal.default().last()
    assert entry.action == "create" and entry.poll_id == created.id and entry.before is None
    assert not app.session.drafts.exists(AUDIT, None)


async def test_template_on_an_existing_poll_never_reuses_its_option_ids(ref_server):
    app = make_app(ref_server, STARS)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, STARS, loaded_poll(ref_server, STARS, STARS_TITLE))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, TemplatePickerScreen))
        await pilot.press("home", "enter")  # Yes / No
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert [(o.id, o.title) for o in screen.options_editor.options] == [("6", "Yes"), ("7", "No")]


# -- editing -----------------------------------------------------------------------------------------


async def test_edit_reorder_add_keeps_ids_order_and_unknown_fields(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    before = server_poll(ref_server, AUDIT, poll.id)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        assert app.focused is field(screen, "#title")
        assert field(screen, "#title").value == AUDIT_TITLE
        await pilot.press("end", *"!")
        editor = screen.options_editor
        editor.focus_option(2)  # DynamoDB
        await pilot.press("ctrl+up")
        await pilot.press("alt+up")
        assert [o.id for o in editor.options] == ["dy", "pg", "ch"]
        assert editor.focused_index() == 0
        editor.focus_option(2)
        await pilot.press("ctrl+n")
        await pilot.press(*"SQLite")
        await pilot.press("alt+down")  # already last: stays
        await pilot.press("tab")  # → first setting switch (multiple choice: on)
        await pilot.press("space")
        assert screen.settings_form.values()["allow_selection_of_multiple_options"] is False
        await save_and_wait(pilot, screen, results)
        assert results[0] is not None

    stored = server_poll(ref_server, AUDIT, poll.id)
    assert stored["title"] == AUDIT_TITLE + "!"
    assert [(o["id"], o["title"], o["order"]) for o in stored["options"]] == [
        ("dy", "DynamoDB", 0),
        ("pg", "PostgreSQL 🐘", 1),
        ("ch", "ClickHouse", 2),
        ("1", "SQLite", 3),
    ]
    # unknown fields, at every level, exactly as they were
    assert stored["labels"] == before["labels"] and stored["x-origin"] == before["x-origin"]
    assert stored["options"][1]["color"] == "#336791"
    assert stored["options"][2]["meta"] == {"benchmark": "2.3x", "tags": []}
    assert stored["settings"]["anonymousMode"] == "strict"
    assert stored["settings"]["reminder"] == {"every": "P1D", "enabled": False}
    assert stored["settings"]["resultsVisibility"] == "afterVote"
    assert stored["settings"]["allowSelectionOfMultipleOptions"] is False
    # votes follow ids: the reordered options kept theirs
    results_after = ref_server.store.results(poll.id)
    assert {r["optionId"]: r["votes"] for r in results_after["options"]}["pg"] == poll.results_view.votes_for("pg")
    entry = Journal.default().last()
    assert entry.action == "update" and entry.before == before and entry.after == stored


async def test_a_title_with_vs16_is_drawn_in_the_cells_textual_counted(ref_server):
    """🗄️ is two cells to Textual, one to tmux: the title field draws 🗄 and a space (every cell,
    the border after it included, where Textual put it), and its value keeps the VS16."""
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, poll)
        assert field(screen, "#title").value == AUDIT_TITLE
        line = next(line for line in screen_text(app).splitlines() if "audit log" in line)
        assert "\ufe0f" not in line and "audit log \U0001f5c4 " in line
        assert cell_width(line) == 100  # as wcwidth counts it too, now that no VS16 is drawn


async def test_unknown_results_visibility_is_offered_and_kept(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    raw = poll.to_api()
    raw["settings"]["resultsVisibility"] = "onlyAdmins"
    ref_server.store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, raw)
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        select = field(screen, "#results-visibility", Select)
        assert select.value == "onlyAdmins"
        assert "onlyAdmins" in [value for _, value in select._options]
        field(screen, "#description", TextArea).load_text("Edited")
        await pilot.pause()
        await save_and_wait(pilot, screen, results)
    stored = server_poll(ref_server, AUDIT, poll.id)
    assert stored["settings"]["resultsVisibility"] == "onlyAdmins" and stored["description"] == "Edited"


# -- validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "error_id", "words"),
    [
        ({"title": ""}, "#title-error", "title is required"),
        ({"end_date": "2031-13-45"}, "#end-date-error", "as an end date: use e.g. in 2h"),
        ({"close": True, "end_date": ""}, "#end-date-error", "needs an end date"),
        ({"option": ""}, "#options-error", "Option 2 has no text"),
    ],
)
async def test_validation_errors_show_beside_the_field_and_send_nothing(ref_server, setup, error_id, words):
    transport = FaultTransport()
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    before = server_poll(ref_server, AUDIT, poll.id)
    app = make_app(ref_server, transport=transport)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: "GET" in transport.sent and not any(w.is_running for w in app.workers))
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        sent_before = list(transport.sent)
        if "title" in setup:
            field(screen, "#title").value = setup["title"]
        if "end_date" in setup:
            field(screen, "#end-date").value = setup["end_date"]
        if setup.get("close"):
            screen.settings_form.switch("close_poll_on_end_date").value = True
        if "option" in setup:
            screen.options_editor.rename(1, setup["option"])
        await pilot.pause()
        await pilot.press("ctrl+s")
        label = screen.query_one(error_id, Label)
        await until(pilot, lambda: label.has_class("-shown"))
        assert words in str(label.content)
        assert app.screen is screen and not results
        assert "fix the fields" in str(screen.query_one("#editor-status", Static).content)
        assert transport.sent == sent_before  # not even the GET before a PUT
    assert server_poll(ref_server, AUDIT, poll.id) == before


def test_end_date_formats():
    for good in ("", "2030-12-31", "2030-12-31T17:00:00Z", "2030-12-31T17:00:00+02:00", "2030-12-31T17:00", "tomorrow",
                 "in 2h", "fri 17:00", "none"):  # fmt: skip
        parse_typed_end(good)
    for bad in ("next friday", "31/12/2030", "2030-02-30", "2030-12-31T25:00"):
        with pytest.raises(DateError):
            parse_typed_end(bad)


async def test_an_end_date_the_editor_cannot_read_goes_back_as_it_came_after_a_title_change(ref_server):
    """Issue 19, item 13: ``next friday`` from the server blocked the save ("fix the fields marked in red")."""
    body = {"title": "Lunch?", "options": [{"id": "1", "title": "Pizza", "order": 0}],
            "settings": {"endDate": "next friday", "closePollOnEndDate": True, "futureSwitch": 1}}  # fmt: skip
    poll_id = ref_server.store.create_poll("jira", "PLAT", "PLAT-254630", "", body)["id"]
    before = server_poll(ref_server, AUDIT, poll_id)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, loaded_poll(ref_server, AUDIT, "Lunch?"))
        assert field(screen, "#end-date").value == "next friday"
        field(screen, "#title").value = "Lunch on Friday?"
        await pilot.pause()
        await save_and_wait(pilot, screen, results)
        assert isinstance(results[0], Poll)
    assert server_poll(ref_server, AUDIT, poll_id) == {**before, "title": "Lunch on Friday?"}


async def test_a_typed_end_date_is_previewed_and_sent_with_its_offset(ref_server, monkeypatch):
    import time
    from datetime import datetime, timedelta, timezone

    from pollstui.dates import parse_end_date

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    try:
        async with app.run_test(size=(100, 32), notifications=True) as pilot:
            screen, results = await open_editor(app, pilot, AUDIT, poll)
            help_line = screen.query_one("#end-date-help", Label)
            field(screen, "#end-date").value = "in 5m"
            await pilot.pause()
            assert str(help_line.content).startswith("→ ") and str(help_line.content).endswith(" · in 5 min")
            assert "CET" in str(help_line.content)
            field(screen, "#end-date").value = "in 5 parsecs"
            await pilot.pause()
            assert "after 'in', a duration" in str(help_line.content)
            field(screen, "#end-date").value = "in 5m"
            await pilot.pause()
            await save_and_wait(pilot, screen, results)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    sent = server_poll(ref_server, AUDIT, poll.id)["settings"]["endDate"]
    assert sent.endswith("+01:00")
    assert timedelta(minutes=4) < parse_end_date(sent) - datetime.now(timezone.utc) <= timedelta(minutes=5)


# -- failures keep everything ------------------------------------------------------------------------


async def test_failed_update_keeps_the_editor_open_and_the_draft(ref_server):
    # One fault: every failure takes the same path here (the faults themselves: test_tui_faults.py).
    transport = FaultTransport()
    transport.fail["PUT"] = 500
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server, transport=transport)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        field(screen, "#title").value = "Typed, not lost"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: transport.failed)
        await until(pilot, lambda: screen.has_class("-x") or "Not saved" in str(screen.query_one("#editor-status", Static).content))
        assert app.screen is screen and not results
        assert field(screen, "#title").value == "Typed, not lost"
        assert any("server failed (500)" in n for n in notes(app)), notes(app)
        assert all(ref_server.token not in n for n in notes(app))
        draft = app.session.drafts.load(AUDIT, poll.id)
        assert draft is not None and draft.poll["title"] == "Typed, not lost"
    assert server_poll(ref_server, AUDIT, poll.id)["title"] == AUDIT_TITLE


async def test_failed_create_keeps_the_new_poll_draft(empty_server):
    transport = FaultTransport()
    transport.fail["POST"] = 400  # refused: certainly not created (a 5xx may have been: "Maybe saved")
    app = make_app(empty_server, transport=transport)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, None)
        field(screen, "#title").value = "Brand new"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Not saved" in str(screen.query_one("#editor-status", Static).content))
        assert app.screen is screen and not results
        assert app.session.drafts.load(AUDIT, None).title == "Brand new"
    assert server_polls(empty_server, AUDIT) == []


# -- drafts ------------------------------------------------------------------------------------------


async def test_autosave_and_restore_after_a_quit(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, poll)
        await pilot.press("end", *" v2")
        screen.options_editor.rename(0, "Postgres")
        await until(pilot, lambda: app.session.drafts.exists(AUDIT, poll.id))  # autosaved while typing
    # the app is gone (a quit, a crash): the next editor for that poll offers the draft
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        assert app.focused.id == "confirm"  # Restore is the default
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert field(screen, "#title").value == AUDIT_TITLE + " v2"
        assert screen.options_editor.options[0].title == "Postgres"
        assert screen.is_dirty()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # a voted option was renamed
        await pilot.press("y")
        await until(pilot, lambda: results)
    stored = server_poll(ref_server, AUDIT, poll.id)
    assert stored["title"] == AUDIT_TITLE + " v2" and stored["options"][0]["title"] == "Postgres"
    assert stored["labels"] == ["audit", "q3"]
    assert not app.session.drafts.exists(AUDIT, poll.id)


async def test_pending_changes_are_written_when_the_app_quits(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, poll)
        field(screen, "#title").value = "Quit right away"
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert app.session.drafts.load(AUDIT, poll.id).title == "Quit right away"


async def test_new_poll_draft_is_offered_and_can_be_discarded(empty_server):
    app = make_app(empty_server)
    app.session.drafts.save(AUDIT, None, Poll.new("Half typed", options=[{"id": "1", "title": "A", "order": 0}]))
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, None)
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        await pilot.press("d")
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert field(screen, "#title").value == ""
        assert [o.title for o in screen.options_editor.options] == ["Yes", "No"]
        assert not app.session.drafts.exists(AUDIT, None)


async def test_restored_new_poll_draft(empty_server):
    app = make_app(empty_server)
    app.session.drafts.save(AUDIT, None, Poll.new("Half typed", options=[{"id": "1", "title": "A", "order": 0}]))
    async with app.run_test(size=(100, 32)) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, None)
        await until(pilot, lambda: isinstance(app.screen, RestoreDraftScreen))
        await pilot.press("escape")  # escape keeps the draft: it restores
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        assert field(screen, "#title").value == "Half typed"
        await save_and_wait(pilot, screen, results)
    assert [p["title"] for p in server_polls(empty_server, AUDIT)] == ["Half typed"]


# -- cancelling --------------------------------------------------------------------------------------


async def test_escape_without_changes_closes_at_once(ref_server):
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, loaded_poll(ref_server, AUDIT, AUDIT_TITLE))
        await pilot.press("escape")
        await until(pilot, lambda: results)
        assert results == [None]


async def test_escape_with_changes_asks_first(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        field(screen, "#title").value = "Changed"
        await until(pilot, lambda: app.session.drafts.exists(AUDIT, poll.id))  # autosaved
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # Keep editing is the default
        await until(pilot, lambda: app.screen is screen)
        assert not results and field(screen, "#title").value == "Changed"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: results)
        assert results == [None]
    assert not app.session.drafts.exists(AUDIT, poll.id)
    assert server_poll(ref_server, AUDIT, poll.id)["title"] == AUDIT_TITLE


async def test_read_only_refuses_to_open(ref_server):
    app = make_app(ref_server, read_only=True)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, None)
        await until(pilot, lambda: results)
        assert results == [None]
        assert any("Read-only" in n for n in notes(app))


# -- votes and conflicts -----------------------------------------------------------------------------


async def test_removing_a_voted_option_asks_first(ref_server):
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    assert poll.results_view.votes_for("ch") > 0
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        screen.options_editor.focus_option(1)  # ClickHouse
        await pilot.press("ctrl+r")
        assert [o.id for o in screen.options_editor.options] == ["pg", "dy"]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        message = str(app.screen.message)
        assert "ClickHouse" in message and "removed" in message
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen)
        assert not results
        assert len(server_poll(ref_server, AUDIT, poll.id)["options"]) == 3
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: results)
    assert [o["id"] for o in server_poll(ref_server, AUDIT, poll.id)["options"]] == ["pg", "dy"]


def change_on_server(server, poll: Poll) -> dict:
    theirs = poll.to_api()
    theirs["title"] = "Renamed by someone else"
    theirs["settings"]["allowRevote"] = True
    theirs["options"][2]["title"] = "Aurora"
    server.store.replace_poll("jira", "PLAT", AUDIT.content, "", poll.id, theirs)
    return server_poll(server, AUDIT, poll.id)


async def test_conflict_on_put_lists_their_changes_and_reload_takes_theirs(ref_server):
    # Overwrite and keep editing: tests/session/test_saving.py. Here, the dialog and the reload.
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        field(screen, "#description", TextArea).load_text("My description")
        await pilot.pause()
        theirs = change_on_server(ref_server, poll)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        changes = app.screen.lines
        assert any(line.startswith("Title:") and "Renamed by someone else" in line for line in changes)
        assert "Option renamed: “DynamoDB” → “Aurora”" in changes
        assert "Change of vote: off → on" in changes
        assert app.focused.id == "keep"
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: app.screen is screen)
        await until(pilot, lambda: field(screen, "#title").value == "Renamed by someone else")
        assert field(screen, "#description", TextArea).text == poll.description
        assert screen.options_editor.options[2].title == "Aurora"
        assert not screen.is_dirty() and not results
        assert server_poll(ref_server, AUDIT, poll.id) == theirs
        # saving now is no conflict any more
        field(screen, "#title").value = "Theirs, then mine"
        await pilot.pause()
        await save_and_wait(pilot, screen, results)
        assert server_poll(ref_server, AUDIT, poll.id)["settings"]["allowRevote"] is True


def test_describe_changes():
    before = Poll.from_api(
        {
            "id": "p",
            "title": "A",
            "description": "d",
            "options": [{"id": "1", "title": "x", "order": 0}, {"id": "2", "title": "y", "order": 1}],
            "settings": {"endDate": "", "mystery": 1},
            "extra": 1,
        }
    )
    after = Poll.from_api(
        {
            "id": "p",
            "title": "B",
            "description": "e",
            "options": [{"id": "3", "title": "z", "order": 0}, {"id": "1", "title": "x", "order": 1}],
            "settings": {"endDate": "2030-01-01", "mystery": 2},
            "extra": 2,
        }
    )
    assert describe_changes(before, after) == [
        "Title: “A” → “B”",
        "Description changed",
        "Option added: “z”",
        "Option removed: “y”",
        "End date: none → 2030-01-01",
        "Setting “mystery”: 1 → 2",
        "Field “extra” changed",
    ]
    assert describe_changes(before, before.clone()) == []


async def test_a_bug_in_a_save_attempt_is_told_and_the_editor_keeps_everything(ref_server, monkeypatch):
    # The save worker's failures were dropped (worker events do not bubble): ctrl+s did nothing at all.
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        screen, results = await open_editor(app, pilot, AUDIT, poll)
        field(screen, "#title").value = "Kept through a bug"
        await pilot.pause()

        def broken(*_args, **_kwargs):
            raise RuntimeError("a bug in validation")

        monkeypatch.setattr(screen, "_validate", broken)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("Something went wrong inside pollstui" in n for n in notes(app)))
        assert app.screen is screen and results == []
        assert field(screen, "#title").value == "Kept through a bug"
        assert screen._saving is False  # ctrl+s works again


async def test_the_footer_draws_the_move_keys_as_one_group_and_a_click_on_either_moves(ref_server):
    """As Textual's footer draws a binding group: "^↑^↓ Move", each key its own (tooltip, click)."""
    poll = loaded_poll(ref_server, AUDIT, AUDIT_TITLE)
    app = make_app(ref_server)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, _ = await open_editor(app, pilot, AUDIT, poll)
        first = screen.options_editor.options[0].title
        screen.options_editor.focus_option(0)
        await pilot.pause()
        footer = screen.query_one(FittingFooter)
        actions = [entry.action for entry in footer.shown]
        assert actions[actions.index("move_option(-1)") + 1] == "move_option(1)"
        row = screen_text(app).splitlines()[-1]
        assert "^↑^↓ Move " in row and "Move up" not in row and "Template" in row
        await pilot.hover(FittingFooter, offset=(row.index("^↓"), 0))
        assert footer.tooltip == "Move down"
        await pilot.click(FittingFooter, offset=(row.index("^↓"), 0))
        await until(pilot, lambda: screen.options_editor.options[1].title == first)
        assert screen.options_editor.focused_index() == 1
