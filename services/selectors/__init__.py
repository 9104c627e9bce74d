"""Reads of the public-services ledger that are more than one line, one module per topic. All lists start from
a user's scope (`settlement_ids`)."""
