"""社区治理 (annex 4, master-plan items 14–18): one module per topic, each re-exported here."""
