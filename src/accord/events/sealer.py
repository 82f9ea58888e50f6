"""The sealer: after events commit, one process at a time gives them their place in the chain.

Writers never wait on each other for the chain: they insert unsealed events. The sealer takes
the committed, unsealed events in time order, assigns sequence numbers and hashes, and signs a
checkpoint of the new head. On PostgreSQL an advisory lock makes it one sealer across processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from accord.clock import utcnow
from accord.db import Database
from accord.events.chain import GENESIS, chain_digest
from accord.events.keys import public_hex
from accord.models import Checkpoint, Event

CHANNEL = "accord_events"
SEALER_LOCK_KEY = 0x4143_434F_5244  # "ACCORD"
BATCH = 2000


@dataclass(frozen=True)
class SealedRange:
    first: int
    last: int


async def chain_head(session: AsyncSession) -> tuple[int, str]:
    row = (
        await session.execute(
            select(Event.seq, Event.hash).where(Event.sealed).order_by(Event.seq.desc()).limit(1)
        )
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


async def _take_sealer_lock(session: AsyncSession, db: Database) -> None:
    """Make this transaction the only sealer until it ends, across processes."""
    if db.is_sqlite:
        # A write as the first statement takes SQLite's write lock before anything is read,
        # so a sealer in another process (a command beside the server) waits its turn.
        await session.execute(text("UPDATE checkpoints SET seq = seq WHERE 1 = 0"))
    else:
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEALER_LOCK_KEY})


def checkpoint_message(seq: int, head_hash: str) -> bytes:
    return f"accord-checkpoint:{seq}:{head_hash}".encode()


async def seal_pending(db: Database, key: Ed25519PrivateKey) -> SealedRange | None:
    """Seal every committed, unsealed event; return the range of sequence numbers given."""
    first: int | None = None
    last = 0
    while True:
        async with db.transaction() as session:
            await _take_sealer_lock(session, db)
            seq, prev_hash = await chain_head(session)
            pending = (
                (
                    await session.execute(
                        select(Event)
                        .where(Event.sealed.is_(False))
                        .order_by(Event.at, Event.id)
                        .limit(BATCH)
                    )
                )
                .scalars()
                .all()
            )
            if not pending:
                break
            changes = []
            for event in pending:
                seq += 1
                digest = chain_digest(event, seq, prev_hash)
                changes.append(
                    {
                        "id": event.id,
                        "seq": seq,
                        "sealed": True,
                        "prev_hash": prev_hash,
                        "hash": digest,
                    }
                )
                prev_hash = digest
            session.expunge_all()
            await session.execute(update(Event), changes)
            session.add(
                Checkpoint(
                    at=utcnow(),
                    seq=seq,
                    head_hash=prev_hash,
                    public_key=public_hex(key),
                    signature=key.sign(checkpoint_message(seq, prev_hash)).hex(),
                )
            )
            if not db.is_sqlite:  # delivered to every listening process when this commits
                await session.execute(
                    text("SELECT pg_notify(:channel, :seq)"), {"channel": CHANNEL, "seq": str(seq)}
                )
            first = changes[0]["seq"] if first is None else first
            last = seq
        if len(pending) < BATCH:
            break
    return SealedRange(first, last) if first is not None else None
