"""The culture app's reads, one module per topic."""
