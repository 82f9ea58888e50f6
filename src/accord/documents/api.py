"""The documents API: /api/v1/documents and verification bundles."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["documents"])
