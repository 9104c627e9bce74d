"""Reads of 社区治理, one module per topic."""
