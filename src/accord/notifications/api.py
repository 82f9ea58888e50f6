"""The notifications API: /api/v1/notifications."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["notifications"])
