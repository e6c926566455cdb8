"""Scan to vote: present mode's QR code (``v``) is exactly the matrix segno makes for the link.

Decoding a QR code needs a camera library this project does not ship, so the tests check the
drawing instead: every module of segno's matrix appears as the right half of the right cell.
"""

from __future__ import annotations

import pytest
import segno

from pollstui.tui.screens.present import PresentScreen
from pollstui.tui.widgets.qr_code import QUIET_ZONE, QRCode, draw, fit_scale
from tests.tui.helpers import screen_text, settle, wait_for
from tests.tui.test_present_snapshots import NOW, present, release_train_app  # noqa: F401  (a fixture)

SITE = "https://acme.atlassian.net"
LINK = f"{SITE}/browse/PLAT-254604"  # the release-train poll's issue

#: (upper module dark, lower module dark) of each half-block character.
HALVES = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def segno_modules(data: str) -> list[list[bool]]:
    code = segno.make_qr(data, error="m")
    return [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]


def undraw(lines: list[str], scale: int) -> list[list[bool]]:
    """The modules the lines show: every cell split into its halves, every scale×scale block one module."""
    rows: list[list[bool]] = []
    for line in lines:
        rows.append([HALVES[char][0] for char in line])
        rows.append([HALVES[char][1] for char in line])
    size = len(lines[0]) // scale
    modules = []
    for r in range(size):
        block_rows = rows[r * scale:(r + 1) * scale]
        row = []
        for c in range(size):
            values = {value for block in block_rows for value in block[c * scale:(c + 1) * scale]}
            assert len(values) == 1, f"module {r},{c} is not one solid {scale}×{scale} block"
            row.append(values.pop())
        modules.append(row)
    return modules


@pytest.mark.parametrize("scale", [1, 2, 3])
def test_every_module_is_drawn_as_the_right_half_block(scale):
    expected = segno_modules(LINK)
    lines = draw(tuple(map(tuple, expected)), scale)
    assert len(lines[0]) == len(expected) * scale
    assert len(lines) == (len(expected) * scale + 1) // 2
    assert undraw(lines, scale)[: len(expected)] == expected


def test_the_largest_scale_that_fits():
    assert fit_scale(37, 100, 30) == 1
    assert fit_scale(37, 120, 40) == 2
    assert fit_scale(37, 200, 60) == 3
    assert fit_scale(37, 20, 10) == 1, "never below 1"


async def test_v_shows_the_link_as_a_qr_code_beside_the_moving_bars(release_train_app):  # noqa: F811
    app = release_train_app
    app.site_url = SITE
    async with app.run_test(size=(120, 40)) as pilot:
        await present("Which release train")(pilot)  # no wide characters beside the code
        assert isinstance(app.screen, PresentScreen)
        await pilot.press("v")
        await wait_for(pilot, lambda: app.screen.query_one(QRCode).display)
        await settle(pilot)
        code = app.screen.query_one(QRCode)
        assert code.data == LINK and app.connection.token not in code.data
        region = code.content_region
        shown = [line[region.x:region.right] for line in screen_text(app).splitlines()[region.y:region.bottom]]
        assert shown[0].strip() == "Scan to vote"
        lines = shown[1: 1 + (len(code.matrix) * code.scale + 1) // 2]
        assert code.scale >= 1
        assert undraw(lines, code.scale)[: len(code.matrix)] == segno_modules(LINK)
        bars = app.screen.query_one("#present-bars")
        assert bars.region.right <= code.region.x, "the bars keep their own room"
        await pilot.press("v")
        await pilot.pause()
        assert not code.display, "v hides it again"


async def test_without_a_site_url_v_asks_and_says_what_is_missing(release_train_app):  # noqa: F811
    app = release_train_app
    async with app.run_test(size=(100, 30)) as pilot:
        await present("Which release train")(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "Where do these polls live?" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PresentScreen))
        code = app.screen.query_one(QRCode)
        assert code.display and not code.matrix
        region = code.content_region
        said = " ".join(" ".join(line[region.x:region.right] for line in screen_text(app).splitlines()[region.y:region.bottom]).split())
        assert "Scan to vote needs the site URL" in said and "--site URL" in said


def test_present_mode_with_qr_code(snap_compare, release_train_app):  # noqa: F811
    release_train_app.site_url = SITE
    assert snap_compare(release_train_app, terminal_size=(100, 30), run_before=present("Which release train", "v"))


async def test_a_code_that_does_not_fit_is_not_drawn_cut_short(release_train_app):  # noqa: F811
    app = release_train_app
    app.site_url = SITE
    async with app.run_test(size=(60, 20)) as pilot:
        await present("Which release train")(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: app.screen.query_one(QRCode).display)
        await settle(pilot)
        assert "█▀▀▀▀▀█" not in screen_text(app), "no finder pattern: no partial code"
        code = app.screen.query_one(QRCode)
        region = code.content_region
        said = " ".join(" ".join(line[region.x:region.right] for line in screen_text(app).splitlines()[region.y:region.bottom]).split())
        assert "Too small for the QR code: it needs 37×20 cells" in said


def test_present_mode_with_qr_code_sixteen_colours(snap_compare, release_train_app):  # noqa: F811
    from tests.tui.test_terminals import sixteen_colours

    release_train_app.site_url = SITE
    sixteen_colours(release_train_app)
    assert snap_compare(release_train_app, terminal_size=(100, 30), run_before=present("Which release train", "v"))
