"""社区治理 (annex 4, master-plan items 14–18): one module per topic, each re-exported here."""

from .open_affairs import (
    AffairCategory,
    CatalogueItem,
    DemocraticEvaluation,
    DocumentKind,
    EvaluationObject,
    Frequency,
    MeetingDecision,
    MeetingKind,
    Place,
    Publication,
    ResidentsMeeting,
    SelfGovernanceDocument,
)

__all__ = [
    "AffairCategory",
    "CatalogueItem",
    "DemocraticEvaluation",
    "DocumentKind",
    "EvaluationObject",
    "Frequency",
    "MeetingDecision",
    "MeetingKind",
    "Place",
    "Publication",
    "ResidentsMeeting",
    "SelfGovernanceDocument",
]
