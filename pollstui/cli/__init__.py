"""The command line: ``main`` and the package it dispatches into.

parser.py builds the argparse tree; poll_commands.py, profile_commands.py and server_commands.py
hold the commands; common.py what they share; output.py what they print.

Start-up speed matters (``pollstui list`` should feel instant), so this module imports only the
standard library and pollstui's stdlib-only modules. httpx and pydantic are loaded inside the
commands that talk to a server, and the server and the TUI inside the commands that run them
(tests/test_import_hygiene.py checks this).

Exit codes: 0 done; 1 an unexpected failure; 2 wrong usage or invalid input (including an
unreadable profiles file, and a command whose optional extra is not installed); 3 not permitted
(403, or a read-only profile); 4 not found (404); 5 refused as a bad request (400); 6 network or
server failure; 7 a create whose answer was lost while a poll like it arrived (it may be the one
created; its id is named); 8 declined at a confirmation (nothing changed); 130 Ctrl-C.
Errors are one line on stderr, ``pollstui: error: …``, with the token redacted.
"""

from __future__ import annotations

import gc
import os
import sys

from pollstui.api.errors import PollsError
from pollstui.cli.common import error, log_requests, silence_stdout
from pollstui.cli.errors import MissingExtraError, exit_code, told
from pollstui.cli.parser import ArgumentError, build_parser, parse_args

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    debug = bool(os.environ.get("POLLSTUI_DEBUG"))
    stop_logging = None
    try:
        try:
            args = parse_args(argv)
        except SystemExit as exc:  # --help, --version
            return exc.code if isinstance(exc.code, int) else 0
        if hasattr(args, "debug"):  # a command that talks to a server from this terminal (not the TUI)
            debug = debug or args.debug
            if debug:
                stop_logging = log_requests()
        return args.func(args)
    except ArgumentError as exc:
        error(f"{exc} (see `{exc.prog} --help`)")
        return 2
    except MissingExtraError as exc:
        print(exc, file=sys.stderr)
        return exit_code(exc)
    except PollsError as exc:
        error(told(exc))
        return exit_code(exc)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        silence_stdout()
        return 1
    except Exception as exc:  # a bug: one line, never a traceback with a URL in it
        if debug:
            raise
        error(f"unexpected {type(exc).__name__}: {exc}. Run it again with POLLSTUI_DEBUG=1 to see the traceback.")
        return 1
    finally:
        if stop_logging is not None:
            stop_logging()
        if argv is None:  # the process's own command line, so the process ends now: spare its exit
            gc.freeze()  # no cyclic-GC pass over every object httpx, asyncio, Textual made
