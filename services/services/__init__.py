"""Writes of the public-services ledger, one module per topic. Each service refuses an actor without
`keep_services` (PermissionDenied, nothing written), validates, writes and records who made the change."""

from .health import contract_save, illness_screening_save, medical_staff_save, monitoring_entry_add
from .hukou import citizen_card_save, hukou_transfer_save
from .outreach import cadre_posting_save, origin_townships, service_day_save
from .social_security import dibao_save, enrolment_save, relief_grant

__all__ = [
    "cadre_posting_save",
    "citizen_card_save",
    "contract_save",
    "dibao_save",
    "enrolment_save",
    "hukou_transfer_save",
    "illness_screening_save",
    "medical_staff_save",
    "monitoring_entry_add",
    "origin_townships",
    "relief_grant",
    "service_day_save",
]
