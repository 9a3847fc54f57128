"""Reading sources: fetching, page text and tables, one module per provider, feeds kept in git."""
