"""`python -m pricewar` runs the command line."""

from pricewar.cli import main

main()
