"""Assistance: the capability register, requests for assistance, offers and deployments."""
