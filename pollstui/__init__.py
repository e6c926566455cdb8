"""pollstui: a keyboard-driven terminal app for the Polls REST API."""

__version__ = "0.1.0"
