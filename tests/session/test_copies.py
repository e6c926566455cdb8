"""What the copy keys put on the clipboard: a curl command pasted into a shell runs curl and nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pollstui.api.address import parse_pasted_url
from pollstui.api.client import PollsClient
from pollstui.session.copies import curl_command

#: A curl that only writes its arguments, one a line: no network.
_CURL_SHIM = '#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n'

HOSTILE_ENDPOINTS = [
    "https://polls.example.net/x1/jira$(touch${IFS}pwned)",
    "https://polls.example.net/x1/jira`touch pwned`",
    "https://polls.example.net/x1/'$(touch pwned)'",
    'https://polls.example.net/x1/"$(touch pwned)"',
    "https://polls.example.net/x1/jira;touch pwned;",
    "https://polls.example.net/x1/jira\n touch pwned\n",
    "https://polls.example.net/x1/jira|touch pwned&",
]


def _run_pasted(command: str, tmp_path: Path) -> list[str]:
    """``command`` as a shell runs it when pasted, in ``tmp_path``, curl replaced by the shim."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "curl"
    shim.write_text(_CURL_SHIM)
    shim.chmod(0o755)
    env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "POLLS_TOKEN": "tok+/=&#%en"}
    result = subprocess.run(["sh", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("endpoint", HOSTILE_ENDPOINTS)
async def test_a_pasted_curl_command_runs_curl_and_nothing_else(endpoint: str, tmp_path: Path) -> None:
    pasted = parse_pasted_url(f"{endpoint}?token=secret&type=polls&workspace=PLAT&content=PLAT-1")
    async with PollsClient(pasted.endpoint, pasted.token) as client:
        url = client.url(pasted.content_ref(), "p1", expand_results=True)
    command = curl_command(url)
    assert "secret" not in command
    assert command.isascii() and command.isprintable()  # nothing a line editor could take for keys

    argv = _run_pasted(command, tmp_path)

    assert not (tmp_path / "pwned").exists()
    assert argv[:4] == ["-sS", "-G", "--data-urlencode", "token=tok+/=&#%en"]
    assert len(argv) == 5
    # the URL arrives as one word, the one the client sends (controls and spaces percent-encoded)
    import httpx

    assert httpx.URL(argv[4]) == httpx.URL(url)


def test_a_plain_url_is_kept_readable() -> None:
    url = "https://polls.example.net/x1/jira?type=polls&workspace=PLAT&content=PLAT-1&pollId=p1&expand=results"
    assert curl_command(url) == f"curl -sS -G --data-urlencode \"token=$POLLS_TOKEN\" '{url}'"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_reads_the_same_words(tmp_path: Path) -> None:
    command = curl_command("https://h.example/x1/jira$(touch${IFS}pwned)?type=polls")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "curl").write_text(_CURL_SHIM)
    (bin_dir / "curl").chmod(0o755)
    result = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, timeout=10,
        env={"PATH": f"{bin_dir}:{os.environ['PATH']}", "POLLS_TOKEN": "t"},
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "https://h.example/x1/jira$(touch${IFS}pwned)?type=polls"
    assert not (tmp_path / "pwned").exists()
