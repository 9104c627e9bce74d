"""文化服务 (annex 3, master-plan items 10–14): one module per topic, each re-exported here."""

from .sessions import SHORT_NAMES, Session, SessionKind

__all__ = ["SHORT_NAMES", "Session", "SessionKind"]
