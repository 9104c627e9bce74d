"""The culture app's writes, one module per topic."""

from .sessions import session_save

__all__ = ["session_save"]
