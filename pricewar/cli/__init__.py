"""The Typer app: parses, calls, renders. The only package that prints or exits.

Commands live in one module per family and register themselves on the shared app.
"""

from pricewar.cli import compare, money, reports, update  # noqa: F401  (registers the commands)
from pricewar.cli.common import app


def main() -> None:
    app()
