"""The notification pages, and the mail outbox for administrators."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
