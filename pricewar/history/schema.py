"""The schema steps, wherever pricewar runs from.

Installed, they ship inside the package as `pricewar.migrations`; run in place from a clone
(`python -m pricewar` at its top), they are the top-level `migrations/` folder beside `pricewar/`.
"""

try:
    from pricewar.migrations.migrations import migrations
except ModuleNotFoundError:
    from migrations.migrations import migrations

__all__ = ["migrations"]
