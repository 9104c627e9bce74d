"""Writes of 社区治理, one module per topic, each re-exported here."""

from .committees import (
    committee_save,
    committee_step_record,
    mass_organisation_save,
    member_save,
    street_office_save,
    street_office_step_record,
)
from .elections import (
    candidate_save,
    election_file,
    election_save,
    officer_save,
    results_announce,
    voter_add,
    voter_list_build,
    voter_list_post,
    voter_restore,
    voter_strike,
)

__all__ = [
    "candidate_save",
    "committee_save",
    "committee_step_record",
    "election_file",
    "election_save",
    "mass_organisation_save",
    "member_save",
    "officer_save",
    "results_announce",
    "street_office_save",
    "street_office_step_record",
    "voter_add",
    "voter_list_build",
    "voter_list_post",
    "voter_restore",
    "voter_strike",
]
