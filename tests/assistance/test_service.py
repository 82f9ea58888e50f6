"""The assistance rules on both backends, and acceptances racing on PostgreSQL."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accord.access import Classification
from accord.assistance import lapse, offers, service
from accord.assistance.schemas import NeedLineIn, OfferCreate, OfferResponse, RequestCreate
from accord.auth.service import viewer_of
from accord.clock import utcnow
from accord.errors import Conflict, Forbidden, InvalidInput
from accord.jobs import service as jobs
from accord.models import Event
from accord.models.assistance_request import AssistanceRequest
from accord.models.notification import Notification
from accord.models.offer import Offer
from tests.assistance.helpers import actor, add_crisis, offer_body
from tests.contract import count_rows
from tests.factories import add_user


async def viewer(db, state, roles=("duty_officer",), clearance="CONFIDENTIAL"):
    return viewer_of(await add_user(db, state=state, roles=list(roles), clearance=clearance))


def request_data(crisis_id, **overrides) -> RequestCreate:
    values = {
        "crisis_id": crisis_id,
        "title": "Field hospital",
        "contact": "Dushanbe desk",
        "need_lines": [
            NeedLineIn(
                capability="field_hospital",
                quantity=1,
                place="Gharm",
                needed_by=utcnow() + timedelta(days=1),
            )
        ],
    }
    values.update(overrides)
    return RequestCreate(**values)


def offer_data(line_id, quantity=1) -> OfferCreate:
    return OfferCreate(
        need_line_id=line_id, quantity=quantity, arrival_at=utcnow() + timedelta(hours=20)
    )


async def test_refusals_change_nothing(db):
    crisis_id = await add_crisis(db)
    tjk, kaz = await viewer(db, "TJK"), await viewer(db, "KAZ")
    async with db.transaction() as session:
        _request, lines = await service.post_request(session, tjk, request_data(crisis_id))
    line_id = lines[0].id
    for attempt, error in (
        (lambda s: offers.make_offer(s, kaz, offer_data(line_id, quantity=2)), InvalidInput),
        (lambda s: offers.make_offer(s, tjk, offer_data(line_id)), Forbidden),
    ):
        with pytest.raises(error):
            async with db.transaction() as session:
                await attempt(session)
    with pytest.raises(InvalidInput) as refused:
        async with db.transaction() as session:
            past = NeedLineIn(
                capability="usar_light",
                quantity=1,
                place="Rasht",
                needed_by=utcnow() - timedelta(minutes=5),
            )
            await service.post_request(session, tjk, request_data(crisis_id, need_lines=[past]))
    assert refused.value.field == "need_lines.0.needed_by"
    assert await count_rows(db, Offer) == 0
    assert await count_rows(db, AssistanceRequest) == 1

    async with db.transaction() as session:
        offer = await offers.make_offer(session, kaz, offer_data(line_id))
    async with db.transaction() as session:
        await offers.respond_to_offer(session, tjk, offer.id, OfferResponse(response="accepted"))
    with pytest.raises(Conflict):
        async with db.transaction() as session:
            await offers.respond_to_offer(
                session, tjk, offer.id, OfferResponse(response="accepted")
            )
    async with db.transaction() as session:
        stored = await session.get(Offer, offer.id)
        assert stored.status == "accepted" and stored.version == 2


async def test_crisis_assistance_counts_only_what_the_viewer_may_see(db):
    crisis_id = await add_crisis(db, releasable_to=["ALL"])
    tjk, kaz, rus = [await viewer(db, code) for code in ("TJK", "KAZ", "RUS")]
    async with db.transaction() as session:
        _request, lines = await service.post_request(
            session,
            tjk,
            request_data(crisis_id, classification=Classification.CONFIDENTIAL),
        )
    async with db.transaction() as session:
        await offers.make_offer(session, kaz, offer_data(lines[0].id))
        await offers.make_offer(session, rus, offer_data(lines[0].id))
    low = await viewer(db, "KAZ", ("analyst",), "RESTRICTED")
    async with db.transaction() as session:
        for who, offered in ((tjk, 2), (kaz, 1), (rus, 1)):
            panel = await service.crisis_assistance(session, who, crisis_id)
            (line,) = panel.need_lines
            assert (line.requested, line.offered, line.gap) == (1, offered, 1)
            assert panel.classification == Classification.CONFIDENTIAL
        assert (await service.crisis_assistance(session, low, crisis_id)).need_lines == []


async def test_notifications_reach_only_duty_officers_who_may_see(db):
    crisis_id = await add_crisis(db)
    tjk = await viewer(db, "TJK")
    kaz = await viewer(db, "KAZ")
    await viewer(db, "KAZ", ("analyst",))  # not a duty officer: not told
    arm = await viewer(db, "ARM")  # not on the list: not told
    low = await viewer(db, "RUS", clearance="RESTRICTED")  # cleared too low: not told
    async with db.transaction() as session:
        await service.post_request(
            session,
            tjk,
            request_data(
                crisis_id,
                classification=Classification.CONFIDENTIAL,
                releasable_to=["KAZ", "RUS"],
            ),
        )
    async with db.transaction() as session:
        told = set((await session.execute(select(Notification.user_id))).scalars())
    assert kaz.user_id in told
    assert arm.user_id not in told and low.user_id not in told and tjk.user_id not in told
    assert len(told) == 1


async def test_simultaneous_offers_succeed_and_acceptances_do_not_exceed(pg_client):
    """Two states offer the last unit at once: both stand. Two acceptances at once: one wins."""
    app = pg_client.app
    crisis_id = await add_crisis(app.state.db)
    async with AsyncExitStack() as stack:
        tjk = await actor(stack, app, "TJK")
        others = [await actor(stack, app, code) for code in ("KAZ", "RUS", "BLR", "KGZ")]
        body = {
            "crisis_id": str(crisis_id),
            "title": "Field hospital",
            "contact": "desk",
            "need_lines": [
                {
                    "capability": "field_hospital",
                    "quantity": 1,
                    "place": "Gharm",
                    "needed_by": (utcnow() + timedelta(days=1)).isoformat(),
                }
            ],
        }
        request = (await tjk.post("/api/v1/assistance-requests", body)).json()
        line = request["need_lines"][0]["id"]
        made = await asyncio.gather(
            *(other.post("/api/v1/offers", offer_body(line)) for other in others)
        )
        assert [answer.status_code for answer in made] == [201] * len(others)
        answers = await asyncio.gather(
            *(
                tjk.post(f"/api/v1/offers/{offer.json()['id']}/response", {"response": "accepted"})
                for offer in made
            )
        )
        codes = sorted(answer.status_code for answer in answers)
        assert codes == [200] + [409] * (len(others) - 1), [a.text for a in answers]
        again = await asyncio.gather(
            *(
                tjk.post(f"/api/v1/offers/{offer.json()['id']}/response", {"response": "accepted"})
                for offer in made
            )
        )
        assert all(answer.status_code == 409 for answer in again)
    async with app.state.db.transaction() as session:
        statuses = list((await session.execute(select(Offer.status))).scalars())
    assert sorted(statuses) == ["accepted"] + ["offered"] * (len(others) - 1)


async def test_a_lapse_is_recorded_by_a_job_even_if_nobody_looks(db):
    crisis_id = await add_crisis(db)
    tjk = await viewer(db, "TJK")
    async with db.transaction() as session:
        request, _lines = await service.post_request(session, tjk, request_data(crisis_id))
    assert await jobs.run_due(db) == 0  # nothing due yet
    later = request.expires_at + timedelta(minutes=1)
    assert await jobs.run_due(db, now=later) == 1
    # The job checks the request against the real time: still open but not yet past expiry.
    async with db.transaction() as session:
        assert await count_rows(db, Event, Event.kind == "assistance.request_lapsed") == 0
        await session.execute(
            update(AssistanceRequest).values(expires_at=utcnow() - timedelta(minutes=1))
        )
        await lapse.request_lapsed(session, {"request_id": str(request.id)})
    assert await count_rows(db, Event, Event.kind == "assistance.request_lapsed") == 1
    async with db.transaction() as session:
        told = list((await session.execute(select(Notification.kind))).scalars())
    assert "assistance.request_lapsed" in told
