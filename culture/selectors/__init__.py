"""Reads of the culture app, one module per topic."""
