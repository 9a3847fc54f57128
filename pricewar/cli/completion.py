"""`pricewar completion`: the script that makes a shell complete pricewar as you type, and what it completes.

The script runs `pricewar` with _PRICEWAR_COMPLETE set at each Tab (Typer's protocol: `source_bash` prints the
script, `complete_bash` the words). Commands and options come from the app; model ids, provider ids and sellers
from the history, read-only: completing never creates a database, and never prints an error on the terminal.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pricewar.cli.common import app, handles_errors, out, plain_values
from pricewar.price import UsageError, brief

COMPLETE_VAR = "_PRICEWAR_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
MOST = 1000  # words offered at once: a history of 100,000 models is not listed whole at a bare Tab

# What completes which argument (by name) or option (by its long name); an option of a few plain words
# (--format table|json|csv|markdown) completes to them.
ARGUMENTS = {"models": "models", "model": "models", "patterns": "models", "provider": "providers",
             "sources": "sources", "source": "sources", "shell": "shells"}
OPTIONS = {"--vs": "models", "--model": "models", "--provider": "providers", "--via": "sellers",
           "--currency": "currencies"}


@app.command()
@handles_errors
def completion(
    shell: Annotated[Optional[str], typer.Argument(help="bash, zsh or fish [default: the one $SHELL names].",
                                                   show_default=False)] = None,
) -> None:
    """Print the script that makes your shell complete pricewar's commands, options, model ids and providers.

    \b
    bash: pricewar completion bash > ~/.local/share/bash-completion/completions/pricewar
          (or add eval "$(pricewar completion bash)" to ~/.bashrc)
    zsh:  add eval "$(pricewar completion zsh)" to ~/.zshrc, after compinit
    fish: pricewar completion fish > ~/.config/fish/completions/pricewar.fish
    """
    if shell is None:
        shell = Path(os.environ.get("SHELL", "")).name
        if shell not in SHELLS:
            raise UsageError(f"name the shell: bash, zsh or fish (SHELL is '{shell or 'not set'}')")
    if shell not in SHELLS:
        raise UsageError(f"no completion for the shell '{brief(shell)}': pricewar completes bash, zsh and fish")
    out.file.write(script(shell).rstrip("\n") + "\n")  # as it is: no markup, no colour, no folding


def script(shell: str) -> str:
    """The completion script of `shell`, bound to the command `pricewar`."""
    return shells()[shell](None, {}, "pricewar", COMPLETE_VAR).source()


@functools.cache
def shells() -> dict:
    """Typer's completion of each shell, registered where Click looks for them; bash's joins a word it split at a
    colon (OpenRouter's deepseek-chat:free)."""
    from typer import completion as typer_completion
    from typer.core import _click

    typer_completion.completion_init()
    known = _click.shell_completion

    class Bash(known.get_completion_class("bash")):
        cut = 0  # what bash keeps of the word completed: the part before its last colon

        def get_completion_args(self) -> tuple[list[str], str]:
            words = known.split_arg_string(os.environ["COMP_WORDS"])
            at = int(os.environ["COMP_CWORD"])
            words += [""] * (at + 1 - len(words))
            start = at
            while start > 1 and ":" in (words[start], words[start - 1]):
                start -= 1
            self.cut = len("".join(words[start:at]))  # bash replaces its own last word only: ":" or after it
            return words[1:start], "".join(words[start:at + 1])

        def format_completion(self, item) -> str:
            return item.value[self.cut:]

    known.add_completion_class(Bash, "bash")
    return {shell: known.get_completion_class(shell) for shell in SHELLS}


def completed_command() -> str | None:
    """While completing: the command named before the word being completed; None when that word is the command."""
    kind = shells().get(instruction().rpartition("_")[2])
    if kind is None:
        return None
    try:
        words, _ = kind(None, {}, "pricewar", COMPLETE_VAR).get_completion_args()
    except (KeyError, ValueError):  # no COMP_WORDS: nothing to complete
        return None
    return next((word for word in words if not word.startswith("-")), None)


def instruction() -> str:
    """Typer's `complete_bash`, also as Click spells it (`bash_complete`, `bash_source`)."""
    given = os.environ.get(COMPLETE_VAR, "")
    first, _, second = given.partition("_")
    return f"{second}_{first}" if first in SHELLS else given


def respond(app) -> int:
    """Answer the shell with the app's commands loaded: the script, or what may come next on its line. Nothing on
    stderr while completing (PRICEWAR_DEBUG shows it)."""
    from typer import completion as typer_completion

    plain_values()
    group = typer.main.get_command(app)
    for command in group.commands.values():
        for param in command.params:
            if param._custom_shell_complete is None:
                param._custom_shell_complete = suggest
    shells()
    asked = instruction()
    debug = bool(os.environ.get("PRICEWAR_DEBUG"))
    if asked.startswith("complete_") and not debug:
        sys.stderr.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stderr.fileno())
    try:
        return typer_completion.shell_complete(group, {}, "pricewar", COMPLETE_VAR, asked)
    except Exception:
        if debug:
            raise
        return 1


