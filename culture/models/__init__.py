"""文化服务 (annex 3, master-plan items 10–14): one module per topic, each re-exported here."""

from .facilities import (
    ArtForm,
    ArtWork,
    BookStockUpdate,
    CollectionItem,
    CollectionKind,
    CultureTeam,
    NostalgiaStep,
    NostalgiaStepKind,
    TeamKind,
)

__all__ = [
    "ArtForm",
    "ArtWork",
    "BookStockUpdate",
    "CollectionItem",
    "CollectionKind",
    "CultureTeam",
    "NostalgiaStep",
    "NostalgiaStepKind",
    "TeamKind",
]
