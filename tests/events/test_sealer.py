"""The sealer: committed events get one place each in the hash chain and a signed checkpoint."""

from __future__ import annotations

import asyncio

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from accord.db import Database
from accord.events.chain import GENESIS, chain_digest
from accord.events.keys import load_or_create_key, public_hex
from accord.events.sealer import BATCH, SealedRange, checkpoint_message, seal_pending
from accord.events.service import record_event, secretariat_only
from accord.models import Checkpoint, Event


class Abandoned(Exception):
    """Raised inside a transaction to roll it back."""


@pytest.fixture
def key(settings) -> Ed25519PrivateKey:
    return load_or_create_key(settings.checkpoint_key_path)


async def write_events(db: Database, subject: str, count: int = 1) -> None:
    """Commit ``count`` events about ``subject`` in one transaction."""
    async with db.transaction() as session:
        for number in range(count):
            record_event(
                session,
                actor="test",
                kind="test.written",
                subject=subject,
                payload={"number": number},
                **secretariat_only(),
            )


async def events_about(db: Database, subject: str) -> list[Event]:
    async with db.sessions() as session:
        query = select(Event).where(Event.subject == subject).order_by(Event.at, Event.id)
        return list((await session.execute(query)).scalars())


async def sealed_log(db: Database) -> list[Event]:
    async with db.sessions() as session:
        query = select(Event).where(Event.sealed).order_by(Event.seq)
        return list((await session.execute(query)).scalars())


async def checkpoints(db: Database) -> list[Checkpoint]:
    async with db.sessions() as session:
        query = select(Checkpoint).order_by(Checkpoint.seq)
        return list((await session.execute(query)).scalars())


async def count_unsealed(db: Database) -> int:
    async with db.sessions() as session:
        query = select(func.count()).select_from(Event).where(Event.sealed.is_(False))
        return (await session.execute(query)).scalar_one()


def assert_one_unbroken_chain(log: list[Event]) -> None:
    """Sequence numbers 1..n, each hash computed from the event and the hash before it."""
    assert [event.seq for event in log] == list(range(1, len(log) + 1))
    prev_hash = GENESIS
    for event in log:
        assert event.prev_hash == prev_hash
        assert event.hash == chain_digest(event, event.seq, prev_hash)
        prev_hash = event.hash


async def test_recorded_events_stay_unsealed_until_the_sealer_runs(db, key):
    await write_events(db, "pending", count=3)
    for event in await events_about(db, "pending"):
        assert (event.sealed, event.seq, event.prev_hash, event.hash) == (False, None, None, None)
    head = len(await sealed_log(db))

    sealed = await seal_pending(db, key)

    assert sealed == SealedRange(head + 1, head + 3)
    assert [event.seq for event in await events_about(db, "pending")] == [
        head + 1,
        head + 2,
        head + 3,
    ]
    assert await count_unsealed(db) == 0


async def test_sealing_numbers_the_log_from_one_and_links_each_hash_to_the_one_before(db, key):
    for subject in ("first", "second", "third"):
        await write_events(db, subject, count=2)
        await seal_pending(db, key)
    await write_events(db, "fourth", count=4)
    await seal_pending(db, key)

    log = await sealed_log(db)
    assert_one_unbroken_chain(log)
    assert [event.subject for event in log[-10:]] == ["first"] * 2 + ["second"] * 2 + [
        "third"
    ] * 2 + ["fourth"] * 4


async def test_sealing_signs_a_checkpoint_of_the_new_head_with_the_key(db, key):
    await write_events(db, "signed", count=2)
    await seal_pending(db, key)

    head = (await sealed_log(db))[-1]
    checkpoint = (await checkpoints(db))[-1]
    assert (checkpoint.seq, checkpoint.head_hash) == (head.seq, head.hash)
    assert checkpoint.public_key == public_hex(key)
    message = checkpoint_message(checkpoint.seq, checkpoint.head_hash)
    key.public_key().verify(bytes.fromhex(checkpoint.signature), message)
    with pytest.raises(InvalidSignature):
        Ed25519PrivateKey.generate().public_key().verify(
            bytes.fromhex(checkpoint.signature), message
        )


