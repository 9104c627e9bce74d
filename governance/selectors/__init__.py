"""Reads of the governance ledger, one module per topic."""
