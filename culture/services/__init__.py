"""Writes of the culture app, one module per topic, re-exported here."""

from .facilities import (
    art_work_save,
    book_stock_update_save,
    collection_item_save,
    culture_team_save,
    nostalgia_step_save,
)

__all__ = [
    "art_work_save",
    "book_stock_update_save",
    "collection_item_save",
    "culture_team_save",
    "nostalgia_step_save",
]
