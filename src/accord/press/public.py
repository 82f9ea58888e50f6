"""The public site: what visitors who are not logged in may read."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
