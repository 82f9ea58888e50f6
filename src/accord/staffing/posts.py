"""The rules of posts: describing them, giving them to a member's quota, filling them.

A post of a state the adopting decision does not bind stays vacant but reserved, or is filled
for the time being by a nominee of a bound state, as the decision says.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accord.access import Classification, Viewer
from accord.budget import service as budget
from accord.clock import utcnow
from accord.errors import Conflict, InvalidInput, NotFound
from accord.i18n import _
from accord.members import repository as members
from accord.models.staffing_distribution import StaffingDistribution
from accord.models.staffing_post import StaffingPost
from accord.staffing import repository
from accord.staffing.schemas import NomineeAssignment, PostChange, PostCreate, PostRead
from accord.staffing.service import markings, record_change, require_editor, term_name


def post_status(post: StaffingPost, distribution: StaffingDistribution | None) -> str:
    """filled, reassigned, vacant, vacant_reserved or unallocated."""
    if post.nominee:
        return "reassigned" if post.state and post.nominee_state != post.state else "filled"
    if post.reserved:
        return "vacant"
    if post.state is None:
        return "unallocated"
    if (
        distribution is not None
        and distribution.adopted_at is not None
        and post.state not in (distribution.states_bound or [])
        and distribution.unbound_posts == "vacant_reserved"
    ):
        return "vacant_reserved"
    return "vacant"


def post_read(post: StaffingPost, distribution: StaffingDistribution | None) -> PostRead:
    return PostRead(
        id=post.id,
        term_id=post.term_id,
        title=post.title,
        grade=post.grade,
        body=post.body,
        reserved=post.reserved,
        state=post.state,
        nominee=post.nominee,
        nominee_state=post.nominee_state,
        status=post_status(post, distribution),
        owner=post.owner,
        classification=Classification.parse(post.classification).name,
        releasable_to=post.releasable_to,
        version=post.version,
    )


async def _check_body(session: AsyncSession, code: str) -> None:
    if code not in {body.code for body in await members.list_bodies(session)}:
        raise InvalidInput(
            _("body: {code} is not a body of the organisation").format(code=code), field="body"
        )


async def create_post(session: AsyncSession, viewer: Viewer, data: PostCreate) -> StaffingPost:
    """A new post of the term."""
    require_editor(viewer)
    term = await repository.get_term(session, viewer, data.term_id)
    if term is None:
        raise InvalidInput(_("term_id: no term {id}").format(id=data.term_id), field="term_id")
    await _check_body(session, data.body)
    post = StaffingPost(
        id=uuid.uuid4(),
        term_id=term.id,
        title=data.title,
        grade=data.grade,
        body=data.body,
        reserved=data.reserved,
        state=None,
        nominee="",
        nominee_state=None,
        updated_at=utcnow(),
        version=1,
        **markings(),
    )
    session.add(post)
    await session.flush()
    record_change(
        session,
        viewer,
        "staffing.post_created",
        post.id,
        {
            "term": term_name(term),
            "title": post.title,
            "grade": post.grade,
            "body": post.body,
            "reserved": post.reserved,
        },
    )
    return post


async def get_post(session: AsyncSession, viewer: Viewer, post_id: uuid.UUID) -> StaffingPost:
    post = await repository.get_post(session, viewer, post_id)
    if post is None:
        raise NotFound(_("no post {id}").format(id=post_id))
    return post


def _check_version(post: StaffingPost, version: int) -> None:
    if post.version != version:
        raise Conflict(
            _(
                "someone changed this post meanwhile (you had version {yours}, it is now "
                "version {current}): reload it"
            ).format(yours=version, current=post.version),
            field="version",
        )


async def _check_allocation(session: AsyncSession, post: StaffingPost, state: str) -> None:
    if post.reserved:
        raise InvalidInput(_("state: a reserved post is outside the quota"), field="state")
    distribution = await repository.latest_distribution(session, post.term_id)
    if distribution is None:
        raise Conflict(
            _("state: compute the distribution before giving posts to states"), field="state"
        )
    seats = {row["state"]: row["posts"] for row in distribution.result}
    if state not in seats:
        raise InvalidInput(
            _("state: {code} shares no quota posts").format(code=state), field="state"
        )
    held = sum(
        1
        for other in await repository.all_posts_of(session, post.term_id)
        if other.state == state and other.id != post.id
    )
    if held >= seats[state]:
        raise Conflict(
            _("state: {code} holds all its {count} quota posts already").format(
                code=state, count=seats[state]
            ),
            field="state",
        )


async def change_post(
    session: AsyncSession, viewer: Viewer, post_id: uuid.UUID, data: PostChange
) -> StaffingPost:
    """Change a post's description, or give it to a member's quota."""
    require_editor(viewer)
    post = await get_post(session, viewer, post_id)
    _check_version(post, data.version)
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("body") is not None:
        await _check_body(session, changes["body"])
    reserved = changes.get("reserved")
    new_state = changes.get("state", post.state)
    if reserved and new_state is not None:
        raise InvalidInput(
            _("reserved: a post in the quota of {code} is not reserved").format(code=new_state),
            field="reserved",
        )
    if new_state != post.state:
        if post.nominee:
            raise Conflict(_("state: the post is filled; vacate it first"), field="state")
        if new_state is not None:
            await _check_allocation(session, post, new_state)
    for name in ("title", "grade", "body", "reserved"):
        if changes.get(name) is not None:
            setattr(post, name, changes[name])
    post.state = new_state
    post.updated_at = utcnow()
    await session.flush()
    record_change(session, viewer, "staffing.post_changed", post.id, {"changes": changes})
    return post


async def assign_nominee(
    session: AsyncSession, viewer: Viewer, post_id: uuid.UUID, data: NomineeAssignment
) -> StaffingPost:
    """Fill a post with a state's nominee, or vacate it (an empty nominee)."""
    require_editor(viewer)
    post = await get_post(session, viewer, post_id)
    _check_version(post, data.version)
    if not data.nominee:
        post.nominee, post.nominee_state = "", None
    else:
        post.nominee_state = await _nominating_state(session, post, data.nominee_state)
        post.nominee = data.nominee
    post.updated_at = utcnow()
    await session.flush()
    record_change(
        session,
        viewer,
        "staffing.nominee_assigned" if post.nominee else "staffing.post_vacated",
        post.id,
        {"nominee": post.nominee, "nominee_state": post.nominee_state, "state": post.state},
    )
    return post


