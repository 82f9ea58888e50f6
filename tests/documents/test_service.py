"""Signing rules on both backends: what is accepted, and every refusal leaving nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.clock import freeze
from accord.db import Database
from accord.documents import keys, reads, service, signing
from accord.documents.schemas import DocumentCreate, KeyCreate
from accord.errors import Conflict, Forbidden, InvalidInput
from accord.models.document_signature import DocumentSignature
from tests.documents.helpers import (
    MEMBERS,
    draft_document,
    later,
    manifest_bytes,
    open_document,
    secretariat,
    sign_as,
    signatory,
)


async def count_signatures(db: Database) -> int:
    async with db.transaction() as session:
        return (await session.execute(select(func.count(DocumentSignature.id)))).scalar_one()


async def test_a_delegate_signs_and_the_last_signature_puts_the_document_in_force(db):
    async with db.transaction() as session:
        officer = await secretariat(session)
        document = await open_document(session, officer)
        for state in MEMBERS:
            who = await signatory(session, state)
            record, _doc = await sign_as(session, who, document)
            assert record.state == state
        read = await reads.document_read(session, document)
    assert read.status == "in_force"
    assert read.signatories == list(MEMBERS)
    assert read.states_bound == list(MEMBERS)
    assert all(slot.signed for slot in read.versions[0].slots)
    assert read.in_force_at is not None


async def _refused(db: Database, error: type, message: str, act) -> None:
    before = await count_signatures(db)
    with pytest.raises(error) as caught:
        async with db.transaction() as session:
            await act(session)
    assert message in caught.value.message
    assert await count_signatures(db) == before


@pytest.fixture
async def setting(db):
    """An open document, a Kazakh delegate with a key and the secretariat, committed."""
    async with db.transaction() as session:
        officer = await secretariat(session)
        document = await open_document(session, officer)
        kazakh = await signatory(session, "KAZ")
    return officer, document, kazakh


async def test_a_revoked_key_is_refused(db, setting):
    _officer, document, kazakh = setting
    async with db.transaction() as session:
        await keys.revoke_key(session, kazakh.viewer, kazakh.key.id, "laptop lost")
    await _refused(db, InvalidInput, "revoked", lambda s: sign_as(s, kazakh, document))


async def test_an_expired_key_is_refused(db, setting):
    _officer, document, _kazakh = setting
    async with db.transaction() as session:
        short = await signatory(session, "ARM", valid_until=later(days=1))
    freeze(later(days=2))
    try:
        await _refused(db, InvalidInput, "expired", lambda s: sign_as(s, short, document))
    finally:
        freeze(None)


async def test_a_signature_over_another_version_is_refused(db, setting):
    officer, document, kazakh = setting
    async with db.transaction() as session:
        draft = await open_document(session, officer)  # another document, same texts
        other = await manifest_bytes(session, draft)
    await _refused(
        db,
        InvalidInput,
        "does not verify",
        lambda s: sign_as(s, kazakh, document, signature=kazakh.signature(other)),
    )


async def test_a_signature_over_an_earlier_version_of_the_same_document_is_named(db):
    async with db.transaction() as session:
        officer = await secretariat(session)
        document = await draft_document(session, officer)
        await service.move_version(session, officer, document.id, 1, "agreed")
        await service.add_version(session, officer, document.id, {"en": "Amended text."})
        await service.move_version(session, officer, document.id, 2, "agreed")
        await service.move_version(session, officer, document.id, 2, "open_for_signature")
        kazakh = await signatory(session, "KAZ")
        first = await manifest_bytes(session, document, 1)
    await _refused(
        db,
        InvalidInput,
        "over version 1, not version 2",
        lambda s: sign_as(s, kazakh, document, 2, signature=kazakh.signature(first)),
    )
    await _refused(
        db, Conflict, "not open for signature", lambda s: sign_as(s, kazakh, document, 1)
    )


async def test_a_bad_signature_is_refused(db, setting):
    _officer, document, kazakh = setting
    await _refused(
        db,
        InvalidInput,
        "signature",
        lambda s: sign_as(s, kazakh, document, signature="A" * 86 + "=="),
    )
    await _refused(
        db, InvalidInput, "64 bytes", lambda s: sign_as(s, kazakh, document, signature="abc")
    )


async def test_a_second_signature_for_the_same_state_is_refused(db, setting):
    _officer, document, kazakh = setting
    async with db.transaction() as session:
        await sign_as(session, kazakh, document)
        another_kazakh = await signatory(session, "KAZ")
    await _refused(db, Conflict, "signed version 1 already", lambda s: sign_as(s, kazakh, document))
    await _refused(
        db, Conflict, "signed version 1 already", lambda s: sign_as(s, another_kazakh, document)
    )


async def test_a_signer_who_is_not_a_delegate_of_a_state_is_refused(db, setting):
    _officer, document, kazakh = setting
    analyst = kazakh.viewer.__class__(
        state="KAZ",
        clearance=kazakh.viewer.clearance,
        roles=frozenset({"analyst"}),
        user_id=kazakh.viewer.user_id,
        username=kazakh.viewer.username,
    )
    as_analyst = type(kazakh)(analyst, kazakh.private, kazakh.key)
    await _refused(db, Forbidden, "delegate", lambda s: sign_as(s, as_analyst, document))
    org_delegate = kazakh.viewer.__class__(
        state="ORG",
        clearance=kazakh.viewer.clearance,
        roles=frozenset({"delegate"}),
        user_id=kazakh.viewer.user_id,
        username=kazakh.viewer.username,
    )
    as_org = type(kazakh)(org_delegate, kazakh.private, kazakh.key)
    await _refused(db, Forbidden, "no signature slot", lambda s: sign_as(s, as_org, document))


async def test_a_key_of_someone_else_is_refused(db, setting):
    _officer, document, kazakh = setting
    async with db.transaction() as session:
        armenian = await signatory(session, "ARM")
    borrowed = type(kazakh)(kazakh.viewer, armenian.private, armenian.key)
    await _refused(db, InvalidInput, "not one of your", lambda s: sign_as(s, borrowed, document))


async def test_a_version_not_open_for_signature_is_refused(db):
    async with db.transaction() as session:
        officer = await secretariat(session)
        document = await open_document(session, officer)
        kazakh = await signatory(session, "KAZ")
        draft = await service.create_document(
            session,
            officer,
            DocumentCreate(
                package_id=document.package_id,
                kind="decision",
                title={"en": "A draft"},
                texts={"en": "Draft text."},
            ),
        )
    await _refused(db, Conflict, "not open for signature", lambda s: sign_as(s, kazakh, draft))


async def test_the_signing_order_of_a_package_is_kept(db):
    async with db.transaction() as session:
        officer = await secretariat(session)
        document = await open_document(session, officer, signing_order=True)
        read = await reads.document_read(session, document)
        order = [slot.state for slot in read.versions[0].slots]
        first, second = await signatory(session, order[0]), await signatory(session, order[1])
    await _refused(db, Conflict, "signing order", lambda s: sign_as(s, second, document))
    async with db.transaction() as session:
        await sign_as(session, first, document)
        await sign_as(session, second, document)


async def test_certified_copies_go_only_to_states_that_signed(db, setting):
    officer, document, kazakh = setting
    async with db.transaction() as session:
        await sign_as(session, kazakh, document)
        copy, number = await signing.issue_certified_copy(session, officer, document.id, "KAZ")
    assert (copy.state, number) == ("KAZ", 1)
    with pytest.raises(Conflict, match="certified copies go only to signatories"):
        async with db.transaction() as session:
            await signing.issue_certified_copy(session, officer, document.id, "ARM")
    with pytest.raises(Forbidden):
        async with db.transaction() as session:
            await signing.issue_certified_copy(session, kazakh.viewer, document.id, "KAZ")


async def test_keys_rotate_and_the_old_one_is_revoked(db, setting):
    _officer, document, kazakh = setting
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from accord.documents.manifest import b64encode, public_raw_of

    fresh = Ed25519PrivateKey.generate()
    async with db.transaction() as session:
        new_key = await keys.register_key(
            session,
            kazakh.viewer,
            KeyCreate(public_key=b64encode(public_raw_of(fresh)), replaces=kazakh.key.id),
        )
    await _refused(db, InvalidInput, "rotated", lambda s: sign_as(s, kazakh, document))
    rotated = type(kazakh)(kazakh.viewer, fresh, new_key)
    async with db.transaction() as session:
        await sign_as(session, rotated, document)
    with pytest.raises(Conflict, match="registered already"):
        async with db.transaction() as session:
            await keys.register_key(
                session, kazakh.viewer, KeyCreate(public_key=b64encode(public_raw_of(fresh)))
            )
