"""The schema steps (migrations.py); shipped inside the wheel as pricewar.migrations."""
