"""Showing: tables and text for a terminal, JSON / CSV / Markdown, charts, the HTML page."""
