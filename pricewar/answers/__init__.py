"""Answering: what the recorded prices say on a date, over time, and for a workload."""
