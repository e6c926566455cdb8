"""The Polls REST API layer: models, addresses, errors and the async client.

Nothing in this package imports Textual (tests/test_import_hygiene.py enforces it).
"""
