"""The log file: 0600, and the token never in it, not even inside a traceback."""

from __future__ import annotations

import logging
import stat

from pollstui import paths
from pollstui.api.errors import register_secret
from pollstui.logs import log_to_file

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
