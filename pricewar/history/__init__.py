"""Keeping the history: the database, recording only what changed, runs, the shipped history, dated rates."""
