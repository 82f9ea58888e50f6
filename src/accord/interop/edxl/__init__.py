"""EDXL-RM 1.0 shaped export of requests, offers and deployments (the subset Accord emits)."""
