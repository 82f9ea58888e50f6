"""The council API: /api/v1/sessions and /api/v1/decisions."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["council"])
