"""The detail pane redraws only what differs between two polls, and still shows each poll whole."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from pollstui.api.models import Poll
from pollstui.tui.widgets.poll_detail import PollDetail


def poll(poll_id: str, *, multiple: bool, description: str = "One line.") -> Poll:
    return Poll.from_api({
        "id": poll_id, "title": f"Poll {poll_id}", "description": description,
        "options": [{"id": "o1", "title": "Yes"}, {"id": "o2", "title": "No"}],
        "settings": {"allowSelectionOfMultipleOptions": multiple, "resultsVisibility": "alwaysPublic"},
    })  # fmt: skip


class DetailApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PollDetail()


def part(app: App, name: str) -> Static:
    return app.query_one(f"#detail-{name}", Static)


def shown(app: App, name: str) -> str:
    return "\n".join(line.text for line in part(app, name).render_lines(part(app, name).region.reset_offset))


async def test_moving_between_polls_shows_each_setting_and_title() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        for item, choice in ((poll("a", multiple=True), "multiple"), (poll("b", multiple=False), "single"),
                             (poll("c", multiple=False), "single"), (poll("a", multiple=True), "multiple")):  # fmt: skip
            detail.show_poll(item)
            await pilot.pause()
            assert item.title in shown(app, "title")
            assert choice in shown(app, "settings")
            assert f"id {item.id}" in shown(app, "id")


async def test_a_description_that_grows_gets_its_lines() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        detail.show_poll(poll("a", multiple=False))
        await pilot.pause()
        assert part(app, "description").region.height == 1
        detail.show_poll(poll("b", multiple=False, description="first\nsecond\nthird"))
        await pilot.pause()
        assert part(app, "description").region.height == 3
        assert "third" in shown(app, "description")
        detail.show_poll(poll("c", multiple=False, description="x " * 100))  # wraps: measured, not counted
        await pilot.pause()
        assert part(app, "description").region.height > 1


async def test_showing_what_is_drawn_again_draws_nothing_and_a_toggle_draws_once() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        draws: list[object] = []
        draw = detail._render_poll
        detail._render_poll = lambda: (draws.append(detail.poll), draw())[1]  # type: ignore[method-assign]
        first = poll("a", multiple=False)
        detail.show_poll(first, show_numbers=False)
        detail.show_poll(first, show_numbers=False)  # the table's highlight after the first draw
        assert draws == [first]
        detail.show_poll(first, show_numbers=True)  # h: the counts change
        detail.show_poll(first, show_numbers=True)
        assert draws == [first, first]
        again = poll("a", multiple=False)  # a reload: a new poll, equal or not, is drawn
        detail.show_poll(again)
        await pilot.pause()
        assert len(draws) == 3 and draws[-1] is again
        assert "id a" in shown(app, "id")
