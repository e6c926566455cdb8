"""The argument parser: every command, its options and its help."""

from __future__ import annotations

import argparse
import importlib
import math
import sys
from collections.abc import Callable
from typing import Any

from pollstui import __version__, paths
from pollstui.cli import server_commands
from pollstui.cli.common import EXIT_DECLINED, PROG
from pollstui.cli.server_commands import DEMO_VOTE_RATE
from pollstui.dates import TYPED_END_HELP
from pollstui.profiles import MAX_CONCURRENCY

#: The help of every option that takes an end date.
END_DATE_ARG_HELP = f"the end date: {TYPED_END_HELP}"

#: What `pollstui results --format` accepts.
RESULT_FORMATS = ("table", "csv", "md", "json")


class ArgumentError(Exception):
    def __init__(self, prog: str, message: str) -> None:
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors reach :func:`main` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ArgumentError(self.prog, message)


class _WordsParser(_Parser):
    """A command whose ``words`` may come before and after its options (``items add wiki --space 9 P:M``,
    ``overview PLAT-1 --open PLAT-2``): argparse fills a positional once, and leaves the words after an
    option over."""

    def parse_known_args(self, args=None, namespace=None):  # noqa: ANN001, ANN201
        namespace, extras = super().parse_known_args(args, namespace)
        words = [word for word in extras if word == "-" or not word.startswith("-")]
        if words and isinstance(getattr(namespace, "words", None), list):
            namespace.words.extend(words)
            extras = [word for word in extras if word not in words]
        return namespace, extras


#: What `pollstui --help` ends with: every environment variable pollstui reads.
ENVIRONMENT = """\
environment:
  POLLS_URL         the whole URL from the Polls app (endpoint, token and content item)
  POLLS_TOKEN       the access token; keeps it out of your shell history and `ps`
  POLLS_PROFILE     the profile to use when --profile is not given
  POLLSTUI_TIMEOUT  seconds a request may take in all, retries included (default 60)
  POLLSTUI_MAX_BODY the largest answer read, in bytes or with a unit (default 16MiB)
  POLLSTUI_DEBUG    1: log each HTTP request to stderr (as --debug) and show the traceback of
                    an unexpected error
  POLLSTUI_KEYRING_TIMEOUT  seconds a keyring call may take (default 3)
  POLLSTUI_WEB_GRACE        seconds a browser session's app has to quit once its tab closed,
                            before it is terminated (default 5)
  PYTHON_KEYRING_BACKEND    the keyring backend to keep tokens in (keyring's own variable)
  NO_COLOR          any value: the full-screen app draws without colour
  VISUAL, EDITOR    the editor `pollstui edit` opens (else nano or vi)
  XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME
                    move pollstui's files (`pollstui info` lists them)

exit codes: 0 ok, 1 unexpected failure, 2 usage or invalid input (or a missing extra),
  3 not permitted, 4 not found, 5 refused as a bad request, 6 network or server failure,
  7 a create that may have happened (answer lost, 424, 5xx) and a poll like it arrived, {declined} declined at a prompt (or not
  overwriting a change someone made meanwhile),
  130 interrupted (Ctrl-C). `import` and `overview` exit with their first failure's code,
  after printing all that was done."""

