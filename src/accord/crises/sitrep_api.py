"""The situation reports API: /api/v1/sitreps."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["sitreps"])
