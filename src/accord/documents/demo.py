"""The Minsk 2023 package of fifteen documents, loaded idempotently by `accord demo`.

Demo signatories get key pairs made here, with the private keys written to
``<data dir>/demo-keys/<username>.key`` so that `accord sign` can be tried with them; the
declaration carries four signatures and the regulation on the joint press centre is in force.
"""

from __future__ import annotations

import importlib
import os
import uuid
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.auth import repository as users
from accord.auth.service import viewer_of
from accord.config import get_settings
from accord.documents import keys, service
from accord.documents.manifest import b64encode, private_key_from, private_pem, public_raw_of
from accord.documents.manifest import sign as sign_bytes
from accord.documents.schemas import DocumentCreate, KeyCreate, PackageCreate, SignatureCreate
from accord.documents.signing import sign
from accord.models.document_package import DocumentPackage

PACKAGE_TITLE = {
    "en": "Documents of the Collective Security Council session, Minsk 2023",
    "ru": "Документы сессии Совета коллективной безопасности, Минск, 2023",
}
# (council decision title, kind, Russian title, marking, how far it goes)
DOCUMENTS = (
    (
        "Declaration of the Collective Security Council (Minsk, 23 November 2023)",
        "declaration",
        "Декларация Совета коллективной безопасности (Минск, 23 ноября 2023 года)",
        "PUBLIC",
        "signing",
    ),
    (
        "Decision on developing the crisis response system of the organisation",
        "decision",
        "Решение о развитии системы кризисного реагирования Организации",
        "PUBLIC",
        "open",
    ),
    (
        "Regulation on the joint press centre of the organisation",
        "regulation",
        "Положение об объединённом пресс-центре Организации",
        "PUBLIC",
        "in_force",
    ),
    (
        "Decision on the appointment of the chief of the joint staff",
        "appointment",
        "Решение о назначении начальника Объединённого штаба",
        "RESTRICTED",
        "agreed",
    ),
    (
        "Decision on the distribution of quota posts for 2024–2026",
        "quota_distribution",
        "Решение о распределении квотных должностей на 2024–2026 годы",
        "RESTRICTED",
        "agreed",
    ),
    (
        "Decision on the structure of the joint staff",
        "structure",
        "Решение о структуре Объединённого штаба",
        "RESTRICTED",
        "agreed",
    ),
    (
        "Decision on the budget of the organisation for 2024",
        "budget",
        "Решение о бюджете Организации на 2024 год",
        "RESTRICTED",
        "agreed",
    ),
    (
        "Decision on the chairmanship of the organisation in 2024",
        "decision",
        "Решение о председательстве в Организации в 2024 году",
        "RESTRICTED",
        "draft",
    ),
    (
        "Decision on the plan of joint exercises of the collective forces for 2024",
        "decision",
        "Решение о плане совместных учений коллективных сил на 2024 год",
        "CONFIDENTIAL",
        "draft",
    ),
    (
        "Decision on the programme of countering illicit drug trafficking for 2024–2028",
        "decision",
        "Решение о программе противодействия незаконному обороту наркотиков на 2024–2028 годы",
        "RESTRICTED",
        "draft",
    ),
    (
        "Decision on joint measures against illegal migration",
        "decision",
        "Решение о совместных мерах противодействия незаконной миграции",
        "RESTRICTED",
        "draft",
    ),
    (
        "Decision on co-operation in information security",
        "decision",
        "Решение о сотрудничестве в области информационной безопасности",
        "RESTRICTED",
        "draft",
    ),
    (
        "Decision on the collective peacekeeping forces",
        "decision",
        "Решение о коллективных миротворческих силах",
        "RESTRICTED",
        "draft",
    ),
    (
        "Decision on the report of the secretary general on the organisation's activities in 2023",
        "other",
        "Решение о докладе Генерального секретаря о деятельности Организации в 2023 году",
        "RESTRICTED",
        "draft",
    ),
    (
        "Decision on the date and venue of the next session of the Collective Security Council",
        "decision",
        "Решение о дате и месте проведения очередной сессии Совета коллективной безопасности",
        "PUBLIC",
        "draft",
    ),
)
SIGNING_FIRST = ("BLR", "KAZ", "KGZ", "RUS")
MEMBERS = ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
OFFICER = Viewer(SECRETARIAT, Classification.SECRET, frozenset({"secretariat"}), username="demo")


def _texts(title: str, russian: str) -> dict[str, str]:
    return {
        "en": f"{title}\n\nThe member states of the organisation,\n\nhave agreed as follows.\n",
        "ru": f"{russian}\n\nГосударства — члены Организации\n\nдоговорились о нижеследующем.\n",
    }


async def _council(session: AsyncSession, title: str | None = None) -> uuid.UUID | None:
    """The council demo's Minsk session, or one of its decisions, when that demo provides them."""
    try:
        council = importlib.import_module("accord.council.demo")
    except ImportError:
        return None
    if title is None:
        finder = getattr(council, "minsk_session_id", None)
        return await finder(session) if finder else None
    finder = getattr(council, "decision_by_title", None)
    found = await finder(session, title) if finder else None
    return found.id if found is not None else None


def _demo_key(folder: Path, username: str) -> Ed25519PrivateKey:
    path = folder / f"{username}.key"
    if path.exists():
        return private_key_from(path.read_bytes())
    key = Ed25519PrivateKey.generate()
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem(key))
    return key


async def _signatories(
    session: AsyncSession,
) -> dict[str, tuple[Viewer, Ed25519PrivateKey, uuid.UUID]]:
    folder = get_settings().data_dir / "demo-keys"
    found = {}
    for state in MEMBERS:
        user = await users.get_user_by_name(session, f"{state.lower()}.delegate")
        if user is None:
            continue
        viewer = viewer_of(user)
        private = _demo_key(folder, user.username)
        key = await keys.register_key(
            session,
            viewer,
            KeyCreate(public_key=b64encode(public_raw_of(private)), label="demo key"),
        )
        found[state] = (viewer, private, key.id)
    return found


async def load(session: AsyncSession) -> None:
    """Add the Minsk package unless it is there already."""
    existing = await session.execute(select(DocumentPackage.title))
    if any(title.get("en") == PACKAGE_TITLE["en"] for title in existing.scalars()):
        return
    package = await service.create_package(
        session,
        OFFICER,
        PackageCreate(
            title=PACKAGE_TITLE,
            session_id=await _council(session),
            classification="PUBLIC",
            releasable_to=["ALL"],
        ),
    )
    signatories = await _signatories(session)
    for title, kind, russian, marking, stage in DOCUMENTS:
        document = await service.create_document(
            session,
            OFFICER,
            DocumentCreate(
                package_id=package.id,
                kind=kind,
                title={"en": title, "ru": russian},
                classification=marking,
                releasable_to=["ALL"],
                decision_id=await _council(session, title),
                texts=_texts(title, russian),
            ),
        )
        if stage == "draft":
            continue
        await service.move_version(session, OFFICER, document.id, 1, "agreed")
        if stage == "agreed":
            continue
        await service.move_version(session, OFFICER, document.id, 1, "open_for_signature")
        signing = {"signing": SIGNING_FIRST, "in_force": MEMBERS}.get(stage, ())
        version = await service.get_version(session, document, 1)
        manifest = await service.manifest_of(session, document, version)
        for state in signing:
            if state in signatories:
                viewer, private, key_id = signatories[state]
                await sign(
                    session,
                    viewer,
                    document.id,
                    SignatureCreate(
                        version=1, key_id=key_id, signature=sign_bytes(private, manifest)
                    ),
                )
