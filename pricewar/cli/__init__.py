"""The Typer app: parses, calls, renders. The only package that prints or exits.

Commands live in one module per family and register themselves on the shared app.
"""

# Imported in the order `pricewar --help` lists the commands.
from pricewar.cli import update, compare, reports, money, backfill  # noqa: F401, I001  (registers the commands)
import sys

from pricewar.cli.common import app


def main() -> None:
    only(sys.argv[1:])
    app()


def only(args: list[str]) -> None:
    """Let Typer build the one command being run: it reads every registered command's signature first, a few
    milliseconds each. `pricewar`, `pricewar --help` and an unknown command keep them all, to list them."""
    name = next((arg for arg in args if not arg.startswith("-")), None)
    chosen = [command for command in app.registered_commands
              if (command.name or command.callback.__name__.lower().replace("_", "-")) == name]
    if chosen:
        app.registered_commands = chosen
