"""The programme API: /api/v1/programmes."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["programmes"])
