"""Transcript Player: a lecture with its transcript beside it."""

__version__ = "0.1.0"
