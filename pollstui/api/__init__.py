"""The Polls REST API layer: models, addresses, errors and the async client.

Nothing in this package imports Textual (tests/test_import_hygiene.py enforces it).
"""

#: Seconds a whole call may take, attempts and waits included (POLLSTUI_TIMEOUT sets it).
DEFAULT_DEADLINE = 60.0
#: Seconds to wait for a connection, at most.
CONNECT_TIMEOUT = 10.0
#: Bytes an answer may have, decoded, at most (POLLSTUI_MAX_BODY sets it).
MAX_BODY = 16 * 1024 * 1024
