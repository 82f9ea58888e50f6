"""Crises: incidents grouped and escalated, their roles, tasks, timeline and situation reports."""
