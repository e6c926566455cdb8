"""The TUI's log file (``pollstui info`` shows where): warnings and unexpected errors, redacted
and inert.

Everything written passes through :class:`SafeFormatter` (also the formatter of ``--debug``'s
lines on stderr): not even a traceback's text can carry the token into the file, nor a server's
words (a reason phrase, a header) an escape sequence to the terminal that shows it. The file is 0600.
"""

from __future__ import annotations

import logging
import os

from pollstui import paths
from pollstui.api.errors import redact
from pollstui.text import sanitize


class SafeFormatter(logging.Formatter):
    """A record formatted, then the token masked (:func:`~pollstui.api.errors.redact`) and every
    character that could drive a terminal shown as a placeholder (:func:`~pollstui.text.sanitize`;
    a traceback keeps its lines)."""

    def format(self, record: logging.LogRecord) -> str:
        return sanitize(redact(super().format(record)))


def log_to_file(level: int = logging.INFO) -> logging.Handler | None:
    """Send the ``pollstui`` loggers to the log file; ``None`` when it cannot be opened."""
    path = paths.log_file()
    try:
        paths.ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level)
    logger = logging.getLogger("pollstui")
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    return handler
