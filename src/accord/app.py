"""The application factory: routes of every domain, error answers, and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord import __version__
from accord.assistance import api as assistance_api
from accord.assistance import pages as assistance_pages
from accord.auth import api as auth_api
from accord.auth import pages as auth_pages
from accord.auth.dependencies import LoginRequired, PasswordChangeRequired
from accord.budget import api as budget_api
from accord.budget import pages as budget_pages
from accord.config import Settings, get_settings
from accord.council import api as council_api
from accord.council import pages as council_pages
from accord.crises import api as crises_api
from accord.crises import pages as crises_pages
from accord.crises import sitrep_api, sitrep_pages
from accord.db import Database
from accord.documents import api as documents_api
from accord.documents import pages as documents_pages
from accord.errors import AccordError, field_path
from accord.events import api as events_api
from accord.events import pages as events_pages
from accord.events.runtime import EventRuntime
from accord.i18n import _
from accord.incidents import api as incidents_api
from accord.incidents import attachments as incidents_attachments
from accord.incidents import exports as incidents_exports
from accord.incidents import map_pages as incidents_map
from accord.incidents import pages as incidents_pages
from accord.incidents.situation import SharedPictures
from accord.interop.cap import api as cap_api
from accord.jobs.runtime import JobRuntime
from accord.members import api as members_api
from accord.members import pages as members_pages
from accord.notifications import api as notifications_api
from accord.notifications import pages as notifications_pages
from accord.press import api as press_api
from accord.press import pages as press_pages
from accord.press import public as press_public
from accord.programme import api as programme_api
from accord.programme import pages as programme_pages
from accord.staffing import api as staffing_api
from accord.staffing import pages as staffing_pages
from accord.web.middleware import WebContextMiddleware
from accord.web.rendering import render

STATIC = __import__("pathlib").Path(__file__).parent / "web" / "static"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _error_answer(request: Request, error: AccordError) -> Response:
    if _wants_json(request):
        headers = {}
        if getattr(error, "retry_after", None):
            headers["Retry-After"] = str(error.retry_after)
        return JSONResponse(error.as_body(), status_code=error.status, headers=headers)
    if isinstance(error, LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    if isinstance(error, PasswordChangeRequired):
        return RedirectResponse("/account/password", status_code=303)
    return render(request, "error.html", {"error": error}, status_code=error.status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AccordError)
    async def accord_error(request: Request, error: AccordError) -> Response:
        return _error_answer(request, error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0]
        if first.get("type") == "json_invalid":
            body = AccordError(
                _("the body is not valid JSON: {reason}").format(
                    reason=first.get("ctx", {}).get("error", "syntax error")
                )
            )
            body.code = "malformed"
            return _error_answer(request, body)
        field = field_path(tuple(first.get("loc", ())))
        message = first.get("msg", "invalid value").removeprefix("Value error, ")
        invalid = AccordError(f"{field}: {message}" if field else message, field=field or None)
        invalid.status, invalid.code = 422, "validation_error"
        return _error_answer(request, invalid)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        messages = {404: _("nothing here"), 405: _("method not allowed")}
        wrapped = AccordError(messages.get(error.status_code, str(error.detail)))
        wrapped.status = error.status_code
        wrapped.code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "error")
        return _error_answer(request, wrapped)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the Accord application for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.database_url)
        runtime = EventRuntime(db, settings)
        jobs = JobRuntime(db, settings)
        app.state.db = db
        app.state.events = runtime
        app.state.jobs = jobs
        app.state.situations = SharedPictures()
        await runtime.start()
        await jobs.start()
        try:
            yield
        finally:
            await jobs.stop()
            await runtime.stop()
            await db.dispose()

    app = FastAPI(
        title="Accord", version=__version__, lifespan=lifespan, docs_url="/api/docs", redoc_url=None
    )
    app.state.settings = settings
    app.add_middleware(WebContextMiddleware, secure_cookies=settings.secure_cookies)
    install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz(request: Request) -> JSONResponse:
        try:
            await request.app.state.db.ping()
        except Exception:
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "up", "version": __version__})

    for module in (
        auth_api,
        members_api,
        events_api,
        incidents_exports,
        incidents_api,
        incidents_attachments,
        cap_api,
        crises_api,
        sitrep_api,
        assistance_api,
        council_api,
        documents_api,
        press_api,
        programme_api,
        staffing_api,
        budget_api,
        notifications_api,
        press_public,
        auth_pages,
        members_pages,
        events_pages,
        incidents_pages,
        incidents_map,
        crises_pages,
        sitrep_pages,
        assistance_pages,
        council_pages,
        documents_pages,
        press_pages,
        programme_pages,
        staffing_pages,
        budget_pages,
        notifications_pages,
    ):
        app.include_router(module.router)
    # Mounted after the routers: a mount answers every path under its prefix, and routes such
    # as /static/vendor/… serve files from installed packages.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def factory() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (several workers import the app by name)."""
    return create_app()
