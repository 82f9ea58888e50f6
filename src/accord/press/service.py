"""The rules of the press centre: language versions, their review, and what a release may link."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import EVERYONE, Classification, Viewer, can_change
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.events.service import for_everyone, record_event
from accord.i18n import _, current_locale
from accord.models.press_image import PressImage
from accord.models.press_release import PressRelease
from accord.models.press_release_step import PressReleaseStep
from accord.models.press_release_text import PressReleaseText
from accord.press import repository
from accord.press.schemas import (
    ImageRead,
    LinkRef,
    ReleaseChange,
    ReleaseCreate,
    ReleaseMove,
    ReleaseRead,
    StepRead,
    TextIn,
    TextRead,
)
from accord.programme import links as linked
from accord.programme.schemas import LinkRead
from accord.workflow import Move, Workflow

PRESS = frozenset({"press"})
TEXT_FLOW = Workflow(
    "release",
    ("draft", "in_review", "approved", "published", "unpublished"),
    [
        Move("draft", "in_review", PRESS),
        Move("in_review", "draft", PRESS),
        Move("in_review", "approved", PRESS),
        Move("approved", "draft", PRESS),
        Move("approved", "published", PRESS),
        Move("published", "unpublished", PRESS),
        Move("unpublished", "published", PRESS),
        Move("unpublished", "draft", PRESS),
    ],
)
ACTIONS = {
    "submit": "in_review",
    "return": "draft",
    "approve": "approved",
    "publish": "published",
    "unpublish": "unpublished",
}
EVENT_KINDS = {
    "in_review": "submitted",
    "draft": "returned",
    "approved": "approved",
    "published": "published",
    "unpublished": "unpublished",
}
STAGE_ORDER = ("draft", "unpublished", "in_review", "approved", "published")


def language_names() -> dict[str, str]:
    """The working languages' names in the current language, from Babel's locale data."""
    names = current_locale().languages
    return {code: names.get(code, code) for code in ("en", "ru")}


def status_names() -> dict[str, str]:
    return {
        "draft": _("draft"),
        "in_review": _("in review"),
        "approved": _("approved"),
        "published": _("published"),
        "unpublished": _("unpublished"),
    }


def summary_status(statuses: list[str]) -> str:
    """Published when any version is; otherwise the stage of the least advanced version."""
    if "published" in statuses:
        return "published"
    return min(statuses, key=STAGE_ORDER.index) if statuses else "draft"


def _require_press(viewer: Viewer) -> None:
    if not viewer.has_role(*PRESS):
        raise Forbidden(_("only press officers write releases"))


def _require_change(viewer: Viewer, release: PressRelease) -> None:
    if not can_change(viewer, release, PRESS):
        raise Forbidden(_("only the press centre's officers change this release"))


def _require_version(release: PressRelease, version: int) -> None:
    if release.version != version:
        raise Conflict(
            _(
                "someone changed this release meanwhile (you edited version {yours}, it is now "
                "version {current}): reload it and apply your change again"
            ).format(yours=version, current=release.version),
            field="version",
        )


def _markings(release: PressRelease, public: bool) -> dict[str, Any]:
    if public:
        return for_everyone(release.owner)
    # Drafts stay inside the press centre's own state (the secretariat for the joint centre).
    return {
        "state": release.owner,
        "classification": Classification.RESTRICTED,
        "releasable_to": [release.owner],
    }


def _event(
    session: AsyncSession,
    viewer: Viewer,
    release: PressRelease,
    kind: str,
    payload: dict[str, Any],
    *,
    public: bool = False,
) -> None:
    record_event(
        session,
        actor=viewer.username,
        kind=f"press.release_{kind}",
        subject=release.id,
        payload=payload,
        **_markings(release, public),
    )


# Reads


async def get_release(session: AsyncSession, viewer: Viewer, release_id: uuid.UUID) -> PressRelease:
    """A release the viewer may see: press officers see drafts, others only published ones."""
    release = await repository.get_visible(session, viewer, release_id)
    if release is None or (
        not viewer.has_role(*PRESS)
        and not any(t.status == "published" for t in await repository.texts(session, release.id))
    ):
        raise NotFound(_("no release {id}").format(id=release_id))
    return release


def _text_read(text: PressReleaseText) -> TextRead:
    return TextRead(
        language=text.language,
        title=text.title,
        body=text.body,
        status=text.status,
        written_by=text.written_by,
        approved_by=text.approved_by,
        published_at=text.published_at,
        updated_at=text.updated_at,
    )


def image_url(image: PressImage, *, public: bool = False) -> str:
    if public:
        return f"/public/releases/{image.release_id}/images/{image.id}"
    return f"/api/v1/releases/{image.release_id}/images/{image.id}"


async def release_read(
    session: AsyncSession, viewer: Viewer | None, release: PressRelease
) -> ReleaseRead:
    """The release as ``viewer`` may read it; the public (None) and readers outside the press
    centre get only its published versions."""
    texts = await repository.texts(session, release.id)
    if viewer is None or not viewer.has_role(*PRESS):
        texts = [text for text in texts if text.status == "published"]
    shown = await linked.visible_links(session, viewer, release.links or [])
    return ReleaseRead(
        id=release.id,
        status=summary_status([text.status for text in texts]),
        texts={text.language: _text_read(text) for text in texts},
        links=[
            LinkRead(
                kind=link.kind,
                id=link.id,
                title=link.title,
                url=link.url,
                classification=link.classification.name,
            )
            for link in shown
        ],
        images=[
            ImageRead(
                id=image.id,
                filename=image.filename,
                media_type=image.media_type,
                size=image.size,
                sha256=image.sha256,
                alt=image.alt,
                url=image_url(image, public=viewer is None),
            )
            for image in await repository.images(session, release.id)
        ],
        owner=release.owner,
        classification=Classification.parse(release.classification).name,
        releasable_to=release.releasable_to,
        created_by=release.created_by,
        created_at=release.created_at,
        updated_at=release.updated_at,
        version=release.version,
    )


async def history(session: AsyncSession, release: PressRelease) -> list[StepRead]:
    return [
        StepRead(
            language=step.language,
            source=step.source,
            target=step.target,
            actor=step.actor,
            at=step.at,
            note=step.note,
        )
        for step in await repository.steps(session, release.id)
    ]


# What a release may link


async def _not_public_reason(
    session: AsyncSession, viewer: Viewer, kind: str, ident: uuid.UUID
) -> str | None:
    """Why the public may not read ``(kind, ident)``, naming it; None when it may."""
    if await linked.resolve_public(session, kind, ident) is not None:
        return None
    seen = await linked.resolve(session, viewer, kind, ident)
    if seen is None:
        return _("there is no public {kind} {id}").format(kind=kind, id=ident)
    if seen.classification != Classification.PUBLIC:
        return _("the {kind} “{title}” is classified {level}, not PUBLIC").format(
            kind=kind, title=seen.title, level=seen.classification.name
        )
    return _(
        "the {kind} “{title}” is not public: not adopted, not in force or not released"
    ).format(kind=kind, title=seen.title)


async def _check_links(
    session: AsyncSession, viewer: Viewer, refs: list[LinkRef]
) -> list[dict[str, str]]:
    for index, ref in enumerate(refs):
        reason = await _not_public_reason(session, viewer, ref.kind, ref.id)
        if reason:
            raise InvalidInput(
                _("links.{index}: {reason}; a release may link only PUBLIC records").format(
                    index=index, reason=reason
                ),
                field=f"links.{index}",
            )
    return [{"kind": ref.kind, "id": str(ref.id)} for ref in refs]


async def _recheck_links(
    session: AsyncSession, viewer: Viewer, release: PressRelease, action: str
) -> None:
    """At approval and publication: a record reclassified meanwhile blocks the release."""
    for index, link in enumerate(release.links or []):
        reason = await _not_public_reason(session, viewer, link["kind"], uuid.UUID(link["id"]))
        if reason:
            raise Conflict(
                _("cannot {action} this release: {reason}; remove the link first").format(
                    action=action, reason=reason
                ),
                field=f"links.{index}",
            )


# Changes


def _check_text(language: str, text: TextIn) -> None:
    name = language_names()[language]
    if not text.title:
        raise InvalidInput(
            _("texts.{language}.title: the {name} version has no title").format(
                language=language, name=name
            ),
            field=f"texts.{language}.title",
        )
    if not text.body:
        raise InvalidInput(
            _("texts.{language}.body: the {name} version has no text").format(
                language=language, name=name
            ),
            field=f"texts.{language}.body",
        )


async def draft_release(session: AsyncSession, viewer: Viewer, data: ReleaseCreate) -> PressRelease:
    """A new release in draft, each language version written by the viewer."""
    _require_press(viewer)
    for language, text in data.texts.items():
        _check_text(language, text)
    links = await _check_links(session, viewer, data.links)
    now = utcnow()
    release = PressRelease(
        id=uuid.uuid4(),
        links=links,
        owner=viewer.state,
        classification=Classification.PUBLIC,
        releasable_to=[EVERYONE],
        created_at=now,
        created_by=viewer.username,
        updated_at=now,
    )
    session.add(release)
    await session.flush()
    for language, text in data.texts.items():
        session.add(
            PressReleaseText(
                id=uuid.uuid4(),
                release_id=release.id,
                language=language,
                title=text.title,
                body=text.body,
                status="draft",
                written_by=viewer.username,
                updated_at=now,
            )
        )
    await session.flush()
    _event(session, viewer, release, "drafted", {"languages": sorted(data.texts)})
    return release


async def change_release(
    session: AsyncSession, viewer: Viewer, release_id: uuid.UUID, change: ReleaseChange
) -> PressRelease:
    """Rewrite draft versions, add a language, or relink, against ``change.version``."""
    release = await get_release(session, viewer, release_id)
    _require_change(viewer, release)
    _require_version(release, change.version)
    now = utcnow()
    existing = {text.language: text for text in await repository.texts(session, release.id)}
    changed: list[str] = []
    for language, given in (change.texts or {}).items():
        _check_text(language, given)
        text = existing.get(language)
        if text is None:
            text = PressReleaseText(
                id=uuid.uuid4(), release_id=release.id, language=language, status="draft"
            )
            session.add(text)
        elif text.status != "draft":
            raise Conflict(
                _(
                    "texts.{language}: the {name} version is {status}; return it to draft "
                    "before changing its text"
                ).format(
                    language=language,
                    name=language_names()[language],
                    status=status_names()[text.status],
                ),
                field=f"texts.{language}",
            )
        if (text.title, text.body) != (given.title, given.body):
            text.title, text.body = given.title, given.body
            text.written_by, text.updated_at = viewer.username, now
            changed.append(language)
    if change.links is not None:
        with session.no_autoflush:
            release.links = await _check_links(session, viewer, change.links)
        changed.append("links")
    if not changed:
        return release
    release.updated_at = now
    await session.flush()
    _event(session, viewer, release, "changed", {"changed": changed})
    return release


async def move_release(
    session: AsyncSession, viewer: Viewer, release_id: uuid.UUID, action: str, move: ReleaseMove
) -> PressRelease:
    """One review step for the named language versions (all when none are named)."""
    target = ACTIONS[action]
    release = await get_release(session, viewer, release_id)
    _require_change(viewer, release)
    _require_version(release, move.version)
    texts = {text.language: text for text in await repository.texts(session, release.id)}
    languages = move.languages or sorted(texts)
    for language in languages:
        if language not in texts:
            raise InvalidInput(
                _("languages: this release has no {name} version").format(
                    name=language_names()[language]
                ),
                field="languages",
            )
        TEXT_FLOW.check(texts[language].status, target, viewer.roles)
    if target == "approved":
        for language in languages:
            if texts[language].written_by == viewer.username:
                raise Forbidden(
                    _(
                        "an editor other than the author approves: you wrote the {name} version"
                    ).format(name=language_names()[language])
                )
        await _recheck_links(session, viewer, release, _("approve"))
    if target == "published":
        await _recheck_links(session, viewer, release, _("publish"))
    now = utcnow()
    for language in languages:
        text = texts[language]
        session.add(
            PressReleaseStep(
                id=uuid.uuid4(),
                release_id=release.id,
                language=language,
                source=text.status,
                target=target,
                actor=viewer.username,
                at=now,
                note=move.note,
            )
        )
        text.status, text.updated_at = target, now
        if target == "approved":
            text.approved_by = viewer.username
        if target == "published":
            text.published_at = text.published_at or now
        if target == "draft":
            text.approved_by = None
    release.updated_at = now
    await session.flush()
    _event(
        session,
        viewer,
        release,
        EVENT_KINDS[target],
        {"languages": languages, "note": move.note},
        public=target == "published",
    )
    return release