#: One or two examples per command, shown at the end of its --help.
EXAMPLES = {
    "list": ["pollstui list --profile work --content PLAT-1", "pollstui list --results | cut -f2   # titles only"],
    "get": ["pollstui get 3f2a9c --results", "pollstui get 3f2a9c --json | jq .settings"],
    "create": [
        "pollstui create --template yes-no --title 'Ship on Friday?'",
        "pollstui create --file poll.json --json",
    ],
    "update": [
        "pollstui update 3f2a9c --title 'Ship on Monday?'",
        "pollstui update 3f2a9c --end-date 'fri 17:00'",
        "pollstui update 3f2a9c --file poll.json",
    ],
    "close": ["pollstui close 3f2a9c"],
    "reopen": ["pollstui reopen 3f2a9c --until 'in 5m'", "pollstui reopen 3f2a9c   # no end date"],
    "edit": ["pollstui edit 3f2a9c", "EDITOR=nano pollstui edit 3f2a9c --content PLAT-2"],
    "delete": ["pollstui delete 3f2a9c", "pollstui delete 3f2a9c --yes   # in a script"],
    "results": ["pollstui results 3f2a9c --format md", "pollstui results 3f2a9c --format csv --total > results.csv"],
    "overview": [
        "pollstui overview                     # the profile's pinned items",
        "pollstui overview PLAT-1 PLAT-2,PLAT-7 --open",
        "pollstui overview --ends-within 24h --json | jq -r '.polls[].poll.title'",
    ],
    "export": ["pollstui export --content PLAT-1 -o polls.json"],
    "import": ["pollstui export --content PLAT-1 | pollstui import - --content PLAT-2"],
    "serve": [
        "pollstui serve --seed", "pollstui serve --port 9000 --token secret --db polls.sqlite3",
        "pollstui serve --seed --seed-items 40   # and polls on OPS-1 … OPS-40, for an overview",
    ],
    "demo": ["pollstui demo", "pollstui demo --web --port 8080"],
    "web": ["pollstui web --profile work --port 8080"],
    "info": ["pollstui info", "pollstui info --json | jq -r '.files[].path'"],
    "completion": ["pollstui completion bash > ~/.local/share/bash-completion/completions/pollstui"],
    "profile": ["pollstui profile add work --url '<the URL from the Polls app>'", "pollstui profile list --json"],
    "profile add": [
        "pollstui profile add work --url 'https://…/x1/jira?token=…&workspace=PLAT&content=PLAT-1'",
        "pass polls/wiki | pollstui profile add wiki --endpoint https://…/x1/confluence --token-stdin --read-only",
        "pollstui profile add work --url '…' --site https://acme.atlassian.net   # o opens issues there",
    ],
    "profile list": ["pollstui profile list", "pollstui profile list --no-headers | cut -f2   # names"],
    "profile use": ["pollstui profile use work"],
    "profile remove": ["pollstui profile remove wiki"],
    "profile items": ["pollstui profile items add PLAT-1 PLAT-2,PLAT-7", "pollstui profile items list"],
    "profile items add": [
        "pollstui profile items add PLAT-1 PLAT-2,PLAT-7",
        "pollstui profile items add wiki --space 98306 557057:a1b2c3",
        "jira-filter-keys | pollstui profile items add -",
    ],
    "profile items remove": ["pollstui profile items remove PLAT-2"],
    "profile items list": ["pollstui profile items list work", "pollstui profile items list --json | jq -r '.[].content'"],
    "profile migrate": ["pollstui profile migrate"],
    "profile show": ["pollstui profile show work", "pollstui profile show --json | jq -r .endpoint"],
}


def examples(name: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])


class _Command:
    """A command's function, imported when the command runs: building the parser loads none of the
    commands' modules (their output, editing and client code), so `pollstui` alone starts sooner."""

    def __init__(self, path: str) -> None:
        self.module, self.name = path.split(".")  # "poll_commands.cmd_list": pollstui.cli.poll_commands

    def __call__(self, args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(f"pollstui.cli.{self.module}"), self.name)(args)