async def _nominating_state(session: AsyncSession, post: StaffingPost, given: str | None) -> str:
    if post.reserved:
        if given is None:
            raise InvalidInput(_("nominee_state: name the nominee's state"), field="nominee_state")
        await budget.check_member(session, given, "nominee_state")
        return given
    if post.state is None:
        raise Conflict(_("nominee: give the post to a state's quota first"), field="nominee")
    nominating = given or post.state
    distribution = await repository.latest_distribution(session, post.term_id)
    adopted = distribution is not None and distribution.adopted_at is not None
    bound = (distribution.states_bound or []) if adopted and distribution else []
    if adopted and post.state not in bound:
        assert distribution is not None
        if distribution.unbound_posts == "vacant_reserved":
            raise Conflict(
                _(
                    "nominee: {code} is not bound by the decision; its post stays vacant, reserved"
                ).format(code=post.state),
                field="nominee",
            )
        if nominating == post.state or nominating not in bound:
            raise InvalidInput(
                _("nominee_state: while {code} is not bound, a bound state fills its post").format(
                    code=post.state
                ),
                field="nominee_state",
            )
        return nominating
    if nominating != post.state:
        raise InvalidInput(
            _("nominee_state: the post is in the quota of {code}").format(code=post.state),
            field="nominee_state",
        )
    return nominating
