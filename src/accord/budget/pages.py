"""The budget page: adopted budgets, the summary per state and year, scales; secretariat forms."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, page_principal, undo
from accord.budget import repository, service
from accord.budget.schemas import BudgetCreate, PaymentCreate, ScaleCreate
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput
from accord.i18n import _
from accord.members import service as members
from accord.web.forms import form_values, parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
SAVED = {
    "scale": lambda: _("Scale stored."),
    "budget": lambda: _("Budget recorded."),
    "payment": lambda: _("Payment recorded."),
}


async def _budget_page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    *,
    error: AccordError | None = None,
) -> Response:
    viewer = principal.viewer
    budgets = await service.list_budgets(session, viewer)
    scales = await repository.list_scales(session, viewer)
    saved = request.query_params.get("saved", "")
    context = {
        "budgets": budgets,
        "summary": await service.summary(session, viewer),
        "scales": [service.scale_read(scale) for scale in scales],
        "payments": [
            service.payment_read(p) for p in await repository.list_payments(session, viewer)
        ],
        "states": await members.list_states(session),
        "state_names": await members.state_names(session),
        "currencies": service.currencies(),
        "can_edit": viewer.state == "ORG" and viewer.has_role(*service.EDITING_ROLES),
        "error": error,
        "message": SAVED[saved]() if saved in SAVED and not error else None,
    }
    shown = [b.classification for b in budgets] + [s.classification for s in scales]
    return render(
        request,
        "budget/budget.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/budget", response_class=HTMLResponse)
async def budget_page(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    return await _budget_page(request, session, principal)


async def _act(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    saved: str,
    action: Callable[[dict[str, Any]], Awaitable[None]],
) -> Response:
    if not principal.viewer.has_role(*service.EDITING_ROLES):
        raise Forbidden(_("only the secretariat edits the budget"))
    values = form_values(await request.form(), lists=("states_bound",))
    try:
        await action(values)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _budget_page(request, session, principal, error=error)
    return redirect(f"/budget?saved={saved}")


@router.post("/budget/scales")
async def add_scale(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> None:
        shares = {
            key.removeprefix("share_"): value
            for key, value in values.items()
            if key.startswith("share_") and value != ""
        }
        data = parse_form(
            ScaleCreate,
            {"year": values.get("year"), "shares": shares, "note": values.get("note", "")},
        )
        await service.add_scale(session, principal.viewer, data)

    return await _act(request, session, principal, "scale", action)


@router.post("/budget/years")
async def adopt_budget(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> None:
        if values.get("decision_id"):
            values.pop("states_bound")
        else:
            values.pop("decision_id", None)
        await service.adopt_budget(session, principal.viewer, parse_form(BudgetCreate, values))

    return await _act(request, session, principal, "budget", action)


@router.post("/budget/payments")
async def record_payment(
    request: Request,
    principal: Principal = Depends(page_principal),
    session: AsyncSession = get_session,
) -> Response:
    async def action(values: dict[str, Any]) -> None:
        values.pop("states_bound", None)
        if not values.get("rate"):
            values.pop("rate", None)
        await service.record_payment(session, principal.viewer, parse_form(PaymentCreate, values))

    return await _act(request, session, principal, "payment", action)