# --- entry point -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (``argv``, or the process's), as :func:`build_parser`'s parser reads it.

    The usual start, the app with connection options only (``pollstui --profile work``), is read
    by a parser of those options alone, not the whole parser (every command with its options and
    help). Anything more (a command, ``--help``, ``--version``, a mistake)
    is read by the whole parser, so what it answers and says is the whole parser's. The two
    agree on whatever the small one reads through (tests/test_cli.py holds them equal).
    """
    args = sys.argv[1:] if argv is None else list(argv)
    app_only = _Parser(prog=PROG, parents=[_connection_parent()], add_help=False)
    app_only.set_defaults(func=server_commands.cmd_tui)
    try:
        namespace, rest = app_only.parse_known_args(args)
    except ArgumentError:
        rest = args
    if not rest:
        return namespace
    return build_parser().parse_args(args)


def build_parser() -> argparse.ArgumentParser:
    connection = _connection_parent()
    parser = _Parser(
        prog=PROG,
        parents=[connection],
        description="A terminal app for the polls on Jira issues and Confluence pages (Polls REST API). "
        "Without a command it opens the full-screen app.",
        epilog=ENVIRONMENT.format(declined=EXIT_DECLINED) + f"\n\nProfiles live in {paths.config_file()}.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    parser.set_defaults(func=server_commands.cmd_tui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_WordsParser)
    debug = _debug_parent()

    def command(name: str, help_: str, func: Callable[[argparse.Namespace], int], *, conn: bool = True):
        sub = commands.add_parser(
            name, help=help_, description=help_, parents=[connection, debug] if conn else [],
            epilog=examples(name), formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        sub.set_defaults(func=func)
        return sub

    p = command("list", "List the polls of a content item.", _Command("poll_commands.cmd_list"))
    p.add_argument("--results", action="store_true", help="include vote totals")
    p.add_argument("--json", action="store_true", help="print the server's JSON exactly as sent")
    _no_headers(p)

    p = command("get", "Show one poll.", _Command("poll_commands.cmd_get"))
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--results", action="store_true", help="include votes per option")
    p.add_argument("--json", action="store_true", help="print the server's JSON exactly as sent")

    p = command("create", "Create a poll from a JSON file or a template; prints its id.", _Command("poll_commands.cmd_create"))
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--file", metavar="POLL.json", help="a poll as JSON ('-' reads stdin)")
    source.add_argument("--template", metavar="NAME", help="yes-no, stars, agree, nps, tshirt or blank")
    p.add_argument("--title", metavar="T", help="the title (overrides the file's)")
    p.add_argument("--description", metavar="D", help="the description (overrides the file's)")
    p.add_argument("--end-date", metavar="WHEN", help=END_DATE_ARG_HELP)
    p.add_argument("--json", action="store_true", help="print the created poll as JSON")

    p = command("update", "Change a poll: one field, or the whole poll from a file.", _Command("poll_commands.cmd_update"))
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--file", metavar="POLL.json", help="replace the whole poll with this JSON ('-' reads stdin)")
    p.add_argument("--title", metavar="T", help="set the title, keeping everything else")
    p.add_argument("--description", metavar="D", help="set the description, keeping everything else")
    p.add_argument("--end-date", metavar="WHEN", help=END_DATE_ARG_HELP + ", keeping everything else")
    p.add_argument("--json", action="store_true", help="print the updated poll as JSON")

    p = command(
        "close",
        "Close voting now: the end date becomes now, and the poll closes on it.",
        _Command("voting_commands.cmd_close"),
    )
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--json", action="store_true", help="print the saved poll as JSON")

    p = command(
        "reopen",
        "Open voting again: until WHEN (closing then), or with no end date.",
        _Command("voting_commands.cmd_reopen"),
    )
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--until", metavar="WHEN", help=END_DATE_ARG_HELP + "; without it the end date is cleared")
    p.add_argument("--json", action="store_true", help="print the saved poll as JSON")

    p = command(
        "edit", "Edit a poll's JSON in $VISUAL or $EDITOR; shows the changes and asks before saving.",
        _Command("edit_command.cmd_edit"),
    )  # fmt: skip
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--yes", "-y", action="store_true", help="save without asking (the diff is still shown)")
    p.add_argument("--json", action="store_true", help="print the saved poll as JSON")

    p = command("delete", "Delete a poll (asks first).", _Command("poll_commands.cmd_delete"))
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask; needed when stdin is not a terminal")
    p.add_argument("--json", action="store_true", help="print the deleted poll's id as JSON")

    p = command("results", "Print a poll's results: option, votes, percent and the total.", _Command("poll_commands.cmd_results"))
    p.add_argument("poll_id", metavar="POLL_ID")
    p.add_argument(
        "--format", choices=RESULT_FORMATS, default="table",
        help="table (default), csv, md (Markdown) or json. Counts are left out when the poll hides "
        "absolute numbers; results the server did not send, or sent in a shape pollstui does not know, "
        "are a one-line note (json: given as sent, under a note). The exit code is 0 either way.",
    )  # fmt: skip
    p.add_argument("--total", action="store_true", help="csv: end with a total row (table, md and json always have the total)")

    p = command("export", "Write every poll of a content item as a JSON array (without results).", _Command("poll_commands.cmd_export"))
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    p = command(
        "import", "Create the polls of a JSON array (as `export` writes) on the content item; prints each new id.",
        _Command("poll_commands.cmd_import"),
    )  # fmt: skip
    p.add_argument("file", metavar="FILE", help="a JSON array of polls ('-' reads stdin)")
    p.add_argument("--json", action="store_true", help="print the created polls as a JSON array (also after a failure part-way)")

    p = command(
        "overview", "Every poll on many content items: the items named, else the profile's pinned items.",
        _Command("overview_command.cmd_overview"),
    )  # fmt: skip
    p.add_argument(
        "words", metavar="ITEM", nargs="*",
        help="issue keys, PAGE:MACRO (with --workspace SPACE) or SPACE:PAGE:MACRO, or pasted URLs; several per "
        "argument separated by commas or lines; '-' reads them from stdin. None: the pinned items",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help='print {"polls": [{"item", "poll"}], "errors": [{"item", "error"}]}')
    p.add_argument("--open", action="store_true", help="only polls that have not ended")
    p.add_argument("--ends-within", metavar="DURATION", help="only open polls ending within DURATION (24h, 3d, 1h30m)")
    p.add_argument(
        "--concurrency", metavar="N", type=_whole("number of requests", 1, MAX_CONCURRENCY),
        help="requests in flight at most (default: the profile's `concurrency`, else 4)",
    )  # fmt: skip
    p.add_argument("--deadline", metavar="TIME", help="stop after TIME in all (seconds or 2m; default 2m), naming the items not read")
    _no_headers(p)

    _profile_parser(commands)

    p = command("serve", "Run the reference server in the foreground.", server_commands.cmd_serve, conn=False)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--token", help="the access token to accept (default: a random one, printed)")
    p.add_argument("--db", metavar="PATH", help=f"SQLite file (default {paths.server_db()})")
    p.add_argument("--seed", action="store_true", help="fill an empty database with demo polls")
    p.add_argument(
        "--seed-items", metavar="N", type=_whole("number of items", 1, 1000), default=0,
        help="also put polls on N Jira issues OPS-1 … OPS-N (e.g. 40), for `pollstui overview` and the bench",
    )  # fmt: skip
    p.add_argument(
        "--simulate-votes", metavar="RATE", type=_rate,
        help="add random votes to the polls, RATE per second in all (demo only: voting is not part of the API)",
    )  # fmt: skip
    p.add_argument(
        "--vote-seed", metavar="N", type=_whole("seed", 0, 2**63 - 1),
        help="with --simulate-votes: the same votes, on the same polls in the same order, every run (benchmarks, recordings)",
    )  # fmt: skip

    p = command("demo", "Open the app on a local demo server with sample polls.", server_commands.cmd_demo, conn=False)
    p.add_argument("--db", metavar="PATH", help=f"keep the demo's polls in PATH (default: {paths.demo_db()}, reset each time)")
    p.add_argument(
        "--no-votes", action="store_true",
        help=f"no simulated voters (by default {DEMO_VOTE_RATE:g} random votes per second arrive)",
    )  # fmt: skip
    p.add_argument("--web", action="store_true", help="serve the app in a browser (on 127.0.0.1) instead of this terminal")
    p.add_argument("--port", type=_port, default=8000, help="with --web: the port (default 8000; 0 picks a free one)")

    p = command("web", "Serve the app in a browser (textual-serve on 127.0.0.1), e.g. for a saved profile.", server_commands.cmd_web)
    p.add_argument("--port", type=_port, default=8000, help="the port (default 8000; 0 picks a free one)")

    p = command("info", "Show every file pollstui may write, and whether it exists yet.", server_commands.cmd_info, conn=False)
    p.add_argument("--json", action="store_true", help="print the version and the files as JSON")

    p = command("completion", "Print a shell completion script (see the README for where it goes).", _completion, conn=False)
    p.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell to complete in")
    return parser


def _completion(args: argparse.Namespace) -> int:
    from pollstui.cli.completion import completion_script

    print(completion_script(build_parser(), args.shell), end="")
    return 0


def _debug_parent() -> argparse.ArgumentParser:
    parent = _Parser(add_help=False)
    parent.add_argument(
        "--debug", action="store_true",
        help="log each HTTP request and its status to stderr (the token masked); also POLLSTUI_DEBUG=1",
    )  # fmt: skip
    return parent


def _no_headers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-headers", action="store_true", help="leave out the header line of the table")


def _connection_parent() -> argparse.ArgumentParser:
    """Options naming the server and the content item, accepted before or after the command."""
    parent = _Parser(add_help=False)
    group = parent.add_argument_group("connection (flags > POLLS_* environment > profile)")
    s = argparse.SUPPRESS  # so a subcommand's defaults do not erase values given before it
    group.add_argument("--profile", "-p", metavar="NAME", default=s, help="use this profile")
    group.add_argument("--url", metavar="URL", default=s, help="the whole URL from the Polls app (endpoint, token, content)")
    group.add_argument("--endpoint", metavar="URL", default=s, help="the endpoint URL, without the query")
    group.add_argument("--token", metavar="TOKEN", default=s, help="the access token (POLLS_TOKEN keeps it out of your shell history)")
    group.add_argument("--workspace", metavar="W", default=s, help="Jira project key, or Confluence space id")
    group.add_argument("--content", metavar="C", default=s, help="Jira issue key, or Confluence page id")
    group.add_argument("--container", metavar="M", default=s, help="Confluence: the poll macro's id")
    group.add_argument("--product", choices=("jira", "confluence"), default=s, help="which product the endpoint serves")
    group.add_argument("--insecure", action="store_true", default=s, help="allow plain http:// to a non-local host")
    group.add_argument("--read-only", action="store_true", default=s, help="refuse to create, change or delete polls")
    return parent


def _profile_parser(commands: Any) -> None:
    p = commands.add_parser(
        "profile", help="Manage saved connections.", description="Manage saved connections.",
        epilog=examples("profile"), formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.set_defaults(func=lambda args: _usage(p))
    actions = p.add_subparsers(title="actions", metavar="ACTION")

    a = actions.add_parser("add", help="Save a connection under a name.", description="Save a connection under a name; a name that exists is replaced (its pinned and recent items kept).")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--url", metavar="URL", help="the whole URL from the Polls app")
    a.add_argument("--endpoint", metavar="URL", help="the endpoint URL (with --token)")
    a.add_argument(
        "--token", metavar="TOKEN",
        help="the access token (other users can see it in `ps`: prefer POLLS_TOKEN, --token-stdin or the prompt)",
    )  # fmt: skip
    a.add_argument("--token-stdin", action="store_true", help="read the token from standard input")
    a.add_argument("--product", choices=("jira", "confluence"), help="default: from the URL, else jira")
    a.add_argument("--read-only", action="store_true", help="never create, change or delete polls with it")
    a.add_argument("--insecure", action="store_true", help="allow plain http:// to a non-local host")
    a.add_argument("--site", metavar="URL", help="the Jira site or Confluence base URL, for links and QR codes")
    a.add_argument(
        "--insecure-storage", action="store_true",
        help="keep the token in the profiles file (0600) even where a keyring works",
    )  # fmt: skip
    a.set_defaults(func=_Command("profile_commands.cmd_profile_add"))

    sub = actions.add_parser("list", help="List profiles (tokens masked).", description="List profiles (tokens masked).")
    sub.set_defaults(func=_Command("profile_commands.cmd_profile_list"))
    sub.add_argument("--json", action="store_true", help="print the profiles as JSON (tokens masked)")
    _no_headers(sub)
    for name, help_, func in (
        ("use", "Make a profile the default.", _Command("profile_commands.cmd_profile_use")),
        ("remove", "Delete a profile.", _Command("profile_commands.cmd_profile_remove")),
    ):
        sub = actions.add_parser(name, help=help_, description=help_)
        sub.add_argument("name", metavar="NAME")
        sub.set_defaults(func=func)
    sub = actions.add_parser("show", help="Show a profile (token masked).", description="Show a profile (token masked).")
    sub.add_argument("name", metavar="NAME", nargs="?", help="default: the default profile")
    sub.add_argument("--json", action="store_true", help="print the profile as JSON (token masked)")
    sub.set_defaults(func=_Command("profile_commands.cmd_profile_show"))
    sub = actions.add_parser(
        "migrate", help="Move the tokens kept in the profiles file into the keyring.",
        description="Move the tokens kept in the profiles file into the operating system's keyring "
        "(service 'pollstui', user the profile's name); the file then says token = \"keyring\".",
    )  # fmt: skip
    sub.add_argument("--json", action="store_true", help="print the profiles moved as JSON")
    sub.set_defaults(func=_Command("profile_commands.cmd_profile_migrate"))
    sub = actions.add_parser(
        "items", help="Pin content items to a profile (an overview reads them), unpin them, list them.",
        description="Pin content items to a profile (`pollstui overview` reads them), unpin them, list them. "
        "ITEM: a Jira issue key, PAGE:MACRO (Confluence, with --space), SPACE:PAGE:MACRO, or the URL the Polls app "
        "shows; several at once separated by spaces, commas or lines ('-' reads them from stdin).",
        epilog=examples("profile items"), formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    sub.set_defaults(func=lambda args, sub=sub: _usage(sub))
    item_actions = sub.add_subparsers(title="actions", metavar="ACTION", parser_class=_WordsParser)
    for name, help_ in (
        ("add", "Pin items, in the order given, after those already pinned."),
        ("remove", "Unpin items."),
        ("list", "List the pinned items, in order."),
    ):
        i = item_actions.add_parser(name, help=help_, description=help_, epilog=examples(f"profile items {name}"),
                                    formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
        i.add_argument("words", metavar="[NAME] ITEM" if name != "list" else "NAME", nargs="*" if name != "list" else "?",
                       help="the profile (default: the default one), then the items")  # fmt: skip
        if name != "list":
            i.add_argument("--space", metavar="ID", help="Confluence: the space id of PAGE:MACRO items")
        i.add_argument("--json", action="store_true", help="print the result as JSON")
        i.set_defaults(func=_Command(f"profile_commands.cmd_profile_items_{name}"))
    for name, action in actions.choices.items():
        if name in ("add", "use", "remove"):
            action.add_argument("--json", action="store_true", help="print the result as JSON (a token masked)")
        action.epilog = examples(f"profile {name}")
        action.formatter_class = argparse.RawDescriptionHelpFormatter


def _usage(parser: argparse.ArgumentParser) -> int:
    raise ArgumentError(parser.prog, "choose an action")


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of votes per second") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of votes per second")
    return value


def _whole(what: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of ``what`` from ``low`` to ``high``."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what} from {low} to {high}")
        return value

    return read


_port = _whole("port number", 0, 65535)