async def test_events_of_a_rolled_back_transaction_never_enter_the_log(db, key):
    await write_events(db, "kept")
    with pytest.raises(Abandoned):
        async with db.transaction() as session:
            record_event(
                session,
                actor="test",
                kind="test.written",
                subject="abandoned",
                payload={},
                **secretariat_only(),
            )
            await session.flush()
            raise Abandoned
    await write_events(db, "kept")

    await seal_pending(db, key)

    assert await events_about(db, "abandoned") == []
    assert len(await events_about(db, "kept")) == 2
    assert_one_unbroken_chain(await sealed_log(db))


async def test_a_second_run_with_nothing_pending_changes_nothing(db, key):
    await write_events(db, "once", count=2)
    await seal_pending(db, key)
    before = [(event.seq, event.hash) for event in await sealed_log(db)]
    checkpoints_before = len(await checkpoints(db))

    assert await seal_pending(db, key) is None

    assert [(event.seq, event.hash) for event in await sealed_log(db)] == before
    assert len(await checkpoints(db)) == checkpoints_before


async def test_more_events_than_one_batch_are_all_sealed_in_one_chain(db, key):
    await write_events(db, "bulk", count=BATCH + 5)
    head = len(await sealed_log(db))

    sealed = await seal_pending(db, key)

    assert sealed == SealedRange(head + 1, head + BATCH + 5)
    assert await count_unsealed(db) == 0
    log = await sealed_log(db)
    assert_one_unbroken_chain(log)
    assert (await checkpoints(db))[-1].seq == log[-1].seq


async def test_two_writers_committing_at_once_are_each_sealed_exactly_once(postgres_url, data_dir):
    db = Database(postgres_url)
    key = load_or_create_key(data_dir / "keys" / "checkpoint.ed25519")
    both_written = asyncio.Barrier(2)

    async def writer(subject: str) -> None:
        async with db.transaction() as session:
            record_event(
                session,
                actor=subject,
                kind="test.written",
                subject=subject,
                payload={},
                **secretariat_only(),
            )
            await session.flush()
            await both_written.wait()  # both rows exist uncommitted; now commit together

    try:
        await asyncio.gather(writer("writer-a"), writer("writer-b"))
        await asyncio.gather(seal_pending(db, key), seal_pending(db, key))

        log = await sealed_log(db)
        assert_one_unbroken_chain(log)
        written = [event for event in log if event.subject in ("writer-a", "writer-b")]
        assert sorted(event.subject for event in written) == ["writer-a", "writer-b"]
        assert len({event.seq for event in written}) == 2
        assert await count_unsealed(db) == 0
    finally:
        await db.dispose()


async def test_many_writers_and_sealers_at_once_give_one_unbroken_chain(postgres_url, data_dir):
    db = Database(postgres_url)
    key = load_or_create_key(data_dir / "keys" / "checkpoint.ed25519")
    subjects = [f"writer-{number}" for number in range(12)]
    try:
        await asyncio.gather(
            *(write_events(db, subject, count=3) for subject in subjects),
            *(seal_pending(db, key) for _ in range(4)),
        )
        await seal_pending(db, key)

        log = await sealed_log(db)
        assert_one_unbroken_chain(log)
        for subject in subjects:
            assert len([event for event in log if event.subject == subject]) == 3
        heads = [(checkpoint.seq, checkpoint.head_hash) for checkpoint in await checkpoints(db)]
        by_seq = {event.seq: event.hash for event in log}
        assert all(by_seq.get(seq) == head_hash for seq, head_hash in heads)
    finally:
        await db.dispose()


async def test_sealers_of_separate_sqlite_connections_take_turns(sqlite_url, data_dir):
    """A command and a server sealing one SQLite file at once still give one chain."""
    key = load_or_create_key(data_dir / "keys" / "checkpoint.ed25519")
    writer, *sealers = [Database(sqlite_url) for _ in range(4)]
    try:
        for number in range(30):
            await write_events(writer, f"subject-{number}", count=5)
        ranges = await asyncio.gather(*(seal_pending(sealer, key) for sealer in sealers))

        log = await sealed_log(writer)
        assert_one_unbroken_chain(log)
        assert await count_unsealed(writer) == 0
        sealed_numbers = sorted(
            seq for found in ranges if found for seq in range(found.first, found.last + 1)
        )
        assert sealed_numbers == list(range(log[-150].seq, log[-1].seq + 1))
        heads = [checkpoint.seq for checkpoint in await checkpoints(writer)]
        assert len(heads) == len(set(heads))
    finally:
        for database in (writer, *sealers):
            await database.dispose()
