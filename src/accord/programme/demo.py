"""This domain's part of the demo scenario, loaded idempotently by `accord demo`.

Kazakhstan's seven priorities for 2024 with activities in every state, and Belarus's 2023
programme with its motto; Belarus's unfinished activities carry over into 2024.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import SECRETARIAT, Classification, Viewer
from accord.council import demo as council_demo
from accord.crises import demo as crises_demo
from accord.models.crisis import Crisis
from accord.programme import handover, repository, service
from accord.programme.schemas import (
    ActivityChange,
    ActivityCreate,
    LinkRef,
    PriorityCreate,
    ProgrammeCreate,
)

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
        await _link_what_advanced(session)


# What advanced an activity, among the records the council and crises demos made before:
# (year, activity) -> decisions by title, and whether the Minsk session or the exercise counts.
ADVANCED_BY = {
    (2023, "Regulation on the crisis response centre"): ([council_demo.CRISIS_RESPONSE], False),
    (2023, "Joint press centre regulation"): ([council_demo.PRESS_CENTRE], False),
    (2023, "Agreement on information security"): (
        ["Decision on co-operation in information security"],
        False,
    ),
    (2023, "Exercise Interaction 2023"): ([], True),
    (2024, "Anti-drug strategy 2025–2030"): (
        ["Decision on the programme of countering illicit drug trafficking for 2024–2028"],
        False,
    ),
    (2024, "Common crisis response system"): ([council_demo.CRISIS_RESPONSE], False),
    (2024, "Joint rescue exercise"): ([], False),
}
EXERCISES = {(2024, "Common crisis response system"), (2024, "Joint rescue exercise")}


async def _link_what_advanced(session: AsyncSession) -> None:
    minsk = await council_demo.minsk_session_id(session)
    exercise = await session.scalar(
        select(Crisis.id).where(Crisis.title == crises_demo.TITLE).limit(1)
    )
    for year in (2023, 2024):
        programme = await repository.get_by_year(session, SECRETARIAT_VIEWER, year)
        if programme is None:
            continue
        for activity in await repository.activities(session, programme.id):
            key = (year, activity.titles.get("en", ""))
            if key not in ADVANCED_BY:
                continue
            titles, at_minsk = ADVANCED_BY[key]
            links = []
            for title in titles:
                decision = await council_demo.decision_by_title(session, title)
                if decision is not None:
                    links.append(LinkRef(kind="decision", id=decision.id))
            if at_minsk and minsk is not None:
                links.append(LinkRef(kind="session", id=minsk))
            if key in EXERCISES and exercise is not None:
                links.append(LinkRef(kind="crisis", id=exercise))
            if links:
                await service.change_activity(
                    session,
                    SECRETARIAT_VIEWER,
                    programme.id,
                    activity.id,
                    ActivityChange(version=activity.version, links=links),
                )
