"""This domain's part of the demo scenario, loaded idempotently by `accord demo`.

Kazakhstan's seven priorities for 2024 with activities in every state, and Belarus's 2023
programme with its motto; Belarus's unfinished activities carry over into 2024.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.programme import handover, repository, service
from accord.programme.schemas import ActivityCreate, PriorityCreate, ProgrammeCreate

SECRETARIAT_VIEWER = Viewer(
    SECRETARIAT, Classification.SECRET, frozenset({"secretariat"}), username="org.secretariat"
)


def _activity(en: str, ru: str, body: str, status: str, start: str, end: str) -> ActivityCreate:
    return ActivityCreate(
        titles={"en": en, "ru": ru},
        owner_body=body,
        status=status,
        starts_on=date.fromisoformat(start),
        ends_on=date.fromisoformat(end),
    )


KAZAKHSTAN_2024 = [
    (
        ("Co-operation with the UN, CIS and SCO", "Сотрудничество с ООН, СНГ и ШОС"),
        None,
        [
            (
                "Joint statement with the SCO secretariat",
                "Совместное заявление с секретариатом ШОС",
                "secretariat",
                "done",
                "2024-02-01",
                "2024-05-30",
            ),
            (
                "Briefing to the UN Security Council",
                "Брифинг в Совете Безопасности ООН",
                "secretariat",
                "in_progress",
                "2024-03-01",
                "2024-10-31",
            ),
            (
                "Memorandum with the CIS executive committee",
                "Меморандум с Исполнительным комитетом СНГ",
                "pc",
                "planned",
                "2024-09-01",
                "2024-12-15",
            ),
        ],
    ),
    (
        (
            "Military co-operation, deployment rules of the collective forces, peacekeeping",
            "Военное сотрудничество, порядок применения коллективных сил, миротворчество",
        ),
        "military",
        [
            (
                "Exercise of the collective rapid reaction forces",
                "Учение коллективных сил быстрого реагирования",
                "joint_staff",
                "done",
                "2024-09-01",
                "2024-09-30",
            ),
            (
                "Revised rules for deploying the collective forces",
                "Новый порядок применения коллективных сил",
                "cdm",
                "long_term",
                "2024-01-15",
                "2025-12-31",
            ),
        ],
    ),
    (
        ("Counter-terrorism and extremism", "Противодействие терроризму и экстремизму"),
        "terrorism",
        [
            (
                "Common list of terrorist organisations",
                "Единый список террористических организаций",
                "csscs",
                "in_progress",
                "2024-02-01",
                "2024-11-30",
            ),
            (
                "Operation against recruitment online",
                "Операция против вербовки в сети",
                "csscs",
                "done",
                "2024-04-01",
                "2024-06-30",
            ),
        ],
    ),
    (
        ("Countering drug trafficking", "Противодействие незаконному обороту наркотиков"),
        "drugs",
        [
            ("Operation Channel", "Операция «Канал»", "csscs", "done", "2024-05-01", "2024-10-31"),
            (
                "Anti-drug strategy 2025–2030",
                "Антинаркотическая стратегия на 2025–2030 годы",
                "cfm",
                "long_term",
                "2024-03-01",
                "2025-06-30",
            ),
        ],
    ),
    (
        (
            "Illicit arms trafficking and organised crime",
            "Незаконный оборот оружия и организованная преступность",
        ),
        "arms_crime",
        [
            (
                "Operation Illegal",
                "Операция «Нелегал»",
                "csscs",
                "in_progress",
                "2024-04-01",
                "2024-12-01",
            ),
            (
                "Register of seized weapons",
                "Реестр изъятого оружия",
                "secretariat",
                "planned",
                "2024-10-01",
                "2025-03-31",
            ),
        ],
    ),
    (
        ("Emergencies", "Чрезвычайные ситуации"),
        "emergency",
        [
            (
                "Joint rescue exercise",
                "Совместное учение спасателей",
                "joint_staff",
                "done",
                "2024-06-01",
                "2024-06-30",
            ),
            (
                "Common crisis response system",
                "Система кризисного реагирования",
                "secretariat",
                "in_progress",
                "2024-01-15",
                "2024-12-31",
            ),
            (
                "Regional reserve of equipment",
                "Региональный резерв техники",
                "cdm",
                "long_term",
                "2024-05-01",
                "2026-12-31",
            ),
        ],
    ),
    (
        ("Information-technology crime", "Преступления в сфере информационных технологий"),
        "cyber",
        [
            ("Operation PROXY", "Операция «PROXY»", "csscs", "done", "2024-03-01", "2024-09-30"),
            (
                "Network of incident response teams",
                "Сеть групп реагирования на компьютерные инциденты",
                "secretariat",
                "planned",
                "2024-11-01",
                "2025-06-30",
            ),
        ],
    ),
]
BELARUS_2023 = [
    (
        ("Strengthening the crisis response system", "Укрепление системы кризисного реагирования"),
        "emergency",
        [
            (
                "Regulation on the crisis response centre",
                "Положение о центре кризисного реагирования",
                "secretariat",
                "done",
                "2023-02-01",
                "2023-11-23",
            ),
            (
                "Common warning system",
                "Общая система оповещения",
                "secretariat",
                "long_term",
                "2023-03-01",
                "2025-12-31",
            ),
        ],
    ),
    (
        ("Information security", "Информационная безопасность"),
        "cyber",
        [
            (
                "Agreement on information security",
                "Соглашение об информационной безопасности",
                "cfm",
                "done",
                "2023-01-15",
                "2023-11-23",
            ),
            (
                "Joint press centre regulation",
                "Положение об Объединённом пресс-центре",
                "secretariat",
                "done",
                "2023-04-01",
                "2023-11-23",
            ),
        ],
    ),
    (
        ("Collective forces and peacekeeping", "Коллективные силы и миротворчество"),
        "military",
        [
            (
                "Exercise Interaction 2023",
                "Учение «Взаимодействие-2023»",
                "joint_staff",
                "done",
                "2023-09-01",
                "2023-09-30",
            ),
            (
                "Training centre for peacekeepers",
                "Учебный центр миротворцев",
                "cdm",
                "in_progress",
                "2023-05-01",
                "2024-12-31",
            ),
        ],
    ),
]


def _priorities(table) -> list[PriorityCreate]:
    return [
        PriorityCreate(
            titles={"en": en, "ru": ru},
            area=area,
            activities=[_activity(*row) for row in rows],
        )
        for (en, ru), area, rows in table
    ]


async def load(session: AsyncSession) -> None:
    """Add this domain's demo records unless they are there already."""
    created = False
    if not await repository.year_taken(session, 2023):
        await service.create_programme(
            session,
            SECRETARIAT_VIEWER,
            ProgrammeCreate(
                year=2023,
                state="BLR",
                motto={
                    "en": "Through solidarity and co-operation towards peace and security",
                    "ru": "Через солидарность и сотрудничество — к миру и безопасности",
                },
                priorities=_priorities(BELARUS_2023),
            ),
        )
        created = True
    if not await repository.year_taken(session, 2024):
        await service.create_programme(
            session,
            SECRETARIAT_VIEWER,
            ProgrammeCreate(
                year=2024,
                state="KAZ",
                motto={
                    "en": "Together for a secure and prosperous region",
                    "ru": "Вместе — за безопасный и процветающий регион",
                },
                priorities=_priorities(KAZAKHSTAN_2024),
            ),
        )
        created = True
    if created:
        belarus = await repository.get_by_year(session, SECRETARIAT_VIEWER, 2023)
        if belarus is not None:
            await handover.carry_over(session, SECRETARIAT_VIEWER, belarus.id)
