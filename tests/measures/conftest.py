"""Fixtures shared by the measures tests live in tests/conftest.py (the document and its chain)."""
