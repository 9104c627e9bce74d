"""文化服务 (annex 3, master-plan items 10–14): one module per topic, each re-exported here."""

from .facilities import (
    ArtForm,
    ArtWork,
    BookStockUpdate,
    CollectionItem,
    CollectionKind,
    NostalgiaStep,
    NostalgiaStepKind,
)
from .house_photos import DEFAULT_HANGING_UNIT, HousePhoto
from .selections import Honour, Selection, SelectionCategory
from .sessions import SHORT_NAMES, Session, SessionKind

__all__ = [
    "DEFAULT_HANGING_UNIT",
    "SHORT_NAMES",
    "ArtForm",
    "ArtWork",
    "BookStockUpdate",
    "CollectionItem",
    "CollectionKind",
    "Honour",
    "HousePhoto",
    "NostalgiaStep",
    "NostalgiaStepKind",
    "Selection",
    "SelectionCategory",
    "Session",
    "SessionKind",
]
