"""The Typer app: parses, calls, renders. The only package that prints or exits.

Commands live in one module per family and register themselves on the shared app. A run imports the module of
the command it runs only, and lets Typer build that command only: `compare` never loads `update`'s machinery.
"""

import gc
import importlib
import os
import sys
from contextlib import contextmanager


@contextmanager
def _importing():
    """What importing makes is kept, never garbage: the cycle collector would only walk it (a tenth of a short
    run), so it waits until the imports are done, and never walks those objects again."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


with _importing():
    from pricewar.cli import common  # Typer, and the modules every command uses

# Each command's module, in the order `pricewar --help` lists them (tests/test_read_path.py holds this to the
# commands the modules register).
MODULES = {"update": "update", "compare": "compare", "models": "models", "record": "record", "changes": "reports",
           "history": "reports", "war": "reports", "moves": "story", "index": "story", "report": "reports",
           "cost": "money", "economics": "money", "backfill": "backfill", "completion": "completion"}


def load(name: str | None = None) -> None:
    """Register the command `name` (its module's commands); every command when it is None or unknown."""
    modules = [MODULES[name]] if name in MODULES else dict.fromkeys(MODULES.values())
    for module in modules:
        importlib.import_module(f"pricewar.cli.{module}")
    if name in MODULES:  # Typer reads every registered command's signature first, a few ms each
        common.app.registered_commands = [command for command in common.app.registered_commands
                                          if command_name(command) == name]
    else:  # in the order of MODULES, whichever module was imported first
        order = {listed: number for number, listed in enumerate(MODULES)}
        common.app.registered_commands.sort(key=lambda command: order.get(command_name(command), len(order)))


def command_name(command) -> str:
    return command.name or command.callback.__name__.lower().replace("_", "-")


def listing_only() -> None:
    """`pricewar --help`, or no command: each command as its name and help alone, so that Typer does not read
    the options of ten signatures to list them."""
    import copy

    for number, command in enumerate(common.app.registered_commands):
        def listed() -> None:  # never run: any command named on the line is loaded in full
            raise AssertionError("a listed command was run")

        listed.__name__, listed.__doc__ = command.callback.__name__, command.callback.__doc__
        common.app.registered_commands[number] = copy.copy(command)
        common.app.registered_commands[number].callback = listed


def main() -> None:
    name = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    completing = os.environ.get("_PRICEWAR_COMPLETE")  # the shell asks what may come next on its line
    if completing:
        from pricewar.cli import completion

        name = completion.completed_command()  # the command on the line, or None: every name
    with _importing():
        load(name)
    if name not in MODULES:
        listing_only()
    if completing:
        sys.exit(completion.respond(common.app))
    common.app()


def __getattr__(name: str):
    """`from pricewar.cli import app`: the app with every command (tests, and anything embedding pricewar)."""
    if name == "app":
        load()
        return common.app
    raise AttributeError(name)
