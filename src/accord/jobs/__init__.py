"""Scheduled jobs: work due at an instant, run once, surviving restarts and several processes."""
