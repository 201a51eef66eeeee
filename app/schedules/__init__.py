"""Recurring and scheduled work: rules in the founder's words, fired exactly once (see scheduler.py)."""
