"""The culture writes, one module per topic, re-exported here."""

from .house_photos import house_photo_record
from .selections import honour_add, honour_delete, selection_save
from .sessions import session_save

__all__ = ["honour_add", "honour_delete", "house_photo_record", "selection_save", "session_save"]