def suggest(ctx, param, incomplete: str) -> list:
    """The words that may complete `incomplete` as `param`'s value; none when anything goes wrong."""
    from typer.core import _click

    long = next((name for name in param.opts if name.startswith("--")), None)
    kind = ARGUMENTS.get(param.name) if param.param_type_name == "argument" else OPTIONS.get(long)
    metavar = param.metavar or ""  # as common._described set it
    try:
        if kind is None and "|" in metavar and any(letter.islower() for letter in metavar):
            words = metavar.split("|")
        elif kind is None:
            return []
        else:
            words = WORDS[kind](ctx, incomplete)
    except Exception:  # a shell's Tab: never a traceback, never a message
        if os.environ.get("PRICEWAR_DEBUG"):
            raise
        return []
    head, comma, tail = incomplete.rpartition(",") if kind == "providers" else ("", "", incomplete)
    wanted = tail.lower()
    return [_click.shell_completion.CompletionItem(head + comma + word)
            for word in dict.fromkeys(words) if word.lower().startswith(wanted)][:MOST]


def _read(ctx, sql: str, *params) -> list[str]:
    """The first column of `sql` on the history of this command line (--db, PRICEWAR_DB, or the default), read
    only; nothing when there is none yet."""
    from pricewar.history import database

    given = ctx.params.get("db_path") or os.environ.get("PRICEWAR_DB")
    path = database.db_path_from_env(str(given) if given else None)
    if not path.is_file():
        return []
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    try:
        return [row[0] for row in conn.execute(sql, params)]
    finally:
        conn.close()


def _like(incomplete: str) -> str:
    tail = incomplete.rpartition(",")[2]
    return tail.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _models(ctx, incomplete: str) -> list[str]:
    return _read(ctx, "select distinct model from models where model like ? escape '\\' order by model limit ?",
                 _like(incomplete), MOST)


def _providers(ctx, incomplete: str) -> list[str]:
    return _read(ctx, "select id from providers where id like ? escape '\\' order by id", _like(incomplete))


def _sellers(ctx, incomplete: str) -> list[str]:
    from pricewar.history import queries

    return ["makers", "all", *queries.RESELLING_SOURCES,
            *_read(ctx, "select distinct provider from prices order by provider")]


def _currencies(ctx, incomplete: str) -> list[str]:
    from pricewar.history import fx

    return fx.published_now()


def _sources(ctx, incomplete: str) -> list[str]:
    from pricewar.sources import providers

    return providers.names()


WORDS = {"models": _models, "providers": _providers, "sellers": _sellers, "currencies": _currencies,
         "sources": _sources, "shells": lambda ctx, incomplete: list(SHELLS)}
