"""pricewar: a history of published LLM API prices, and the reports that read it."""

__version__ = "0.1.0"
