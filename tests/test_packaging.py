"""The wheel: what a core install pulls in, the extras, the licence and the metadata."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (path,) = out.glob("pollstui-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def metadata(wheel: zipfile.ZipFile):
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    return Parser().parsestr(wheel.read(name).decode())


def test_the_licence_is_in_the_wheel(wheel):
    licence = next(n for n in wheel.namelist() if n.endswith("dist-info/licenses/LICENSE"))
    assert "MIT License" in wheel.read(licence).decode()
    assert metadata(wheel)["License-Expression"] == "MIT"


def requirements(wheel: zipfile.ZipFile) -> set[tuple[str, str, str]]:
    """(package, version range, extra or "") for each Requires-Dist line."""
    found = set()
    for line in metadata(wheel).get_all("Requires-Dist"):
        spec, _, marker = line.partition(";")
        name = re.match(r"[A-Za-z0-9_.-]+", spec.strip()).group(0)
        extra = re.search(r"extra == '([^']+)'", marker)
        found.add((name, spec.strip()[len(name) :], extra.group(1) if extra else ""))
    return found


def test_a_core_install_is_the_client_only(wheel):
    found = requirements(wheel)
    assert {name for name, _, extra in found if not extra} == {
        "textual", "rich", "httpx", "sniffio", "pydantic", "platformdirs", "tomli-w", "segno", "keyring",
    }  # fmt: skip (rich comes with textual anyway, sniffio with httpx; pollstui needs them directly)
    # a keyring backend that needs no desktop, for the tests only
    assert {e for n, _, e in found if n.replace("-", ".") == "keyrings.alt"} == {"test"}
    assert ("textual", "<9,>=8.2", "") in found  # a range: the exact snapshot version is for tests only
    assert ("textual", "==8.2.8", "test") in found
    for name, extra in (("starlette", "server"), ("uvicorn", "server"), ("textual-serve", "web")):
        assert {e for n, _, e in found if n == name} == {extra, "all", "test"}


def test_metadata_for_an_index(wheel):
    meta = metadata(wheel)
    assert meta["Requires-Python"] == ">=3.11"
    classifiers = meta.get_all("Classifier")
    for expected in ("Environment :: Console", "Programming Language :: Python :: 3.11",
                     "Programming Language :: Python :: 3.13", "Topic :: Terminals"):  # fmt: skip
        assert expected in classifiers
    assert "jira" in meta["Keywords"] and "confluence" in meta["Keywords"]
    assert {"all", "server", "web", "test"} <= set(meta.get_all("Provides-Extra"))


def test_the_wheel_carries_the_files_the_app_reads_beside_its_code(wheel):
    names = set(wheel.namelist())
    assert "pollstui/web_templates/app_index.html" in names  # the browser mode's page
    assert "pollstui/tui/app.tcss" in names
