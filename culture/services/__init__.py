"""The culture writes, one module per topic, re-exported here."""

from .facilities import (
    art_work_save,
    book_stock_update_save,
    collection_item_save,
    nostalgia_step_save,
)
from .house_photos import house_photo_record
from .selections import honour_add, honour_delete, selection_save
from .sessions import session_save

__all__ = [
    "art_work_save",
    "book_stock_update_save",
    "collection_item_save",
    "honour_add",
    "honour_delete",
    "house_photo_record",
    "nostalgia_step_save",
    "selection_save",
    "session_save",
]
