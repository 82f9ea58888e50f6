"""The budget API: /api/v1/budget — scales, adopted budgets, payments, the summary and exports."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification
from accord.auth.dependencies import Principal, current_principal, get_session, require_roles
from accord.budget import exports, repository, service
from accord.budget.schemas import (
    BudgetCreate,
    BudgetList,
    BudgetRead,
    PaymentCreate,
    PaymentList,
    PaymentRead,
    ScaleCreate,
    ScaleList,
    ScaleRead,
    Summary,
)
from accord.errors import InvalidInput
from accord.i18n import _

router = APIRouter(prefix="/api/v1", tags=["budget"])
EDITOR = Depends(require_roles(*service.EDITING_ROLES))
LIMIT = Query(50, ge=1, le=500)
CURSOR = Query(None, max_length=200)


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise InvalidInput(_("the cursor is not one this list gave"), field="cursor")
    return int(cursor)


def _page(items: list, limit: int, cursor: str | None) -> tuple[list, str | None]:
    start = _offset(cursor)
    page = items[start : start + limit]
    return page, str(start + limit) if start + limit < len(items) else None


@router.get("/budget", response_model=BudgetList)
@router.get("/budget/years", response_model=BudgetList)
async def list_budgets(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    limit: int = LIMIT,
    cursor: str | None = CURSOR,
) -> BudgetList:
    """The adopted budgets, newest year first, each with its assessed contributions."""
    items, next_cursor = _page(await service.list_budgets(session, principal.viewer), limit, cursor)
    return BudgetList(items=items, next_cursor=next_cursor)


@router.post("/budget/years", response_model=BudgetRead, status_code=201)
async def adopt_budget(
    body: BudgetCreate, principal: Principal = EDITOR, session: AsyncSession = get_session
) -> BudgetRead:
    budget = await service.adopt_budget(session, principal.viewer, body)
    return await service.get_budget(session, principal.viewer, budget.year)


@router.get("/budget/years/{year}", response_model=BudgetRead)
async def get_budget(
    year: int,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> BudgetRead:
    return await service.get_budget(session, principal.viewer, year)


@router.get("/budget/scales", response_model=ScaleList)
async def list_scales(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    year: int | None = Query(None, ge=1990, le=2200),
    limit: int = LIMIT,
    cursor: str | None = CURSOR,
) -> ScaleList:
    """Every version of the scales of shares, newest first."""
    rows = await repository.list_scales(session, principal.viewer, year=year)
    items, next_cursor = _page([service.scale_read(row) for row in rows], limit, cursor)
    return ScaleList(items=items, next_cursor=next_cursor)


@router.post("/budget/scales", response_model=ScaleRead, status_code=201)
async def add_scale(
    body: ScaleCreate, principal: Principal = EDITOR, session: AsyncSession = get_session
) -> ScaleRead:
    return service.scale_read(await service.add_scale(session, principal.viewer, body))


@router.get("/budget/scales/{scale_id}", response_model=ScaleRead)
async def get_scale(
    scale_id: uuid.UUID,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
) -> ScaleRead:
    return service.scale_read(await service.get_scale(session, principal.viewer, scale_id))


@router.get("/budget/payments", response_model=PaymentList)
async def list_payments(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    year: int | None = Query(None, ge=1990, le=2200),
    state: list[str] = Query([], max_length=50),
    limit: int = LIMIT,
    cursor: uuid.UUID | None = Query(None),
) -> PaymentList:
    """Payments the caller may see (a state sees its own), in a stable order."""
    rows = await repository.list_payments(
        session, principal.viewer, year=year, states=tuple(state), cursor=cursor, limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return PaymentList(
        items=[service.payment_read(row) for row in rows],
        next_cursor=str(rows[-1].id) if more and rows else None,
    )


@router.post("/budget/payments", response_model=PaymentRead, status_code=201)
async def record_payment(
    body: PaymentCreate, principal: Principal = EDITOR, session: AsyncSession = get_session
) -> PaymentRead:
    return service.payment_read(await service.record_payment(session, principal.viewer, body))


@router.get("/budget/summary", response_model=Summary)
async def summary(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    year: int | None = Query(None, ge=1990, le=2200),
    limit: int = LIMIT,
    cursor: str | None = CURSOR,
) -> Summary:
    """Per member and year: assessed, paid, arrears and credit."""
    rows = await service.summary(session, principal.viewer, year=year)
    items, next_cursor = _page(rows, limit, cursor)
    return Summary(items=items, next_cursor=next_cursor)


def _export_headers(filename: str) -> dict[str, str]:
    return {
        "X-Classification": service.MARKING.name,
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store",
    }


@router.get("/budget/summary.csv", response_class=Response)
async def summary_csv(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    year: int | None = Query(None, ge=1990, le=2200),
) -> Response:
    """The summary as CSV; the first row is the marking, the second the column names."""
    rows = await service.summary(session, principal.viewer, year=year)
    return Response(
        exports.summary_csv(rows, Classification(service.MARKING)),
        media_type="text/csv; charset=utf-8",
        headers=_export_headers("budget-summary.csv"),
    )


@router.get("/budget/summary.xlsx", response_class=Response)
async def summary_xlsx(
    principal: Principal = Depends(current_principal),
    session: AsyncSession = get_session,
    year: int | None = Query(None, ge=1990, le=2200),
) -> Response:
    """The summary as an XLSX workbook, marked above and below the table."""
    rows = await service.summary(session, principal.viewer, year=year)
    return Response(
        exports.summary_xlsx(rows, Classification(service.MARKING)),
        media_type=exports.XLSX_TYPE,
        headers=_export_headers("budget-summary.xlsx"),
    )
