"""The administrators' view of scheduled jobs: what is due, what failed and why."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, require_page_roles
from accord.jobs import service
from accord.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/admin/jobs", response_class=HTMLResponse)
async def jobs_page(
    request: Request,
    done: bool = Query(False),
    _admin: Principal = Depends(require_page_roles("admin")),
    session: AsyncSession = get_session,
) -> Response:
    jobs = await service.list_jobs(session, pending_only=not done)
    return render(request, "notifications/jobs.html", {"jobs": jobs, "done": done})
