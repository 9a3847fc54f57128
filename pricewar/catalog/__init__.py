"""Data that ships with pricewar, no code: catalog.json, the bundled, sourced record of published prices (read by
sources/providers/catalog.py), and observed.json.gz, the shipped history of the archives (read by history/shipped.py)."""
