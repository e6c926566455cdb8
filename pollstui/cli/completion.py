"""`pollstui completion bash|zsh|fish`: shell completion scripts generated from the argparse parser.

The parser is walked once into a table of command paths ("", "list", "profile add", …): each
with its options, its subcommands, what each option's value is (a choice, a file, a profile
name, or free text) and what its first positional argument is. The scripts are that table in
each shell's language, so a new option completes as soon as the parser has it. Profile names
are completed at completion time by `pollstui profile list --no-headers` (tab-separated, the
name second), which never prints a token in full. The scripts take those names as data, one a
line, and never evaluate them (bash's ``compgen -W`` would expand a ``$(…)`` in one); the
profiles file's names are checked on load too (:mod:`pollstui.profiles`).

zsh loads the bash script through ``bashcompinit``, which zsh ships for exactly this.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field

#: What an option's value (or a positional argument) completes to.
FILE, PROFILE, FREE = "file", "profile", "free"

_FILE_METAVARS = re.compile(r"FILE|PATH|\.json", re.IGNORECASE)
_PROFILE_NAMES = "pollstui profile list --no-headers 2>/dev/null | cut -f2"


@dataclass
class Command:
    path: str  # "" for pollstui itself, "profile add" for a nested one
    help: str = ""
    options: dict[str, str] = field(default_factory=dict)  # option string -> help
    takes_value: dict[str, str | tuple[str, ...]] = field(default_factory=dict)  # option -> FILE/PROFILE/FREE/choices
    subcommands: dict[str, str] = field(default_factory=dict)  # name -> help
    positional: str | tuple[str, ...] | None = None


def walk(parser: argparse.ArgumentParser, path: str = "", help_: str = "") -> list[Command]:
    """Every command of ``parser``, depth first, the top one first."""
    command = Command(path, help_)
    found = [command]
    for action in parser._actions:  # argparse has no public way to list its actions
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, sub in action.choices.items():
                command.subcommands[name] = helps.get(name, "")
                found += walk(sub, f"{path} {name}".strip(), helps.get(name, ""))
        elif action.option_strings:
            for option in action.option_strings:
                command.options[option] = action.help or ""
                if action.nargs != 0:
                    command.takes_value[option] = _value_kind(action, path)
        elif command.positional is None and action.help != argparse.SUPPRESS:
            command.positional = _value_kind(action, path)
    return found


def _value_kind(action: argparse.Action, path: str) -> str | tuple[str, ...]:
    if action.choices:
        return tuple(str(choice) for choice in action.choices)
    if action.dest == "profile" or (path.startswith("profile ") and path != "profile add" and action.dest == "name"):
        return PROFILE
    if _FILE_METAVARS.search(str(action.metavar or "")) or action.dest in ("file", "db", "output"):
        return FILE
    return FREE


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    commands = walk(parser)
    if shell == "fish":
        return _fish(commands)
    script = _bash(commands)
    if shell == "zsh":
        return (
            "# zsh completion for pollstui: the bash script, through zsh's bashcompinit.\n"
            "# Load it from ~/.zshrc, after compinit: eval \"$(pollstui completion zsh)\"\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + script
        )
    return script


# --- bash (and zsh) ----------------------------------------------------------------------------


def _bash_words(kind: str | tuple[str, ...] | None, cur: str = '"$cur"') -> str:
    """The COMPREPLY assignment for a value of ``kind``."""
    if isinstance(kind, tuple):
        return f'COMPREPLY=($(compgen -W "{" ".join(kind)}" -- {cur}))'
    if kind == FILE:
        return f"compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- {cur}))"
    if kind == PROFILE:
        # Each name is one line, read as data and compared as a string: never `compgen -W`, which
        # expands its word list ($(…), `…`) and would run a name found in the profiles file.
        return (
            f'COMPREPLY=(); while IFS= read -r word; do [[ "$word" == {cur}* ]] && COMPREPLY+=("$word"); '
            f"done < <({_PROFILE_NAMES})"
        )
    return "COMPREPLY=()"


def _bash(commands: list[Command]) -> str:
    paths = " ".join(f"'{c.path}'" for c in commands if c.path)
    patterns: dict[str, list[str]] = {}  # what to complete -> the "path|option" words it follows
    words = []
    for c in commands:
        for option, kind in c.takes_value.items():
            patterns.setdefault(_bash_words(kind), []).append(f'"{c.path}|{option}"')
        options = " ".join(c.options)
        subs = " ".join(c.subcommands)
        positional = (
            _bash_words(c.positional) if c.positional is not None and not c.subcommands
            else f'COMPREPLY=($(compgen -W "{subs}" -- "$cur"))'
        )  # fmt: skip
        words.append(
            f'        "{c.path}")\n'
            f'            if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "{options}" -- "$cur")); '
            f"else {positional}; fi ;;"
        )
    values = [f"        {'|'.join(cases)})\n            {reply}; return ;;" for reply, cases in patterns.items()]
    return f"""\
# bash completion for pollstui (generated by `pollstui completion bash`)
_pollstui() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local path="" word i
    local -a paths=({paths})
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        [[ "$word" == -* ]] && continue
        for candidate in "${{paths[@]}}"; do
            if [[ "$candidate" == "${{path:+$path }}$word" ]]; then path="$candidate"; break; fi
        done
    done
    case "$path|$prev" in
{chr(10).join(values)}
    esac
    case "$path" in
{chr(10).join(words)}
    esac
}}
complete -F _pollstui pollstui
"""


# --- fish --------------------------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_value(kind: str | tuple[str, ...] | None) -> str:
    if isinstance(kind, tuple):
        return f"-x -a {_fish_quote(' '.join(kind))}"
    if kind == FILE:
        return "-r -F"
    if kind == PROFILE:
        return f"-x -a {_fish_quote('(' + _PROFILE_NAMES + ')')}"
    return "-x"


def _fish(commands: list[Command]) -> str:
    paths = " ".join(_fish_quote(c.path) for c in commands if c.path)
    lines = [
        "# fish completion for pollstui (generated by `pollstui completion fish`)",
        f"set -g __pollstui_paths {paths}",
        "function __pollstui_path",
        "    set -l path ''",
        "    for word in (commandline -opc)[2..-1]",
        "        string match -q -- '-*' $word; and continue",
        "        set -l candidate (string trim -- \"$path $word\")",
        "        contains -- $candidate $__pollstui_paths; and set path $candidate",
        "    end",
        "    echo $path",
        "end",
        "function __pollstui_at",
        "    test (__pollstui_path) = \"$argv[1]\"",
        "end",
        "complete -c pollstui -f",
    ]
    for c in commands:
        at = f"-n {_fish_quote('__pollstui_at ' + _fish_quote(c.path))}"
        for name, help_ in c.subcommands.items():
            lines.append(f"complete -c pollstui {at} -a {_fish_quote(name)} -d {_fish_quote(_first_line(help_))}")
        if c.positional is not None and not c.subcommands:
            lines.append(f"complete -c pollstui {at} {_fish_value(c.positional)}")
        for option, help_ in c.options.items():
            flag = f"-l {option[2:]}" if option.startswith("--") else f"-s {option[1:]}"
            value = _fish_value(c.takes_value[option]) if option in c.takes_value else ""
            lines.append(f"complete -c pollstui {at} {flag} {value} -d {_fish_quote(_first_line(help_))}".replace("  ", " "))
    return "\n".join(lines) + "\n"


def _first_line(text: str) -> str:
    return " ".join(text.split())[:80]
