"""Imports of the units' Excel ledgers through the shared framework (`settlements.imports`)."""

IMPORTERS: list = []
