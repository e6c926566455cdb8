"""A QR code drawn with half-block characters, as large as its space allows ("scan to vote").

Each terminal cell shows two modules, one above the other: ``█`` both dark, ``▀`` the upper,
``▄`` the lower, a space neither. A cell is about twice as tall as it is wide, so one column by
half a row is a square module; :func:`draw` repeats each module ``scale`` times both ways. The
code is always drawn black on white (whatever the theme): phone cameras read dark modules on a
light ground reliably, an inverted code not always.

segno (pure Python) makes the matrix; it is imported only when a code is shown.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

#: Light modules around the code: the 4 the QR standard asks for wherever the screen has room …
QUIET_ZONE = 4
#: … else 2 (on a painted white ground it reads well, and keeps the code on an 80×24 screen).
SMALL_QUIET_ZONE = 2

#: Columns the bars keep beside the code.
MIN_BARS = 12

_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_INK = Style(color="#000000", bgcolor="#ffffff")


@lru_cache(maxsize=8)
def qr_matrix(data: str, border: int = QUIET_ZONE) -> tuple[tuple[bool, ...], ...]:
    """The modules of ``data``'s QR code (error correction M or better), a quiet zone of
    ``border`` modules included; True is dark."""
    import segno

    code = segno.make_qr(data, error="m")
    return tuple(tuple(bool(module) for module in row) for row in code.matrix_iter(scale=1, border=border))


def draw(matrix: tuple[tuple[bool, ...], ...], scale: int = 1) -> list[str]:
    """The lines of half-block characters that show ``matrix`` with ``scale``×``scale`` modules."""
    rows = [tuple(module for module in row for _ in range(scale)) for row in matrix for _ in range(scale)]
    if len(rows) % 2:
        rows.append(tuple(False for _ in rows[0]))
    return ["".join(_CELLS[top, bottom] for top, bottom in zip(upper, lower)) for upper, lower in zip(rows[::2], rows[1::2])]


def fit_scale(modules: int, width: int, height: int) -> int:
    """The largest scale at which ``modules`` fit ``width`` columns and ``height`` rows (at least 1)."""
    if modules <= 0:
        return 1
    return max(1, min(width // modules, (height * 2) // modules))


class QRCode(Widget):
    """Shows the QR code of :attr:`data`, or :attr:`message` when there is nothing to encode.

    Its width follows the scale that fits the container's height (and at most half its width),
    so the code is as large as the room allows and the bars keep the rest.
    """

    DEFAULT_CSS = """
    QRCode { width: auto; height: 1fr; }
    QRCode > .qr-code--message { color: $text-muted; }
    QRCode > .qr-code--caption { text-style: bold; }
    """
    COMPONENT_CLASSES = {"qr-code--message", "qr-code--caption"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.data = ""
        self.message = ""
        #: A line above the code ("Scan to vote").
        self.caption = ""
        self._matrices: tuple[tuple[tuple[bool, ...], ...], ...] = ()  # widest quiet zone first

    def show(self, data: str, message: str = "", caption: str = "") -> None:
        """Encode ``data`` (a URL) under ``caption``, or, when it is empty, show ``message`` instead."""
        self.data, self.message, self.caption = data, message, caption
        self._matrices = tuple(qr_matrix(data, border) for border in (QUIET_ZONE, SMALL_QUIET_ZONE)) if data else ()
        self.refresh(layout=True)

    def _matrix_for(self, width: int, height: int) -> tuple[tuple[bool, ...], ...]:
        """The code with the widest quiet zone that fits ``width``×``height`` cells (the narrowest when none does)."""
        for matrix in self._matrices:
            if self._fits(matrix, width, height):
                return matrix
        return self._matrices[-1] if self._matrices else ()

    @property
    def _matrix(self) -> tuple[tuple[bool, ...], ...]:
        region = self.content_region
        return self._matrix_for(region.width, region.height)

    @property
    def matrix(self) -> tuple[tuple[bool, ...], ...]:
        """The modules drawn now, quiet zone included (4 modules where the widget has room, else 2)."""
        return self._matrix

    @property
    def quiet_zone(self) -> int:
        """The light modules drawn around the code now."""
        return QUIET_ZONE if self._matrices and self._matrix is self._matrices[0] else SMALL_QUIET_ZONE

    @property
    def scale(self) -> int:
        height = (self.content_region.height or 1) - len(self._caption_lines())
        return fit_scale(len(self._matrix), self.content_region.width or 1, height)

    def _caption_lines(self) -> list[str]:
        return [self.caption] if self.caption else []

    def needs(self, matrix: tuple[tuple[bool, ...], ...] | None = None) -> Size:
        """The cells the code takes at scale 1, caption included (the smallest code: the narrow quiet zone)."""
        modules = len(matrix if matrix is not None else (self._matrices[-1] if self._matrices else ()))
        return Size(modules, (modules + 1) // 2 + len(self._caption_lines()))

    def _fits(self, matrix: tuple[tuple[bool, ...], ...], width: int, height: int) -> bool:
        need = self.needs(matrix)
        return need.width <= width and need.height <= height

    def fits(self, width: int, height: int) -> bool:
        """Whether the whole code fits: a code cut short cannot be scanned."""
        return bool(self._matrices) and self._fits(self._matrices[-1], width, height)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if not self._matrices or not self.fits(container.width - MIN_BARS, container.height):
            return min(36, max(12, container.width // 3))
        matrix = self._matrix_for(container.width // 2, container.height)
        modules = len(matrix)
        return modules * fit_scale(modules, container.width // 2, container.height - len(self._caption_lines()))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    def render(self) -> Text:
        muted = self.get_component_rich_style("qr-code--message")
        if not self._matrices:
            return Text(self.message, style=muted)
        region = self.content_region
        if not self.fits(region.width, region.height):
            need = self.needs()
            return Text(
                f"Too small for the QR code: it needs {need.width}×{need.height} cells and would not scan cut "
                f"short. Make the terminal bigger, or press f to show only the bars and the code.",
                style=muted,
            )
        lines = draw(self._matrix, self.scale)  # the widest quiet zone that fits
        text = Text(no_wrap=True, overflow="crop")
        if self.caption:
            text.append(self.caption.center(len(lines[0])) + "\n", style=self.get_component_rich_style("qr-code--caption"))
        text.append("\n".join(lines), style=_INK)
        return text
