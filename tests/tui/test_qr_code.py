"""Scan to vote: present mode's QR code (``v``) is exactly the matrix segno makes for the link.

The drawing is checked module by module (every module of segno's matrix appears as the right half
of the right cell), and the code is decoded off the rendered screen by zxing-cpp (the test extra),
in the colours the terminal shows: 256 colours, 16 colours and NO_COLOR.
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
        assert code.data == LINK and app.session.connection.token not in code.data
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


# --- decoded off the screen, as a phone would ---------------------------------------------------------

#: Pixels per module (a cell is one module wide and two tall: each half a square).
PIXELS = 4


def screen_image(app) -> memoryview:  # noqa: ANN001
    """The screen as a grey image, as the terminal paints it: every cell split into its upper and
    lower half, each half the colour the terminal shows there (the foreground where the half
    block is inked, else the background), PIXELS×PIXELS pixels a half."""
    from rich.color import Color

    default_fg, default_bg = (255, 255, 255), (0, 0, 0)  # a terminal's defaults, for no colour given

    def grey(color: Color | None, default: tuple[int, int, int]) -> int:
        r, g, b = color.get_truecolor() if color is not None and not color.is_default else default
        return (r * 299 + g * 587 + b * 114) // 1000

    rows: list[bytearray] = []
    for strip in app.screen._compositor.render_strips():
        upper, lower = bytearray(), bytearray()
        for segment in strip:
            style = segment.style
            fg = grey(style.color if style else None, default_fg)
            bg = grey(style.bgcolor if style else None, default_bg)
            if style is not None and style.reverse:
                fg, bg = bg, fg
            for char in segment.text:
                top, bottom = HALVES.get(char, (False, False))
                upper += bytes([fg if top else bg]) * PIXELS
                lower += bytes([fg if bottom else bg]) * PIXELS
        rows += [upper] * PIXELS + [lower] * PIXELS
    width = min(len(row) for row in rows)
    data = b"".join(bytes(row[:width]) for row in rows)
    return memoryview(data).cast("B", (len(rows), width))


def decoded(app) -> list[str]:  # noqa: ANN001
    import zxingcpp

    return [code.text for code in zxingcpp.read_barcodes(screen_image(app), formats=zxingcpp.BarcodeFormat.QRCode)]


@pytest.mark.parametrize(
    ("size", "colours", "zone"),
    [((120, 40), "256", QUIET_ZONE), ((120, 40), "16", QUIET_ZONE), ((120, 40), "none", QUIET_ZONE),
     ((100, 30), "256", QUIET_ZONE), ((80, 24), "256", None)],
)  # fmt: skip
async def test_the_code_on_screen_decodes_to_the_link(release_train_app, monkeypatch, size, colours, zone):  # noqa: F811
    """Read off the rendered screen by zxing-cpp, colours as the terminal shows them: the link."""
    from pollstui.tui.widgets.qr_code import SMALL_QUIET_ZONE
    from tests.tui.test_terminals import sixteen_colours

    app = release_train_app
    app.site_url = SITE
    if colours == "16":
        sixteen_colours(app)
    if colours == "none":
        monkeypatch.setenv("NO_COLOR", "1")
    async with app.run_test(size=size) as pilot:
        await present("Which release train")(pilot)
        if size == (80, 24):
            await pilot.press("f")  # the bars and the code only: the room an 80×24 screen has
        await pilot.press("v")
        await wait_for(pilot, lambda: app.screen.query_one(QRCode).display)
        await settle(pilot)
        code = app.screen.query_one(QRCode)
        assert code.quiet_zone == (zone or SMALL_QUIET_ZONE)
        assert decoded(app) == [LINK]
