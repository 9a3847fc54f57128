"""The Typer app: parses, calls, renders. The only package that prints or exits.

Commands live in one module per family and register themselves on the shared app.
"""

# Imported in the order `pricewar --help` lists the commands.
from pricewar.cli import update, compare, reports, money, backfill  # noqa: F401, I001  (registers the commands)
from pricewar.cli.common import app


def main() -> None:
    app()
