"""The bundled, dated record of published prices: catalog.json is data, read by pricewar.catalog_load."""
