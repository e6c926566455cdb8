"""The log file: 0600, the token never in it, not even inside a traceback, and no text that drives a terminal."""

from __future__ import annotations

import logging
import stat

from pollstui import paths
from pollstui.api.errors import register_secret
from pollstui.logs import log_to_file
from tests.hostile import controls_in

SECRET = "tok-log-5e1d9c0b-aa77"


def test_errors_with_tracebacks_reach_the_file_without_the_token():
    register_secret(SECRET)
    handler = log_to_file()
    assert handler is not None
    log = logging.getLogger("pollstui.tui")
    try:
        try:
            raise RuntimeError(f"GET http://127.0.0.1/x1/jira?token={SECRET}&type=polls failed")
        except RuntimeError as exc:
            log.error("unexpected error in a worker", exc_info=exc)
    finally:
        logging.getLogger("pollstui").removeHandler(handler)
        handler.close()
    text = paths.log_file().read_text(encoding="utf-8")
    assert "unexpected error in a worker" in text
    assert "Traceback" in text and "RuntimeError" in text
    assert SECRET not in text
    assert "token=***" in text
    assert stat.S_IMODE(paths.log_file().stat().st_mode) == 0o600


def test_a_servers_words_reach_the_file_inert():
    """`tail -f` of the log file on a terminal obeys nothing a server wrote; a traceback keeps its lines."""
    handler = log_to_file()
    assert handler is not None
    log = logging.getLogger("pollstui.api")
    try:
        try:
            raise RuntimeError("bad \x1b]52;c;cHduZWQ=\x07 \x1b[2J \x9b31m \u202eevil")
        except RuntimeError as exc:
            log.warning("HTTP/1.1 %s", "200 \x1b]0;pwned\x07", exc_info=exc)
    finally:
        logging.getLogger("pollstui").removeHandler(handler)
        handler.close()
    text = paths.log_file().read_text(encoding="utf-8")
    assert "HTTP/1.1 200 ␛]0;pwned" in text and "Traceback (most recent call last):\n" in text
    assert controls_in(text) == []
