"""The press centre pages: the list of releases, drafting, one release with its review."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from accord.auth.dependencies import Principal, get_session, require_page_roles, undo
from accord.errors import AccordError, Conflict, Forbidden, InvalidInput, NotFound
from accord.i18n import _
from accord.press import images, linking, public_records, repository, service
from accord.press.schemas import LinkRef, ReleaseChange, ReleaseCreate, ReleaseMove
from accord.programme import service as programmes
from accord.web.forms import parse_form
from accord.web.rendering import redirect, render

router = APIRouter(include_in_schema=False)
press_page = require_page_roles("press")
LANGUAGES = ("en", "ru")
SAVED = {
    "draft": lambda: _("Release drafted."),
    "edit": lambda: _("Changes saved."),
    "submit": lambda: _("Sent for review."),
    "return": lambda: _("Returned to draft."),
    "approve": lambda: _("Approved."),
    "publish": lambda: _("Published."),
    "unpublish": lambda: _("Unpublished."),
    "image": lambda: _("Image attached."),
    "linked": lambda: _("Record linked."),
    "unlinked": lambda: _("Link removed."),
}


def action_names() -> dict[str, str]:
    return {
        "submit": _("Send for review"),
        "return": _("Return to draft"),
        "approve": _("Approve"),
        "publish": _("Publish"),
        "unpublish": _("Unpublish"),
    }


def _release_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(_("no release {id}").format(id=value[:40])) from None


async def _linkable(session: AsyncSession) -> list[tuple[str, str]]:
    """The public records a release may link, as (``kind:id``, label) for the form."""
    choices = [
        (f"session:{s.id}", _("Session: {title}, {when}").format(title=s.title, when=s.when))
        for s in await public_records.public_sessions(session)
    ]
    choices += [
        (f"decision:{d.id}", _("Decision: {title}").format(title=f"{d.number} {d.title}".strip()))
        for d in await public_records.public_decisions(session)
    ]
    choices += [
        (f"document:{d.id}", _("Document: {title}").format(title=d.title))
        for d in await public_records.public_documents(session)
    ]
    for year in await programmes.programme_years(session, None):
        programme = await programmes.programme_of_year(session, None, year)
        choices.append(
            (f"programme:{programme.id}", _("Chairmanship programme {year}").format(year=year))
        )
    return choices


def _links_from(values: list[str]) -> list[dict[str, str]]:
    links = []
    for index, value in enumerate(v.strip() for v in values if v and v.strip()):
        kind, _sep, ident = value.partition(":")
        links.append({"kind": kind.strip(), "id": ident.strip()})
        if not ident:
            raise InvalidInput(
                _("links.{index}: write a link as kind:id, e.g. decision:…").format(index=index),
                field=f"links.{index}",
            )
    return links


def _form_values(form) -> dict[str, Any]:
    values: dict[str, Any] = {
        f"{language}_{part}": str(form.get(f"{language}_{part}") or "")
        for language in LANGUAGES
        for part in ("title", "body")
    }
    values["links"] = [str(v) for v in form.getlist("link")]
    values["link_other"] = str(form.get("link_other") or "")[:200]
    values["version"] = str(form.get("version") or "")
    return values


def _texts(values: dict[str, Any]) -> dict[str, dict[str, str]]:
    # A language left wholly empty is not part of the release; a half-filled one is refused.
    return {
        language: {"title": values[f"{language}_title"], "body": values[f"{language}_body"]}
        for language in LANGUAGES
        if values[f"{language}_title"].strip() or values[f"{language}_body"].strip()
    }


async def _form_page(
    request: Request,
    session: AsyncSession,
    values: dict[str, Any],
    error: AccordError | None = None,
) -> Response:
    context = {
        "values": values,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "choices": await _linkable(session),
        "language_names": service.language_names(),
    }
    return render(request, "press/form.html", context, status_code=error.status if error else 200)


@router.get("/press", response_class=HTMLResponse)
async def release_list(
    request: Request,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    rows, next_cursor = await repository.list_releases(
        session,
        principal.viewer,
        published_only=False,
        cursor=request.query_params.get("cursor") or None,
        limit=50,
    )
    releases = [await service.release_read(session, principal.viewer, row) for row in rows]
    return render(
        request,
        "press/list.html",
        {
            "releases": releases,
            "next_cursor": next_cursor,
            "status_names": service.status_names(),
        },
    )


@router.get("/press/new", response_class=HTMLResponse)
async def new_release(
    request: Request,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    values = {f"{lang}_{part}": "" for lang in LANGUAGES for part in ("title", "body")}
    return await _form_page(request, session, {**values, "links": [], "link_other": ""})


@router.post("/press/new", response_class=HTMLResponse)
async def submit_release(
    request: Request,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    values = _form_values(await request.form())
    try:
        data = parse_form(
            ReleaseCreate,
            {
                "texts": _texts(values),
                "links": _links_from([*values["links"], values["link_other"]]),
            },
        )
        release = await service.draft_release(session, principal.viewer, data)
        await session.flush()
    except InvalidInput as error:
        await undo(session, principal)
        return await _form_page(request, session, values, error)
    return redirect(f"/press/{release.id}?saved=draft")


async def _detail(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    release_id: uuid.UUID,
    *,
    error: AccordError | None = None,
    values: dict[str, Any] | None = None,
    link_value: str = "",
) -> Response:
    release = await service.get_release(session, principal.viewer, release_id)
    read = await service.release_read(session, principal.viewer, release)
    statuses = {text.status for text in read.texts.values()}
    actions = [
        action
        for action, target in service.ACTIONS.items()
        if any(target in service.TEXT_FLOW.targets(status) for status in statuses)
    ]
    saved = request.query_params.get("saved", "")
    edit = values or {
        f"{lang}_{part}": getattr(read.texts[lang], part) if lang in read.texts else ""
        for lang in LANGUAGES
        for part in ("title", "body")
    }
    context = {
        "release": read,
        "history": await service.history(session, release),
        "actions": actions,
        "action_names": action_names(),
        "status_names": service.status_names(),
        "language_names": service.language_names(),
        "editable": all(text.status == "draft" for text in read.texts.values()),
        "values": edit,
        "error": error,
        "error_field": (error.field or "") if error else "",
        "message": SAVED[saved]() if saved in SAVED and not error else None,
    }
    linked = {f"{link.kind}:{link.id}" for link in read.links}
    context["choices"] = [c for c in await _linkable(session) if c[0] not in linked]
    context["link_value"] = link_value
    shown = [link.classification for link in read.links]
    return render(
        request,
        "press/detail.html",
        context,
        shown=shown,
        status_code=error.status if error else 200,
    )


@router.get("/press/{release_id}", response_class=HTMLResponse)
async def release_detail(
    request: Request,
    release_id: str,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    return await _detail(request, session, principal, _release_id(release_id))


@router.post("/press/{release_id}/edit", response_class=HTMLResponse)
async def edit_release(
    request: Request,
    release_id: str,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    ident = _release_id(release_id)
    values = _form_values(await request.form())
    try:
        change = parse_form(ReleaseChange, {"version": values["version"], "texts": _texts(values)})
        await service.change_release(session, principal.viewer, ident, change)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error, values=values)
    return redirect(f"/press/{ident}?saved=edit")


@router.post("/press/{release_id}/images", response_class=HTMLResponse)
async def upload_image(
    request: Request,
    release_id: str,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    ident = _release_id(release_id)
    form = await request.form()
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str):
            raise InvalidInput(_("file: choose an image first"), field="file")
        await images.add_image(
            session,
            principal.viewer,
            ident,
            filename=upload.filename,
            content_type=upload.content_type,
            data=await upload.read(),
            alt=str(form.get("alt") or ""),
        )
        await session.flush()
    except AccordError as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error)
    return redirect(f"/press/{ident}?saved=image")


def _link_ref(value: str) -> LinkRef:
    kind, _sep, ident = value.strip().partition(":")
    try:
        return parse_form(LinkRef, {"kind": kind.strip(), "id": ident.strip()})
    except InvalidInput:
        raise InvalidInput(
            _("link: choose a record, or write one as kind:id, e.g. decision:…"), field="link"
        ) from None


@router.post("/press/{release_id}/links", response_class=HTMLResponse)
async def add_link(
    request: Request,
    release_id: str,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    ident = _release_id(release_id)
    form = await request.form()
    value = str(form.get("link_other") or "").strip()[:200] or str(form.get("link") or "")
    try:
        version = parse_form(ReleaseMove, {"version": form.get("version")}).version
        await linking.link_record(session, principal.viewer, ident, _link_ref(value), version)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error, link_value=value)
    return redirect(f"/press/{ident}?saved=linked")


@router.post("/press/{release_id}/links/remove", response_class=HTMLResponse)
async def remove_link(
    request: Request,
    release_id: str,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    ident = _release_id(release_id)
    form = await request.form()
    try:
        version = parse_form(ReleaseMove, {"version": form.get("version")}).version
        ref = _link_ref(str(form.get("link") or ""))
        await linking.unlink_record(session, principal.viewer, ident, ref, version)
        await session.flush()
    except (InvalidInput, Conflict) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error)
    return redirect(f"/press/{ident}?saved=unlinked")


@router.post("/press/{release_id}/{action}", response_class=HTMLResponse)
async def move_release(
    request: Request,
    release_id: str,
    action: str,
    principal: Principal = Depends(press_page),
    session: AsyncSession = get_session,
) -> Response:
    ident = _release_id(release_id)
    if action not in service.ACTIONS:
        raise NotFound(_("nothing here"))
    form = await request.form()
    languages = [str(v) for v in form.getlist("language") if v] or None
    try:
        move = parse_form(
            ReleaseMove,
            {
                "version": form.get("version"),
                "languages": languages,
                "note": str(form.get("note") or ""),
            },
        )
        await service.move_release(session, principal.viewer, ident, action, move)
        await session.flush()
    except (InvalidInput, Conflict, Forbidden) as error:
        await undo(session, principal)
        return await _detail(request, session, principal, ident, error=error)
    return redirect(f"/press/{ident}?saved={action}")
