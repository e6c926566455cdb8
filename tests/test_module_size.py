"""No module under pollstui/ over 450 lines: when one grows past that, it has two jobs (STYLE.md)."""

from __future__ import annotations

from pathlib import Path

import pollstui

LIMIT = 450


def test_no_module_is_over_the_limit():
    root = Path(pollstui.__file__).parent
    sizes = {str(path.relative_to(root)): len(path.read_text(encoding="utf-8").splitlines()) for path in root.rglob("*.py")}
    assert len(sizes) > 50  # the package was found
    assert {name: lines for name, lines in sizes.items() if lines > LIMIT} == {}
