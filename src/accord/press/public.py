"""The public site: what visitors who are not logged in may read.

Every page here reads as the public: PUBLIC records released to everyone, releases only in
their published language versions. The language comes from ``?lang=`` when given (links and
feeds carry it), else from the visitor's choice or browser.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord import i18n
from accord.auth.dependencies import get_session
from accord.errors import NotFound
from accord.i18n import _
from accord.members import service as members
from accord.press import images, public_records, repository, service
from accord.press.feed import atom_feed
from accord.programme import report as programme_report
from accord.programme import service as programmes
from accord.programme.links import PUBLIC_VIEWER
from accord.web.rendering import render

router = APIRouter(include_in_schema=False)
RECENT = 50


def _language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES:
        i18n.set_language(asked)
    return i18n.current_language()


def state_status_names() -> dict[str, str]:
    return {
        "member": _("member"),
        "suspended": _("participation suspended"),
        "observer": _("observer"),
        "partner": _("partner"),
    }


async def _page(
    request: Request, session: AsyncSession, template: str, context: dict[str, Any]
) -> HTMLResponse:
    language = i18n.current_language()
    values = {
        "organisation_name": await members.organisation_name(session),
        "lang": language,
        "feeds": [(code, f"/public/feed.{code}.atom") for code in i18n.LANGUAGES],
        **context,
    }
    response = render(request, f"public/{template}", values)
    response.headers["Content-Language"] = language
    return response


async def _programme_context(session: AsyncSession, year: int | None = None) -> dict[str, Any]:
    if year is None:
        programme = await programmes.current_programme(session, None)
    else:
        programme = await programmes.programme_of_year(session, None, year)
    if programme is None:
        return {"programme": None, "years": []}
    return {
        "programme": await programmes.programme_read(session, None, programme),
        "years": await programmes.programme_years(session, None),
        "state_names": await members.state_names(session),
        "activity_names": programme_report.section_titles(),
    }


async def public_home(
    request: Request, session: AsyncSession, organisation: dict[str, Any]
) -> HTMLResponse:
    """The home page for visitors who are not logged in, around ``organisation`` (the states,
    chairs and bodies as the members domain shows them)."""
    language = _language(request)
    releases = await repository.published_in(session, PUBLIC_VIEWER, language, limit=5)
    return await _page(
        request,
        session,
        "home.html",
        {
            **organisation,
            "releases": releases,
            "sessions": (await public_records.public_sessions(session))[:5],
            **await _programme_context(session),
        },
    )


@router.get("/public", response_class=HTMLResponse)
async def home(request: Request, session: AsyncSession = get_session) -> Response:
    # Imported here: the members' home page imports this module to serve visitors.
    from accord.members.pages import organisation_context

    return await public_home(request, session, await organisation_context(session))


@router.get("/public/releases", response_class=HTMLResponse)
async def releases(request: Request, session: AsyncSession = get_session) -> Response:
    language = _language(request)
    rows = await repository.published_in(session, PUBLIC_VIEWER, language, limit=RECENT)
    return await _page(request, session, "releases.html", {"releases": rows})


@router.get("/public/releases/{release_id}", response_class=HTMLResponse)
async def release(
    request: Request, release_id: uuid.UUID, session: AsyncSession = get_session
) -> Response:
    language = _language(request)
    found = await repository.get_visible(session, PUBLIC_VIEWER, release_id)
    read = await service.release_read(session, None, found) if found else None
    if read is None or not read.texts:
        raise NotFound(_("no release {id}").format(id=release_id))
    text = read.texts.get(language) or next(iter(read.texts.values()))
    return await _page(
        request,
        session,
        "release.html",
        {"release": read, "text": text, "language_names": service.language_names()},
    )


@router.get("/public/releases/{release_id}/images/{image_id}")
async def release_image(
    release_id: uuid.UUID, image_id: uuid.UUID, session: AsyncSession = get_session
) -> Response:
    image, data = await images.get_image(session, None, release_id, image_id)
    return Response(
        data, media_type=image.media_type, headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/public/sessions", response_class=HTMLResponse)
async def sessions(request: Request, session: AsyncSession = get_session) -> Response:
    _language(request)
    rows = await public_records.public_sessions(session)
    return await _page(request, session, "sessions.html", {"sessions": rows})


@router.get("/public/decisions", response_class=HTMLResponse)
async def decisions(request: Request, session: AsyncSession = get_session) -> Response:
    _language(request)
    return await _page(
        request,
        session,
        "decisions.html",
        {
            "decisions": await public_records.public_decisions(session),
            "documents": await public_records.public_documents(session),
        },
    )


@router.get("/public/states", response_class=HTMLResponse)
async def states(request: Request, session: AsyncSession = get_session) -> Response:
    _language(request)
    return await _page(
        request,
        session,
        "states.html",
        {
            "states": await members.list_states(session),
            "chairs": await members.chairmanship(session),
            "state_names": await members.state_names(session),
            "status_names": state_status_names(),
        },
    )


@router.get("/public/programme", response_class=HTMLResponse)
async def programme(request: Request, session: AsyncSession = get_session) -> Response:
    _language(request)
    year = request.query_params.get("year", "")
    chosen = int(year) if year.isdigit() and len(year) == 4 else None
    return await _page(
        request, session, "programme.html", await _programme_context(session, chosen)
    )


@router.get("/public/feed.{language}.atom")
async def feed(request: Request, language: str, session: AsyncSession = get_session) -> Response:
    if language not in i18n.LANGUAGES:
        raise NotFound(_("no feed in that language"))
    i18n.set_language(language)
    rows = await repository.published_in(session, PUBLIC_VIEWER, language, limit=RECENT)
    name = await members.organisation_name(session)
    body = atom_feed(
        str(request.base_url),
        language,
        _("{organisation}: press releases").format(organisation=name),
        _("Releases of the joint press centre"),
        _("Joint press centre"),
        rows,
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
