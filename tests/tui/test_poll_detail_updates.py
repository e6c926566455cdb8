"""The detail pane redraws only what differs between two polls, and still shows each poll whole."""

from __future__ import annotations

from textual.app import App, ComposeResult

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


def shown(app: App) -> str:
    return app.query_one(PollDetail).text


async def test_moving_between_polls_shows_each_setting_and_title() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        for item, choice, other in ((poll("a", multiple=True), "multiple", "single"),
                                    (poll("b", multiple=False), "single", "multiple"),
                                    (poll("c", multiple=False), "single", "multiple"),
                                    (poll("a", multiple=True), "multiple", "single")):  # fmt: skip
            detail.show_poll(item)
            await pilot.pause()
            text = shown(app)
            assert text.splitlines()[0] == item.title
            assert f"Choice         {choice}" in text and f"Choice         {other}" not in text
            assert text.splitlines()[-1] == f"id {item.id}"


async def test_a_description_takes_the_lines_it_needs() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        detail.show_poll(poll("a", multiple=False))
        await pilot.pause()
        assert shown(app).splitlines()[1:3] == ["One line.", ""]
        detail.show_poll(poll("b", multiple=False, description="first\nsecond\nthird"))
        await pilot.pause()
        assert shown(app).splitlines()[1:5] == ["first", "second", "third", ""]
        detail.show_poll(poll("c", multiple=False, description="x " * 100))  # wraps at the pane's width
        await pilot.pause()
        lines = shown(app).splitlines()
        assert all(line.startswith("x x") for line in lines[1:3]) and lines[3].startswith("x") and lines[4] == ""


async def test_a_poll_taller_than_the_pane_scrolls_and_the_next_poll_starts_at_its_top() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 10)) as pilot:
        detail = app.query_one(PollDetail)
        detail.show_poll(poll("a", multiple=False, description="\n".join(f"line {n}" for n in range(30))))
        await pilot.pause()
        detail.focus()
        await pilot.press("end")
        await pilot.pause()
        assert detail.scroll_y > 0
        assert "id a" in "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        detail.show_poll(poll("b", multiple=False))
        await pilot.pause()
        assert detail.scroll_y == 0


async def test_showing_what_is_drawn_again_draws_nothing_and_a_toggle_draws_once() -> None:
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        await pilot.pause()
        draws: list[object] = []
        draw = detail._parts
        detail._parts = lambda width: (draws.append(detail.poll), draw(width))[1]  # type: ignore[method-assign]
        first = poll("a", multiple=False)
        detail.show_poll(first, show_numbers=False)
        detail.show_poll(first, show_numbers=False)  # the table's highlight after the first draw
        await pilot.pause()
        assert draws == [first]
        detail.show_poll(first, show_numbers=True)  # h: the counts change
        detail.show_poll(first, show_numbers=True)
        await pilot.pause()
        assert draws == [first, first]
        again = poll("a", multiple=False)  # a reload: a new poll, equal or not, is drawn
        detail.show_poll(again)
        await pilot.pause()
        assert len(draws) == 3 and draws[-1] is again
        assert "id a" in shown(app)


async def test_a_reload_of_the_poll_on_show_keeps_where_the_reader_scrolled_to() -> None:
    """``r`` and auto-refresh hand the pane a new copy of the same poll: the reader stays put."""
    app = DetailApp()
    tall = "\n".join(f"line {n}" for n in range(30))
    async with app.run_test(size=(80, 10)) as pilot:
        detail = app.query_one(PollDetail)
        detail.show_poll(poll("a", multiple=False, description=tall))
        await pilot.pause()
        detail.focus()
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()  # "end" scrolls smoothly: measure where it stops
        scrolled = detail.scroll_y
        assert scrolled > 0
        detail.show_poll(poll("a", multiple=True, description=tall))  # reloaded, one setting changed
        await pilot.pause()
        assert detail.scroll_y == scrolled
        assert "Choice         multiple" in shown(app)
        detail.show_poll(poll("b", multiple=False, description=tall))  # another poll starts at its top
        await pilot.pause()
        assert detail.scroll_y == 0


async def test_the_last_line_is_reachable_when_the_scrollbar_makes_the_text_wrap_longer() -> None:
    """A poll taller than the pane brings a scrollbar, which takes columns: the description wraps
    into more lines than at the full width, and the pane scrolls to the last of them."""
    app = DetailApp()
    async with app.run_test(size=(40, 12)) as pilot:
        detail = app.query_one(PollDetail)
        # Words of 18: two a line at the pane's 38 columns, one a line once the scrollbar takes 2.
        detail.show_poll(poll("a", multiple=False, description=" ".join(["x" * 18] * 10)))
        await pilot.pause()
        detail.focus()
        await pilot.press("end")
        await pilot.pause()
        on_screen = [strip.text.strip() for strip in app.screen._compositor.render_strips()]
        assert on_screen[-1] == "id a", on_screen


async def test_the_pane_shows_when_it_has_the_focus() -> None:
    """tab reaches the pane (its keys scroll it): its look says so, as the poll list's does."""
    app = DetailApp()
    async with app.run_test(size=(60, 20)) as pilot:
        detail = app.query_one(PollDetail)
        detail.show_poll(poll("a", multiple=False))
        app.set_focus(None)
        await pilot.pause()

        def background() -> object:
            line = list(app.screen._compositor.render_strips())[1]  # the description line
            return next(segment.style.bgcolor for segment in line if segment.style is not None)

        blurred = background()
        detail.focus()
        await pilot.pause()
        assert background() != blurred
        assert "One line." in shown(app)


async def test_the_same_poll_shown_again_after_its_end_date_passed_says_so(monkeypatch) -> None:
    """A refresh whose answer is byte for byte the last one hands back the very same poll
    (Session.load): the pane still says "(passed)" once the end date is behind us."""
    import datetime as real

    import pollstui.dates

    ending = poll("a", multiple=False)
    ending.settings.end_date = "2030-01-01T12:00:00Z"
    app = DetailApp()
    async with app.run_test(size=(80, 40)) as pilot:
        detail = app.query_one(PollDetail)
        detail.show_poll(ending)
        await pilot.pause()
        assert "2030-01-01 12:00 UTC" in shown(app) and "(passed)" not in shown(app)

        class Later(real.datetime):
            @classmethod
            def now(cls, tz=None):  # the end date is behind us
                return real.datetime(2030, 1, 2, tzinfo=real.timezone.utc)

        monkeypatch.setattr(pollstui.dates, "datetime", Later)
        detail.show_poll(ending)
        await pilot.pause()
        assert "2030-01-01 12:00 UTC (passed)" in shown(app)
