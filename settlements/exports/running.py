"""Running an export: the one path from a user's request to a written, logged file."""

import contextlib
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from .. import audit, capabilities
from .exporters import Exporter


@dataclass
class ExportFile:
    file: BinaryIO  # an anonymous temporary file at its start: closing it (the response does) deletes it
    file_name: str
    record_count: int


def run(exporter_class: type[Exporter], user, params=None, *, full_ids: bool = False, **url_kwargs) -> ExportFile:
    """Run `exporter_class` for `user`: scope, capability, full ID numbers, the file, the audit entry, in that
    order.

    The exporter reads its objects from the user's scope first, so an object outside it is a 404 whatever the
    user's role (never a 403 that confirms it exists); then a user without the exporter's capability, or asking
    for full ID numbers without `REVEAL_ID_NUMBERS`, is refused (PermissionDenied, a 403 page in Chinese).
    An export holding personal data (or any with an `audit_action`) is in the audit trail with who, what and
    how many, masked or not; so is its refusal.
    """
    exporter = exporter_class(user, params, full_ids=full_ids, **url_kwargs)
    action = exporter.audit_action()
    with _refusals_recorded(user, action, exporter):
        capabilities.require(user, exporter.capability)
        if exporter.full_ids:
            capabilities.require(user, capabilities.REVEAL_ID_NUMBERS)
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - the caller (the response) closes it
    try:
        count = exporter.write(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    if action:
        audit.record_access(
            actor=user,
            action=action,
            target=exporter.audit_target(),
            record_count=count,
            description=exporter.description(),
        )
    return ExportFile(output, exporter.file_name(), count)


def _refusals_recorded(user, action: str | None, exporter: Exporter):
    if action is None:
        return contextlib.nullcontext()
    return audit.refusals_recorded(actor=user, action=action, target=exporter.audit_target())
